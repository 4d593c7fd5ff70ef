// `shiftlab slurm FILE [-o DIR] [--cache DIR] [resources]`: sbatch job arrays over the jobs of a study that
// are not yet in the (shared) cache, one array per stage of the plan, and a submit.sh that chains them.
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import {
  LOG_DIR,
  planStages,
  slurmScripts,
  STAGE_FILE_PATTERN,
  stageName,
  SUBMIT_SCRIPT,
  type SlurmResources,
} from '../../compiler/slurm/index.ts';
import type { Plan } from '../../runtime/plan.ts';
import { DEFAULT_CACHE_DIR } from '../../runtime/study/defaults.ts';
import { CliError } from '../errors.ts';
import { jobStates } from '../plan-view.ts';
import { loadStudy, planOf, reportStudyErrors } from '../study-loader.ts';

/** Bumped when the shape of `slurm --json` output changes. */
export const SLURM_OUTPUT_VERSION = 1;

/** This install's entry point: tasks start the same shiftlab that wrote their scripts. */
const BINARY = fileURLToPath(new URL('../../bin/shiftlab.mjs', import.meta.url));

interface SlurmOptions extends SlurmResources {
  output?: string;
  cache: string;
  json?: boolean;
}

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
    .action((file: string, options: SlurmOptions) => slurm(file, options));
}

async function slurm(file: string, options: SlurmOptions): Promise<void> {
  const cacheDir = resolve(options.cache);
  const plan = planOrExit(file, cacheDir);
  if (!plan) return;
  const studyFile = resolve(file);
  const outDir = resolve(options.output ?? join('.shiftlab', 'slurm', plan.study.name));

  const cached = new Set(
    (await jobStates(plan, cacheDir)).filter((state) => state.status === 'cached').map((state) => state.job.id),
  );
  const stages = planStages(plan, cached);
  const { partition, cpus, mem, time, gres } = options;
  const files = slurmScripts({
    plan,
    stages,
    studyFile,
    cacheDir,
    outDir,
    command: [process.execPath, BINARY],
    resources: { partition, cpus, mem, time, gres },
  });

  try {
    mkdirSync(join(outDir, LOG_DIR), { recursive: true });
    // Stage files of an earlier, longer generation would be misleading next to the new submit.sh.
    for (const name of readdirSync(outDir)) if (STAGE_FILE_PATTERN.test(name)) rmSync(join(outDir, name));
    for (const generated of files) {
      const path = join(outDir, generated.path);
      writeFileSync(path, generated.content);
      if (generated.executable) chmodSync(path, 0o755);
    }
  } catch (error) {
    throw new CliError(
      `cannot write to ${outDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      2,
    );
  }

  const toRun = stages.reduce((sum, stage) => sum + stage.jobs.length, 0);
  const submit = join(outDir, SUBMIT_SCRIPT);
  if (options.json) {
    const output = {
      version: SLURM_OUTPUT_VERSION,
      study: studyFile,
      cache: cacheDir,
      outDir,
      submit,
      jobs: { total: plan.jobs.length, cached: cached.size, toRun },
      stages: stages.map((stage) => ({ name: stageName(stage), jobs: stage.jobs.map((job) => job.id) })),
      files: files.map((generated) => join(outDir, generated.path)),
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return;
  }
  if (toRun === 0) {
    process.stdout.write(
      `all ${plan.jobs.length} jobs are in ${cacheDir}: nothing to submit (run \`shiftlab run ${file} --cache ${options.cache}\` to assemble results)\n`,
    );
    return;
  }
  const lines = stages.map(
    (stage) => `  ${stageName(stage)}: ${stage.jobs.length} job${stage.jobs.length === 1 ? '' : 's'}`,
  );
  process.stdout.write(
    `${toRun} of ${plan.jobs.length} jobs to run (${cached.size} cached) in ${stages.length} stage${stages.length === 1 ? '' : 's'}:\n` +
      `${lines.join('\n')}\nsubmit with: bash ${submit}\n`,
  );
}

/** The plan, or null after printing the study's errors (exit 1). */
function planOrExit(file: string, cacheDir: string): Plan | null {
  const loaded = loadStudy(file);
  if (loaded.study) return planOf({ ...loaded, study: loaded.study }, cacheDir);
  reportStudyErrors(loaded);
  return null;
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
