// `shiftlab slurm`: its name, arguments and options; the action module loads only when the command runs.
import { InvalidArgumentError, type Command } from 'commander';
import type { SlurmOptions } from '../actions/slurm.ts';
import { DEFAULT_CACHE_DIR } from '../../runtime/study/defaults.ts';

export function registerSlurm(program: Command): void {
  program
    .command('slurm')
    .description('write sbatch job arrays (one per stage of the plan) and a submit.sh for the jobs not yet cached')
    .argument('<file>', '.study file to run on the cluster')
    .option('-o, --output <dir>', 'directory for the scripts, job lists and logs (default: .shiftlab/slurm/<study>)')
    .option('--cache <dir>', 'shared cache directory, visible to every node', DEFAULT_CACHE_DIR)
    .option('--partition <name>', 'SLURM partition for every task', sbatchValue)
    .option('--cpus <n>', 'CPUs per task', positiveInteger)
    .option('--mem <size>', 'memory per node, as sbatch takes it (e.g. 4G)', sbatchValue)
    .option('--time <limit>', 'time limit per task, as sbatch takes it (e.g. 01:00:00)', sbatchValue)
    .option('--gres <spec>', 'generic resources per task (e.g. gpu:1)', sbatchValue)
    .option('--json', 'machine-readable summary: stages with their job ids, and the files written')
    .addHelpText(
      'after',
      '\nThen run `bash DIR/submit.sh` on the login node: it submits the arrays in order (afterok) and prints\n' +
        "'<stage> <slurm job id>' per array. Each task runs `shiftlab run FILE --job ID --cache DIR`.\n" +
        'After a failure, fix it and run `shiftlab slurm` again: cached jobs are left out. See docs/cluster.md.\n' +
        '\nExit codes: 0 written, 1 the study has errors (they are printed), 2 usage error or unreadable file.\n',
    )
    .action(async (file: string, options: SlurmOptions) => (await import('../actions/slurm.ts')).slurm(file, options));
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive whole number');
  return Number(value);
}

/** Values go into `#SBATCH` lines, which do not survive whitespace. */
function sbatchValue(value: string): string {
  if (value === '' || /\s/.test(value)) throw new InvalidArgumentError('expected a value without spaces');
  return value;
}
