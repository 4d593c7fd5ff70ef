// `shiftlab run`: its name, arguments and options; the action module loads only when the command runs.
import type { Command } from 'commander';
import type { RunOptions } from '../actions/run.ts';
import { DEFAULT_BACKEND, DEFAULT_CACHE_DIR } from '../../runtime/study/defaults.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'run a study: train and evaluate every job not already cached, then write results.json, metrics.csv and report.html',
    )
    .argument('<file>', '.study file to run')
    .option('--backend <name>', 'tensor backend: auto, wasm, cpu or tensorflow', DEFAULT_BACKEND)
    .option('--workers <n>', 'worker threads (default: number of cores)')
    .option('--cache <dir>', 'cache directory shared by runs', DEFAULT_CACHE_DIR)
    .option('--out <dir>', 'results directory (default: results/<study>/)')
    .option('--job <id>', 'run only this job against the cache (its dependencies must be cached; for SLURM tasks)')
    .option('--quiet', 'one plain line per event instead of the live display')
    .option('--json', 'progress and the final summary as JSON lines')
    .addHelpText(
      'after',
      '\nExit codes: 0 done and every expectation holds, 1 study errors, a failed job or a failed expectation, 2 usage error, 130 interrupted.\n',
    )
    .action(async (file: string, options: RunOptions) => (await import('../actions/run.ts')).run(file, options));
}
