// `shiftlab run FILE`: check, plan and execute a study (resuming from the cache), then write results.json,
// metrics.csv and report.html. Exit 0 when every job ran and every expectation holds, 1 when the study has
// errors, a job failed or an expectation failed (results are still written), 2 on usage errors, 130 when
// interrupted.
import { resolve } from 'node:path';
import { BackendUnavailableError, parseBackendChoice, type BackendChoice } from '../../runtime/backend/choice.ts';
import { interruptOnSignals, PlanError } from '../../runtime/exec/index.ts';
import type { Plan } from '../../runtime/plan.ts';
import {
  describeJobFailure,
  describeFailedExpectation,
  describeResultPaths,
  INTERRUPTED_MESSAGE,
  parseWorkerCount,
  runExitCode,
} from '../../runtime/study/defaults.ts';
import { defaultOutDir, runStudy, type RunStudyResult } from '../../runtime/study/run.ts';
import { CliError, UsageError } from '../errors.ts';
import { createProgressReporter } from '../progress.ts';
import { renderSummary } from '../results-view.ts';
import { loadStudy, planOf, reportStudyErrors, reportWarnings } from '../study-loader.ts';

export interface RunOptions {
  backend: string;
  workers?: string;
  cache: string;
  out?: string;
  job?: string;
  quiet?: boolean;
  json?: boolean;
}

export async function run(file: string, options: RunOptions): Promise<void> {
  const backend = backendChoice(options.backend);
  const workers = workerCount(options.workers);
  const loaded = loadStudy(file);
  const { study, source } = loaded;
  if (!study) return reportStudyErrors(loaded);
  if (!options.json) reportWarnings(loaded);
  const cacheDir = resolve(options.cache);
  const plan = planOf({ ...loaded, study }, cacheDir);
  if (options.job !== undefined && !plan.jobs.some((job) => job.id === options.job)) {
    throw new UsageError(`the plan of ${file} has no job '${options.job}' (shiftlab plan ${file} --list shows them)`);
  }
  const outDir = options.out ?? defaultOutDir(plan);

  const reporter = createProgressReporter({ json: options.json, quiet: options.quiet });
  const interruption = interruptOnSignals(() => reporter.stop());
  let result: RunStudyResult;
  try {
    result = await runStudy(plan, {
      cacheDir,
      outDir,
      backend,
      workers,
      onEvent: (event) => reporter.onEvent(event),
      signal: interruption.signal,
      only: options.job,
      // Someone watching the live display wants its time left, worth a second's calibration on a first run.
      calibrate: reporter.mode === 'live',
      meta: { title: study.title ?? undefined, file, source },
    });
  } catch (error) {
    // E.g. --job whose dependencies are not cached yet.
    if (error instanceof PlanError) throw new CliError(error.message, 1);
    if (error instanceof BackendUnavailableError) throw new CliError(error.message, 1);
    throw error;
  } finally {
    reporter.stop();
    interruption.dispose();
  }
  report(result, plan, options);
}

function report(result: RunStudyResult, plan: Plan, options: RunOptions): void {
  if (options.json) {
    const summary = {
      type: 'run-done',
      ok: result.ok,
      interrupted: result.interrupted,
      backend: result.backend,
      planHash: plan.hash,
      ...result.paths,
      failedJobs: result.failedJobs.map((failure) => ({
        jobId: failure.jobId,
        kind: failure.kind,
        source: failure.source,
        message: failure.detail,
      })),
      failedExpectations: result.failedExpectations,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    for (const failure of result.failedJobs) process.stderr.write(describeJobFailure(failure));
    if (result.results) process.stdout.write(`\n${renderSummary(result.results)}\n`);
    if (result.paths.results) {
      process.stdout.write(describeResultPaths(result.paths));
    } else if (options.job && result.exec.ok) {
      process.stdout.write(`job ${options.job}: ${result.exec.cached.length ? 'already cached' : 'done'}\n`);
    }
    for (const expectation of result.failedExpectations)
      process.stderr.write(describeFailedExpectation(expectation, plan.study.file));
    if (result.interrupted) process.stderr.write(INTERRUPTED_MESSAGE);
  }
  process.exitCode = runExitCode(result);
}

function backendChoice(value: string): BackendChoice {
  try {
    return parseBackendChoice(value, '--backend');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function workerCount(value: string | undefined): number {
  try {
    return parseWorkerCount(value);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
