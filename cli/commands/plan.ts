// `shiftlab plan FILE [--cache DIR] [--json] [--list]`: what `run` would do, without running anything.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { diagnosticsToJson } from '../../compiler/diagnostics/index.ts';
import { DEFAULT_CACHE_DIR, ExitCode } from '../../runtime/study/defaults.ts';
import { jobStates, renderPlan, summarise } from '../plan-view.ts';
import { loadStudy, planOf, reportStudyErrors, reportWarnings } from '../study-loader.ts';

/** Bumped when the shape of `plan --json` output changes. */
export const PLAN_OUTPUT_VERSION = 1;

interface PlanOptions {
  cache: string;
  json?: boolean;
  list?: boolean;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show the jobs a run would execute, which are cached, and the training they cost (runs nothing)')
    .argument('<file>', '.study file to plan')
    .option('--cache <dir>', 'cache directory to check jobs against', DEFAULT_CACHE_DIR)
    .option('--json', 'machine-readable output: the plan, each job’s cache status and the summary')
    .option('--list', 'list every job with its status, not only the training that will run')
    .addHelpText(
      'after',
      '\nExit codes: 0 planned, 1 the study has errors (they are printed), 2 usage error or unreadable file.\n',
    )
    .action((file: string, options: PlanOptions) => plan(file, options));
}

async function plan(file: string, options: PlanOptions): Promise<void> {
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
      status,
      changedInputs,
      plan,
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return;
  }
  // Warnings do not stop a plan, but say them (on stderr, so stdout stays the plan).
  reportWarnings(loaded);
  process.stdout.write(`${renderPlan(plan, states, options.cache, { list: options.list })}\n`);
}
