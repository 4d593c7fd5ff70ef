// What the benchmark ran on, so a table can be read next to the machine and its load.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
}

export function describeMachine(): Machine {
  return {
    cpus: nproc(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/** 1-, 5- and 15-minute load averages, two decimals. */
export function loadAverage(): number[] {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}

/** Cores this process may use (`nproc`), which can be fewer than the machine has. */
function nproc(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return os.availableParallelism();
  }
}

/**
 * The share of one core a busy thread gets right now (CPU time / wall time over `ms` of spinning): 1 on
 * an idle machine, lower when other work competes for the cores. A better load gauge than the load average.
 */
export function busyThreadCpuShare(ms = 1000): number {
  const before = process.cpuUsage();
  const started = performance.now();
  while (performance.now() - started < ms);
  const used = process.cpuUsage(before);
  return Math.round(((used.user + used.system) / 1000 / (performance.now() - started)) * 100) / 100;
}
