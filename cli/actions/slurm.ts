// `shiftlab slurm FILE [-o DIR] [--cache DIR] [resources]`: sbatch job arrays over the jobs of a study that
// are not yet in the (shared) cache, one array per stage of the plan, and a submit.sh that chains them.
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
import { CliError } from '../errors.ts';
import { jobStates } from '../plan-view.ts';
import { loadStudy, planOf, reportStudyErrors } from '../study-loader.ts';

/** Bumped when the shape of `slurm --json` output changes. */
export const SLURM_OUTPUT_VERSION = 1;

/** This install's entry point: tasks start the same shiftlab that wrote their scripts. */
const BINARY = fileURLToPath(new URL('../../bin/shiftlab.mjs', import.meta.url));

export interface SlurmOptions extends SlurmResources {
  output?: string;
  cache: string;
  json?: boolean;
}

export async function slurm(file: string, options: SlurmOptions): Promise<void> {
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
