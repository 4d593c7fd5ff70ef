// What a run does when nothing says otherwise, and how its outcome is told: the one source for the
// `shiftlab run` command, `shiftlab plan`/`slurm`, compiled scripts (through shiftlab/runtime), the studies
// runner and the benchmarks, so a default or an exit code cannot drift between them.
import { availableParallelism } from 'node:os';

// Structural types (not the executor's and results' own) so the executor can read its defaults here too.
interface JobFailure {
  jobId: string;
  detail: string;
  source?: { file: string; line: number; text: string };
}
interface FailedExpectation {
  line: number;
  source: string;
  operands: Record<string, number>;
}

/** The content-addressed cache, relative to the working directory. */
export const DEFAULT_CACHE_DIR = '.shiftlab/cache';

export const DEFAULT_BACKEND = 'auto';

/** One worker thread per core. */
export function defaultWorkerCount(): number {
  return availableParallelism();
}

/** A `--workers` value (0 runs jobs in the calling thread); throws a RangeError naming `source` when invalid. */
export function parseWorkerCount(value: string | undefined, source = '--workers'): number {
  if (value === undefined) return defaultWorkerCount();
  const count = Number(value);
  if (value.trim() === '' || !Number.isInteger(count) || count < 0)
    throw new RangeError(`${source} must be a whole number ≥ 0 (got '${value}')`);
  return count;
}

/** Process exit codes of `shiftlab` and of compiled scripts. */
export const ExitCode = {
  ok: 0,
  /** The study has errors, a job failed or an expectation failed. */
  failed: 1,
  usage: 2,
  internal: 70,
  interrupted: 130,
} as const;

/** The exit code of a finished run: interrupted, else 0 only when every job ran and every expectation holds. */
export function runExitCode(result: { interrupted: boolean; ok: boolean }): number {
  return result.interrupted ? ExitCode.interrupted : result.ok ? ExitCode.ok : ExitCode.failed;
}

/** `file:line: <study line>` then the error, so a runtime fault points at the declaration that caused it. */
export function describeJobFailure(failure: JobFailure): string {
  const where = failure.source
    ? `${failure.source.file}:${failure.source.line}: ${failure.source.text.trim()}\n  `
    : '';
  return `${where}job ${failure.jobId} failed: ${failure.detail}\n`;
}

/** `file:line: expectation failed: <claim>` and the value of each result it read. */
export function describeFailedExpectation(expectation: FailedExpectation, file: string): string {
  const operands = Object.entries(expectation.operands).map(([path, value]) => `\n  ${path} = ${formatOperand(value)}`);
  return `${file}:${expectation.line}: expectation failed: ${expectation.source}${operands.join('')}\n`;
}

export const INTERRUPTED_MESSAGE = 'interrupted: finished jobs are cached; run again to resume\n';

/** An expectation's operand as the run prints it: 4 decimals, or 4 significant digits when tiny. */
export const formatOperand = (value: number) =>
  Math.abs(value) >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(3);

/** Where a run's results went: `results:`, `metrics:` and `report:` lines (empty when none were written). */
export function describeResultPaths(paths: { results?: string; metrics?: string; report?: string }): string {
  return paths.results ? `results: ${paths.results}\nmetrics: ${paths.metrics}\nreport:  ${paths.report}\n` : '';
}

/** Everything that went wrong in a run, for stderr: failed jobs, failed expectations, an interruption. */
export function describeRunFailures(
  result: { failedJobs: readonly JobFailure[]; failedExpectations: readonly FailedExpectation[]; interrupted: boolean },
  file: string,
): string {
  return [
    ...result.failedJobs.map(describeJobFailure),
    ...result.failedExpectations.map((expectation) => describeFailedExpectation(expectation, file)),
    result.interrupted ? INTERRUPTED_MESSAGE : '',
  ].join('');
}
