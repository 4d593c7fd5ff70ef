// `shiftlab plan`: its name, arguments and options; the action module loads only when the command runs.
import type { Command } from 'commander';
import type { PlanOptions } from '../actions/plan.ts';
import { DEFAULT_CACHE_DIR } from '../../runtime/study/defaults.ts';

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
    .action(async (file: string, options: PlanOptions) => (await import('../actions/plan.ts')).plan(file, options));
}
