// `shiftlab plan FILE [--cache DIR] [--json] [--list]`: what `run` would do, without running anything.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { planSource } from '../../compiler/plan/index.ts';
import { diagnosticsToJson, renderDiagnostics, summarize } from '../../compiler/diagnostics/index.ts';
import { StudyBuildError } from '../../runtime/study/builder.ts';
import { CliError, UsageError } from '../errors.ts';
import { jobStates, renderPlan, summarise } from '../plan-view.ts';

/** Bumped when the shape of `plan --json` output changes. */
export const PLAN_OUTPUT_VERSION = 1;
export const DEFAULT_CACHE_DIR = '.shiftlab/cache';

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
    .addHelpText('after', '\nExit codes: 0 planned, 1 the study has errors (they are printed), 2 usage error or unreadable file.\n')
    .action((file: string, options: PlanOptions) => plan(file, options));
}

async function plan(file: string, options: PlanOptions): Promise<void> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const planned = planOrFail(source, file);
  if (!planned.plan) {
    if (options.json) process.stdout.write(`${JSON.stringify({ version: PLAN_OUTPUT_VERSION, ...diagnosticsToJson(file, planned.diagnostics) }, null, 2)}\n`);
    else process.stderr.write(`${renderDiagnostics(planned.diagnostics, source, { color: colour() })}\n\n${file}: ${summarize(planned.diagnostics)}\n`);
    // The diagnostics are the message: exit 1 without another line.
    process.exitCode = 1;
    return;
  }
  const states = await jobStates(planned.plan, resolve(options.cache));
  if (options.json) {
    const status = Object.fromEntries(states.map((state) => [state.job.id, state.status]));
    const output = { version: PLAN_OUTPUT_VERSION, cache: options.cache, summary: summarise(states), status, plan: planned.plan };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return;
  }
  // Warnings do not stop a plan, but say them (on stderr, so stdout stays the plan).
  if (planned.diagnostics.length) process.stderr.write(`${renderDiagnostics(planned.diagnostics, source, { color: colour() })}\n\n`);
  process.stdout.write(`${renderPlan(planned.plan, states, options.cache, { list: options.list })}\n`);
}

function planOrFail(source: string, file: string): ReturnType<typeof planSource> {
  try {
    return planSource(source, file);
  } catch (error) {
    // A checked study the builder still rejects is a checker gap: report it as a clean error on its line.
    if (error instanceof StudyBuildError) throw new CliError(error.message, 1);
    throw error;
  }
}

function colour(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
}
