// Chooses and initialises the TF.js backend every tensor in the runtime runs on. Order for 'auto':
// the native binding (`tensorflow`, only when the user installed @tensorflow/tfjs-node-gpu or
// @tensorflow/tfjs-node — optional peers that cannot install offline), then `wasm` (shipped with the
// package, patched with faster/missing gradient kernels), then the pure-JS `cpu` backend.
// SHIFTLAB_BACKEND overrides 'auto'. Call initBackend() before any tensor work.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// The node bundle of tfjs-layers registers every tfjs-core gradient (tfjs-core's own node bundle
// registers none, and its ESM register_all_gradients cannot load in Node). It also resolves the same
// tfjs-core module as this file, so layers and raw ops share one engine.
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { patchWasmKernels } from './wasm-kernels/index.ts';

import { parseBackendChoice, BackendUnavailableError, type BackendChoice, type BackendName } from './choice.ts';

export {
  BACKEND_CHOICES,
  BackendUnavailableError,
  parseBackendChoice,
  type BackendChoice,
  type BackendName,
} from './choice.ts';

export interface BackendInfo {
  name: BackendName;
  /** What exactly runs, for the record of every result: package, version, threads. */
  detail: string;
}

const require = createRequire(import.meta.url);
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];
let current: BackendInfo | undefined;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Initialises the backend (idempotent: a second call with the same or an 'auto' choice returns the
 * backend already running; an explicit different choice switches to it). Concurrent calls run one
 * after another, so two callers never initialise the same backend at once.
 */
export function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  const result = queue.then(() => selectBackend(choice));
  queue = result.catch(() => undefined);
  return result;
}

async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  const fromEnv = process.env.SHIFTLAB_BACKEND;
  const wanted =
    choice === 'auto' && fromEnv ? parseBackendChoice(fromEnv, 'SHIFTLAB_BACKEND value') : parseBackendChoice(choice);
  if (current && (wanted === 'auto' || wanted === current.name) && tf.getBackend() === current.name) {
    return current;
  }
  if (wanted !== 'auto') {
    const info = await startBackend(wanted);
    if (!info) throw new BackendUnavailableError(unavailableReason(wanted));
    return (current = info);
  }
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    const info = await startBackend(name);
    if (info) return (current = info);
  }
  throw new BackendUnavailableError('no TF.js backend could be started (tried tensorflow, wasm, cpu)');
}

/** The backend initBackend() chose; throws if it has not run yet. */
export function currentBackend(): BackendInfo {
  if (!current || tf.getBackend() !== current.name) {
    throw new Error('no shiftlab backend is active: call initBackend() first');
  }
  return current;
}

function unavailableReason(name: BackendName): string {
  if (name === 'tensorflow') {
    return `backend 'tensorflow' is not available: install ${NATIVE_PACKAGES.join(' or ')} (needs internet access), or use wasm/cpu`;
  }
  return `backend '${name}' failed to initialise`;
}

async function startBackend(name: BackendName): Promise<BackendInfo | undefined> {
  switch (name) {
    case 'tensorflow':
      return startNative();
    case 'wasm':
      return startWasm();
    case 'cpu':
      return startCpu();
  }
}

async function startNative(): Promise<BackendInfo | undefined> {
  for (const pkg of NATIVE_PACKAGES) {
    if (!isResolvable(pkg)) continue;
    try {
      await import(pkg);
      if (await tf.setBackend('tensorflow')) return { name: 'tensorflow', detail: `${pkg} ${packageVersion(pkg)}` };
    } catch {
      // Installed but broken (e.g. libtensorflow missing): fall through to the next candidate.
    }
  }
  return undefined;
}

let wasmPathsSet = false;

async function startWasm(): Promise<BackendInfo | undefined> {
  if (!wasmPathsSet && !tf.engine().registry.wasm) {
    // Point at the .wasm binaries shipped in the package explicitly, so loading works offline and
    // does not depend on how this module was bundled or loaded.
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    setWasmPaths(join(dist, '/'));
    wasmPathsSet = true;
  }
  if (!(await setBackendQuietly('wasm'))) return undefined;
  patchWasmKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = getThreadsCount();
  return {
    name: 'wasm',
    detail: `@tensorflow/tfjs-backend-wasm ${version_wasm}${simd ? ' simd' : ''}, ${threads} thread${threads === 1 ? '' : 's'}, patched kernels`,
  };
}

async function startCpu(): Promise<BackendInfo | undefined> {
  if (!(await setBackendQuietly('cpu'))) return undefined;
  // The cpu backend prints an "install tfjs-node" banner on first use; the choice is deliberate here.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return { name: 'cpu', detail: `@tensorflow/tfjs-backend-cpu ${packageVersion('@tensorflow/tfjs-backend-cpu')}` };
}

/** tf.setBackend logs init failures itself; report them as "unavailable" instead. */
async function setBackendQuietly(name: string): Promise<boolean> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  } finally {
    console.warn = warn;
  }
}

function isResolvable(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

function packageVersion(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown version';
  }
}
