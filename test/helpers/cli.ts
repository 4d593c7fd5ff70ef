import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './build.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const binary = fileURLToPath(new URL('../../bin/shiftlab.mjs', import.meta.url));
const sourceEntry = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

// Every test that spawns the binary (or imports `shiftlab/runtime`, which resolves to dist/) goes through here.
ensureBuilt();

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs the real `shiftlab` binary (the built JavaScript) in a child process, as a user would. */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
  return spawnCli([binary, ...args], options);
}

/** Runs the CLI from its TypeScript sources through tsx (development mode), to compare with the build. */
export function runSourceCli(args: string[], options: CliOptions = {}): CliResult {
  return spawnCli(['--import', 'tsx', sourceEntry, ...args], options);
}

function spawnCli(nodeArgs: string[], options: CliOptions): CliResult {
  const result = spawnSync(process.execPath, nodeArgs, {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
