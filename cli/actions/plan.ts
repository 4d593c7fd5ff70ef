// `shiftlab plan FILE [--cache DIR] [--json] [--list]`: what `run` would do, without running anything.
import { resolve } from 'node:path';
import { diagnosticsToJson } from '../../compiler/diagnostics/index.ts';
import { defaultWorkerCount, ExitCode } from '../../runtime/study/defaults.ts';
import { estimatePlan } from '../../runtime/study/estimate.ts';
import { jobStates, renderPlan, summarise } from '../plan-view.ts';
import { loadStudy, planOf, reportStudyErrors, reportWarnings } from '../study-loader.ts';

/** Bumped when the shape of `plan --json` output changes. */
export const PLAN_OUTPUT_VERSION = 1;

export interface PlanOptions {
  cache: string;
  json?: boolean;
  list?: boolean;
}

export async function plan(file: string, options: PlanOptions): Promise<void> {
  const loaded = loadStudy(file);
  if (!loaded.study) {
    // The diagnostics are the message: exit 1 without another line.
    if (!options.json) return reportStudyErrors(loaded);
    process.stdout.write(
      `${JSON.stringify({ version: PLAN_OUTPUT_VERSION, ...diagnosticsToJson(file, loaded.diagnostics) }, null, 2)}\n`,
    );
    process.exitCode = ExitCode.failed;
    return;
  }
  const cacheDir = resolve(options.cache);
  const plan = planOf({ ...loaded, study: loaded.study }, cacheDir);
  const states = await jobStates(plan, cacheDir);
  // From earlier runs' timings; a person at a terminal gets a one-second calibration when there are none.
  const toRun = states.filter((state) => state.status !== 'cached').map((state) => state.job);
  const estimate = await estimatePlan(plan, toRun, cacheDir, {
    workers: defaultWorkerCount(),
    calibrate: !options.json && process.stdout.isTTY === true,
  });
  if (options.json) {
    const status = Object.fromEntries(states.map((state) => [state.job.id, state.status]));
    // Per job, the input files whose content changed since it last ran (only jobs with some).
    const changedInputs = Object.fromEntries(
      states.flatMap((state) => (state.changed ? [[state.job.id, state.changed]] : [])),
    );
    const output = {
      version: PLAN_OUTPUT_VERSION,
      cache: options.cache,
      summary: summarise(states),
      estimate: estimate ?? null,
      status,
      changedInputs,
      plan,
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return;
  }
  // Warnings do not stop a plan, but say them (on stderr, so stdout stays the plan).
  reportWarnings(loaded);
  process.stdout.write(`${renderPlan(plan, states, options.cache, { list: options.list, estimate })}\n`);
}
