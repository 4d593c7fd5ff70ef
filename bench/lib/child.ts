// Runs one benchmark in a fresh child process and reads the JSON object it prints as its last stdout line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TEN_MINUTES = 10 * 60 * 1000;

export interface ChildRun<T> {
  value: T;
  wallSeconds: number;
}

/** `node --import tsx script args…` → its last JSON line. Throws with the tail of stderr on failure. */
export function runTsJson<T>(script: string, args: string[]): ChildRun<T> {
  return runJson<T>(process.execPath, ['--import', 'tsx', script, ...args]);
}

export function runJson<T>(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeout = TEN_MINUTES,
): ChildRun<T> {
  const started = performance.now();
  const child = spawnSync(command, args, { encoding: 'utf8', env, timeout, maxBuffer: 64 * 2 ** 20 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0)
    throw new Error(
      `${describe(command, args)} failed (${child.error?.message ?? `exit ${child.status}`}): ${tail(child.stderr)}`,
    );
  const last = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return { value: JSON.parse(last) as T, wallSeconds };
  } catch {
    throw new Error(`${describe(command, args)} printed no JSON line: ${tail(child.stdout)}`);
  }
}

export interface TimedProcess {
  wallSeconds: number;
  /** Peak RSS of the child (and its threads) from /usr/bin/time; absent when that tool is missing. */
  peakRssMiB?: number;
}

/** Wall time and peak memory of a whole command, as a user would see it. */
export function timeProcess(command: string, args: string[]): TimedProcess {
  const gnuTime = '/usr/bin/time';
  const withTime = existsSync(gnuTime);
  const started = performance.now();
  const child = withTime
    ? spawnSync(gnuTime, ['-f', 'bench-peak-rss-kib %M', command, ...args], {
        encoding: 'utf8',
        timeout: 3 * TEN_MINUTES,
        maxBuffer: 64 * 2 ** 20,
      })
    : spawnSync(command, args, { encoding: 'utf8', timeout: 3 * TEN_MINUTES, maxBuffer: 64 * 2 ** 20 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0)
    throw new Error(
      `${describe(command, args)} failed (${child.error?.message ?? `exit ${child.status}`}): ${tail(child.stderr)}`,
    );
  const kib = /bench-peak-rss-kib (\d+)/.exec(child.stderr)?.[1];
  return { wallSeconds, peakRssMiB: kib ? Math.round(Number(kib) / 1024) : undefined };
}

function describe(command: string, args: string[]): string {
  return [command === process.execPath ? 'node' : command, ...args].join(' ');
}

function tail(text: string | null): string {
  return (text ?? '').trim().split('\n').slice(-5).join(' | ');
}
