// What a plan will do against a cache, like `terraform plan`: jobs grouped by kind, which are cached and which
// will run, and the training they cost (samples × epochs). Shared by `shiftlab plan` and anything else that
// wants to say what a run would do before doing it.
import { Cache, changedInputs } from '../runtime/exec/index.ts';
import { JOB_KINDS, type Job, type JobKind, type Plan } from '../runtime/plan.ts';

/** `corrupt`: an entry exists but its manifest does not match its files, so the job runs again. */
export type JobStatus = 'cached' | 'run' | 'corrupt';

export interface JobState {
  job: Job;
  status: JobStatus;
  /** Why a corrupt entry does not count. */
  reason?: string;
  /** Input files whose content changed since this job last ran (why it is not cached), as the plan names them. */
  changed?: string[];
}

export interface KindSummary {
  kind: JobKind;
  jobs: number;
  cached: number;
  toRun: number;
  /** Training samples × epochs of the jobs that will run. */
  cost: number;
}

export interface PlanSummary {
  kinds: KindSummary[];
  total: { jobs: number; cached: number; toRun: number; cost: number };
}

export async function jobStates(plan: Plan, cacheDir: string): Promise<JobState[]> {
  const cache = new Cache(cacheDir);
  const hashes = new Map(plan.jobs.map((job) => [job.id, job.hash]));
  return Promise.all(
    plan.jobs.map(async (job): Promise<JobState> => {
      const found = await cache.lookup(job.hash);
      if (found.status === 'hit') return { job, status: 'cached' };
      if (found.status === 'corrupt') return { job, status: 'corrupt', reason: found.reason };
      const changed = await changedInputs(
        cacheDir,
        job,
        job.deps.map((dep) => hashes.get(dep)!),
      );
      return changed.length ? { job, status: 'run', changed } : { job, status: 'run' };
    }),
  );
}

/** `data changed: FILE (read by JOB, …)`, one line per changed input file, in plan order. */
export function changedInputLines(states: readonly JobState[]): string[] {
  const readers = new Map<string, string[]>();
  for (const state of states)
    for (const file of state.changed ?? []) readers.set(file, [...(readers.get(file) ?? []), state.job.id]);
  return [...readers].map(([file, jobs]) => `data changed: ${file} (read by ${jobs.join(', ')})`);
}

export function jobCost(job: Job): number {
  return job.cost ? job.cost.samples * job.cost.epochs : 0;
}

export function summarise(states: readonly JobState[]): PlanSummary {
  const kinds: KindSummary[] = [];
  for (const kind of JOB_KINDS) {
    const ofKind = states.filter((state) => state.job.kind === kind);
    if (!ofKind.length) continue;
    const toRun = ofKind.filter((state) => state.status !== 'cached');
    kinds.push({
      kind,
      jobs: ofKind.length,
      cached: ofKind.length - toRun.length,
      toRun: toRun.length,
      cost: toRun.reduce((sum, state) => sum + jobCost(state.job), 0),
    });
  }
  const sum = (field: 'jobs' | 'cached' | 'toRun' | 'cost') => kinds.reduce((total, kind) => total + kind[field], 0);
  return { kinds, total: { jobs: sum('jobs'), cached: sum('cached'), toRun: sum('toRun'), cost: sum('cost') } };
}

const count = (n: number) => n.toLocaleString('en-US');

/** The text `shiftlab plan` prints. `list` adds one line per job; otherwise only training jobs that will run are listed. */
export function renderPlan(
  plan: Plan,
  states: readonly JobState[],
  cacheDir: string,
  options: { list?: boolean } = {},
): string {
  const summary = summarise(states);
  const lines = [
    `Plan for study ${plan.study.name} (${plan.study.file}), plan ${plan.hash.slice(0, 12)}`,
    `Cache: ${cacheDir}`,
    '',
  ];
  const rows = [
    ['kind', 'jobs', 'cached', 'to run', 'cost (samples × epochs)'],
    ...summary.kinds.map((kind) => [
      kind.kind,
      count(kind.jobs),
      count(kind.cached),
      count(kind.toRun),
      kind.cost ? count(kind.cost) : '',
    ]),
    [
      'total',
      count(summary.total.jobs),
      count(summary.total.cached),
      count(summary.total.toRun),
      count(summary.total.cost),
    ],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) {
    const cells = row.map((cell, column) =>
      column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
    );
    lines.push(`  ${cells.join('  ')}`.trimEnd());
  }
  const listed = options.list ? states : states.filter((state) => state.status !== 'cached' && state.job.cost);
  if (listed.length) {
    lines.push(
      '',
      options.list ? 'Jobs (+ will run, = cached, ! corrupt cache entry, will run again):' : 'Training that will run:',
    );
    for (const { job, status, reason } of listed) {
      const mark = status === 'cached' ? '=' : status === 'corrupt' ? '!' : '+';
      const cost = job.cost ? `  ${count(job.cost.samples)} × ${job.cost.epochs} epochs` : '';
      lines.push(`  ${mark} ${job.id}${cost}${reason ? `  (${reason})` : ''}`);
    }
  }
  const changed = changedInputLines(states);
  if (changed.length) lines.push('', ...changed.map((line) => `  ${line}`));
  const corrupt = states.filter((state) => state.status === 'corrupt').length;
  lines.push(
    '',
    summary.total.toRun === 0
      ? `Nothing to run: all ${count(summary.total.jobs)} jobs are cached.`
      : `Plan: ${count(summary.total.toRun)} to run, ${count(summary.total.cached)} cached` +
          (corrupt
            ? ` (${count(corrupt)} cache entr${corrupt === 1 ? 'y is' : 'ies are'} corrupt and will run again)`
            : '') +
          `; estimated training ${count(summary.total.cost)} samples × epochs.`,
  );
  return lines.join('\n');
}
