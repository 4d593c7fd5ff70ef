// sbatch scripts for the stages of a plan: per stage a job list (one job id a line) and a job-array script
// whose task N runs the job on line N+1, plus submit.sh, which submits the arrays in order, each waiting for
// the one before (afterok; a failed task cancels everything after it). Pure: text in, text out.
import type { Plan } from '../../runtime/plan.ts';
import type { Stage } from './stages.ts';

/** Per-task resources, as sbatch options; values are passed through (the CLI rejects whitespace). */
export interface SlurmResources {
  partition?: string;
  cpus?: number;
  mem?: string;
  time?: string;
  gres?: string;
}

export interface SlurmScriptInput {
  plan: Plan;
  stages: readonly Stage[];
  /** Absolute paths, as the compute nodes see them. */
  studyFile: string;
  cacheDir: string;
  outDir: string;
  /** How to start shiftlab on a node, e.g. [node, /abs/bin/shiftlab.mjs]. */
  command: readonly string[];
  resources: SlurmResources;
}

export interface GeneratedFile {
  /** Relative to the output directory. */
  path: string;
  content: string;
  executable: boolean;
}

export const SUBMIT_SCRIPT = 'submit.sh';
export const LOG_DIR = 'logs';
/** Names of the per-stage files, so a regeneration can remove those of a previous, longer plan. */
export const STAGE_FILE_PATTERN = /^stage-\d+\.(sbatch|jobs)$/;

export const stageName = (stage: Pick<Stage, 'index'>): string => `stage-${stage.index}`;

/** One word for bash, whatever it contains: single-quoted, with embedded quotes spliced in. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The stage files and submit.sh, in submission order. */
export function slurmScripts(input: SlurmScriptInput): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const stage of input.stages) {
    files.push({
      path: `${stageName(stage)}.jobs`,
      content: stage.jobs.map((job) => `${job.id}\n`).join(''),
      executable: false,
    });
    files.push({
      path: `${stageName(stage)}.sbatch`,
      content: stageScript(input, stage),
      executable: true,
    });
  }
  files.push({
    path: SUBMIT_SCRIPT,
    content: submitScript(input),
    executable: true,
  });
  return files;
}

function stageScript(input: SlurmScriptInput, stage: Stage): string {
  const { plan, stages, resources } = input;
  const directives = [
    `--job-name=shiftlab-${plan.study.name.replace(/[^\w.-]/g, '_')}-${stage.index}`,
    `--array=0-${stage.jobs.length - 1}`,
    // With afterok on a failed (or cancelled) stage, cancel this one instead of leaving it pending.
    '--kill-on-invalid-dep=yes',
    resources.partition !== undefined && `--partition=${resources.partition}`,
    resources.cpus !== undefined && `--cpus-per-task=${resources.cpus}`,
    resources.mem !== undefined && `--mem=${resources.mem}`,
    resources.time !== undefined && `--time=${resources.time}`,
    resources.gres !== undefined && `--gres=${resources.gres}`,
  ].filter((line): line is string => typeof line === 'string');
  const jobsFile = shellQuote(`${input.outDir}/${stageName(stage)}.jobs`);
  const run = [...input.command, 'run', input.studyFile].map(shellQuote).join(' ');
  return [
    '#!/bin/bash',
    `# shiftlab: ${stageName(stage)} of study '${plan.study.name}' (plan ${plan.hash.slice(0, 12)}; stages stage-0 to ${stageName(stages.at(-1)!)}),`,
    `# ${stage.jobs.length} job${stage.jobs.length === 1 ? '' : 's'}, one per array task. Submitted by ${SUBMIT_SCRIPT}.`,
    ...directives.map((directive) => `#SBATCH ${directive}`),
    'set -euo pipefail',
    `jobs_file=${jobsFile}`,
    'line=$((SLURM_ARRAY_TASK_ID + 1))',
    'job=$(sed -n "${line}p" "$jobs_file")',
    'if [ -z "$job" ]; then echo "shiftlab: no job on line $line of $jobs_file" >&2; exit 1; fi',
    'echo "shiftlab: array task $SLURM_ARRAY_TASK_ID runs job $job on $(hostname)"',
    // A job already in the cache returns at once, so a requeued or resubmitted task is harmless. One job
    // needs no worker pool (--workers 0 runs it on the main thread); --quiet writes plain log lines.
    `exec ${run} --job "$job" --cache ${shellQuote(input.cacheDir)} --workers 0 --quiet`,
    '',
  ].join('\n');
}

function submitScript(input: SlurmScriptInput): string {
  const { plan, stages, outDir } = input;
  const jobCount = stages.reduce((sum, stage) => sum + stage.jobs.length, 0);
  const header = [
    '#!/bin/bash',
    `# shiftlab: submits study '${plan.study.name}' (plan ${plan.hash.slice(0, 12)}): ${jobCount} job${jobCount === 1 ? '' : 's'} not yet`,
    `# in the cache, as ${stages.length} chained job array${stages.length === 1 ? '' : 's'}. Prints '<stage> <slurm job id>' per array.`,
    '# After a failure: fix it, run `shiftlab slurm` again (cached jobs are left out), and submit the new script.',
    'set -euo pipefail',
  ];
  if (stages.length === 0)
    return [...header, "echo 'shiftlab: nothing to submit, every job of the plan is in the cache' >&2", ''].join('\n');
  const body = [
    '# --parsable prints "id" or "id;cluster".',
    'submit() { local id; id=$(sbatch --parsable "$@"); printf \'%s\\n\' "${id%%;*}"; }',
  ];
  // '%' starts a SLURM file-name pattern; a literal one is written '%%'.
  const logs = `${outDir.replaceAll('%', '%%')}/${LOG_DIR}`;
  stages.forEach((stage, position) => {
    const name = stageName(stage);
    const options = [
      `--chdir=${shellQuote(outDir)}`,
      `--output=${shellQuote(`${logs}/${name}_%A_%a.out`)}`,
      position > 0 && `--dependency=afterok:"$stage${stages[position - 1]!.index}"`,
      shellQuote(`${outDir}/${name}.sbatch`),
    ].filter((option): option is string => typeof option === 'string');
    body.push(`stage${stage.index}=$(submit ${options.join(' ')})`, `echo "${name} $stage${stage.index}"`);
  });
  return [...header, ...body, ''].join('\n');
}
