// Assembles a finished run's results.json (runtime/results.ts) and metrics.csv from the artifacts the plan's
// jobs left in the cache. Numbers come from the artifacts as the handlers wrote them (nothing is recomputed);
// names come from the labels of the current plan, never from the cache, since a rename keeps every hash.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Cache } from '../exec/cache.ts';
import { readEffectiveRobustness } from '../jobs/handlers/effective-robustness.ts';
import { metricCallValues, readOperandValues, type ExpectationFile } from '../jobs/handlers/expect.ts';
import { baselineResult, readFit } from '../jobs/handlers/fit-baseline.ts';
import { readSupportSweep } from '../jobs/handlers/support-sweep.ts';
import { BACKEND_ARTIFACT, type MetricsFile, type PartsFile } from '../jobs/handlers/artifacts.ts';
import type { ExpectJobSpec, FitBaselineJobSpec } from '../jobs/specs.ts';
import { jobsOfKind, type EvaluationLabels, type Job, type Plan } from '../plan.ts';
import { parseResults } from '../report/read-results.ts';
import {
  schemaVersion,
  type BaselineResult,
  type ComparisonResult,
  type ExpectationResult,
  type ModelResult,
  type Results,
  type SplitResult,
  type StudyInfo,
  type SupportSweepPart,
} from '../results.ts';

export interface AssembleOptions {
  cacheDir: string;
  backend: string;
  study: StudyInfo;
}

export async function assembleResults(plan: Plan, options: AssembleOptions): Promise<Results> {
  const artifacts = new Artifacts(plan, new Cache(options.cacheDir));
  const backendsUsed = await backendCounts(plan, artifacts);
  const names = Object.keys(backendsUsed).sort();
  return {
    schemaVersion,
    study: options.study,
    backend: names.length ? names.join('+') : options.backend,
    backendsUsed,
    planHash: plan.hash,
    createdAt: new Date().toISOString(),
    models: await modelResults(plan, artifacts),
    comparisons: await comparisonResults(plan, artifacts),
    splits: await splitResults(plan, artifacts),
    expectations: await expectationResults(plan, artifacts),
  };
}

/** Reads the JSON artifacts of plan jobs by id. */
class Artifacts {
  private readonly byId: Map<string, Job>;
  constructor(
    plan: Plan,
    private readonly cache: Cache,
  ) {
    this.byId = new Map(plan.jobs.map((job) => [job.id, job]));
  }

  job(id: string): Job {
    const job = this.byId.get(id);
    if (!job) throw new Error(`the plan has no job ${id}`);
    return job;
  }

  dir(id: string): string {
    return this.cache.entryDir(this.job(id).hash);
  }

  async json<T>(id: string, file: string): Promise<T> {
    return JSON.parse(await readFile(join(this.dir(id), file), 'utf8')) as T;
  }
}

/** Backend name → number of jobs it computed, from the record each tensor-computing job leaves. */
async function backendCounts(plan: Plan, artifacts: Artifacts): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const job of plan.jobs) {
    const record = await artifacts.json<{ name: string }>(job.id, BACKEND_ARTIFACT).catch(() => undefined);
    if (record) counts[record.name] = (counts[record.name] ?? 0) + 1;
  }
  return counts;
}

/** Every evaluated model (sweep candidates excluded) with its metrics under `distribution.split` or `split.part`. */
async function modelResults(plan: Plan, artifacts: Artifacts): Promise<ModelResult[]> {
  const models = new Map<string, ModelResult>();
  for (const job of jobsOfKind(plan.jobs, 'metric')) {
    const labels = job.labels;
    if (!labels || labels.candidate !== undefined) continue;
    let model = models.get(labels.model);
    if (!model) {
      model = { name: labels.model, group: labels.group, copy: labels.copy ?? 0, metrics: {} };
      if (labels.epoch !== undefined) model.checkpoint = labels.epoch;
      models.set(labels.model, model);
    }
    const where = `${labels.distribution}.${labels.part ?? labels.split}`;
    const measured = await artifacts.json<MetricsFile>(job.id, 'metrics.json');
    model.metrics[where] = { ...model.metrics[where], ...measured.values, count: measured.count };
  }
  return [...models.values()];
}

/**
 * Comparisons as the fit-baseline and effective-robustness jobs computed them; each point and copy is named by
 * the current plan's model at its position in the job's deps (the artifacts are in dep-pair order).
 */
async function comparisonResults(plan: Plan, artifacts: Artifacts): Promise<ComparisonResult[]> {
  const comparisons = new Map<string, ComparisonResult>();
  const erJobs = jobsOfKind(plan.jobs, 'effective-robustness');
  for (const fitJob of jobsOfKind(plan.jobs, 'fit-baseline')) {
    const { compare: name, target, interval } = labelsOf(fitJob);
    const { metric, scale } = fitJob.spec as unknown as FitBaselineJobSpec;
    const armJobs = erJobs.filter((job) => labelsOf(job).compare === name && labelsOf(job).target === target);
    const baseline: BaselineResult = baselineResult(
      await readFit(artifacts.dir(fitJob.id)),
      baselineModels(artifacts, fitJob.deps),
    );
    let comparison = comparisons.get(name);
    if (!comparison) {
      const baselineName = evaluationLabels(artifacts, fitJob.deps[0]).group;
      comparison = {
        name,
        metric,
        scale,
        interval,
        shifts: [],
        baseline: { name: baselineName, byShift: {} },
        arms: {},
      };
      comparisons.set(name, comparison);
    }
    comparison.shifts.push(target);
    comparison.baseline.byShift[target] = baseline;
    for (const job of armJobs) {
      const result = await readEffectiveRobustness(artifacts.dir(job.id));
      const copies = named(result.copies, modelNames(artifacts, job.deps.slice(1)));
      (comparison.arms[labelsOf(job).arm] ??= {})[target] = { ...result, copies };
    }
  }
  for (const job of jobsOfKind(plan.jobs, 'support-sweep')) {
    const { compare, split, arms } = labelsOf(job);
    const comparison = comparisons.get(compare);
    if (!comparison) throw new Error(`support sweep ${job.id} belongs to no comparison ${compare}`);
    const rows = (await readSupportSweep(artifacts.dir(job.id))).map((row) => ({
      ...row,
      in_support: row.in_support && namedArms(row.in_support, arms),
      out_of_support: row.out_of_support && namedArms(row.out_of_support, arms),
    }));
    (comparison.supportSweeps ??= []).push({ split, rows });
  }
  return [...comparisons.values()];
}

/** A sweep part with its arms (keyed by position in the cached artifact) named by the plan. */
function namedArms(part: SupportSweepPart, names: readonly string[]): SupportSweepPart {
  if (Object.keys(part.arms).length !== names.length)
    throw new Error(
      `a cached support sweep holds ${Object.keys(part.arms).length} arms where the plan has ${names.length}`,
    );
  return { ...part, arms: Object.fromEntries(names.map((name, index) => [name, part.arms[String(index)]])) };
}

/** The baseline model of each (reference, shifted) pair and the name of its checkpoint's point (`scratch.epoch4`). */
function baselineModels(artifacts: Artifacts, deps: readonly string[]): { name: string; point: string }[] {
  return deps
    .filter((_, index) => index % 2 === 0)
    .map((id) => {
      const labels = evaluationLabels(artifacts, id);
      return { name: labels.model, point: `${labels.group}.epoch${labels.epoch ?? 0}` };
    });
}

/** The model names of (reference, shifted) metric-job pairs, one per pair. */
function modelNames(artifacts: Artifacts, deps: readonly string[]): string[] {
  return deps.filter((_, index) => index % 2 === 0).map((id) => evaluationLabels(artifacts, id).model);
}

function named<T extends { label: string }>(items: readonly T[], names: readonly string[]): T[] {
  if (items.length !== names.length)
    throw new Error(`a cached comparison holds ${items.length} models where the plan has ${names.length}`);
  return items.map((item, index) => ({ ...item, label: names[index] }));
}

/** A job's labels; the planner gives every job its kind's labels. */
function labelsOf<J extends Job>(job: J): NonNullable<J['labels']> {
  if (!job.labels) throw new Error(`job ${job.id} has no labels`);
  return job.labels as NonNullable<J['labels']>;
}

function evaluationLabels(artifacts: Artifacts, id: string): EvaluationLabels {
  const job = artifacts.job(id);
  if (job.kind !== 'metric') throw new Error(`job ${id} is not a metric job`);
  return labelsOf(job);
}

async function splitResults(plan: Plan, artifacts: Artifacts): Promise<SplitResult[]> {
  const splits: SplitResult[] = [];
  for (const job of jobsOfKind(plan.jobs, 'support-split')) {
    const parts = await artifacts.json<PartsFile>(job.id, 'parts.json');
    const { split: name, shift } = labelsOf(job);
    splits.push({
      name,
      shift,
      folds: parts.folds,
      threshold: parts.threshold,
      inSupport: parts.inSupport.length,
      outOfSupport: parts.outOfSupport.length,
      auroc: parts.auroc,
      auc: parts.auc,
      temperature: parts.temperature,
      sweep: parts.sweep,
      candidates: parts.candidates,
      chosen: parts.chosen,
    });
  }
  return splits;
}

/**
 * Each claim's outcome, with its operands, named by the current plan: the ER of each comparison result it read
 * and the value of each metric call (its copies' mean).
 */
async function expectationResults(plan: Plan, artifacts: Artifacts): Promise<ExpectationResult[]> {
  const expectations: ExpectationResult[] = [];
  for (const job of jobsOfKind(plan.jobs, 'expect')) {
    const outcome = await artifacts.json<ExpectationFile>(job.id, 'expectation.json');
    const labels = labelsOf(job);
    const { expression } = job.spec as unknown as ExpectJobSpec;
    const values = await readOperandValues(expression, job.deps.length, (index) => artifacts.dir(job.deps[index]!));
    const operands: Record<string, number> = {};
    for (const [index, id] of job.deps.entries()) {
      const dep = artifacts.job(id);
      if (dep.kind === 'effective-robustness') operands[labels.operands[index] ?? id] = values[index]!;
    }
    metricCallValues(expression, values).forEach((value, index) => {
      operands[labels.calls?.[index] ?? `metric call ${index + 1}`] = value;
    });
    expectations.push({
      source: labels.source,
      line: labels.line,
      value: outcome.value,
      passed: outcome.passed,
      operands,
    });
  }
  return expectations;
}

const CSV_HEADER = ['model', 'group', 'copy', 'checkpoint', 'split', 'metric', 'value', 'count'];

/** One row per model × split × metric (the example count in its own column). */
export function metricsCsv(results: Results): string {
  const rows = [CSV_HEADER.join(',')];
  for (const model of results.models) {
    for (const [split, values] of Object.entries(model.metrics)) {
      for (const [metric, value] of Object.entries(values)) {
        if (metric === 'count') continue;
        rows.push(
          [model.name, model.group, model.copy, model.checkpoint ?? '', split, metric, value, values.count ?? '']
            .map(csvField)
            .join(','),
        );
      }
    }
  }
  return `${rows.join('\n')}\n`;
}

function csvField(value: string | number): string {
  const field = String(value);
  return /[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * Writes results.json and metrics.csv; returns their paths and the results.json text now on disk. Given
 * `previous` (the results.json text a run that ran nothing found) holding these same results (sameResults),
 * neither file is written (metrics.csv derives from the results) and `previous` is returned.
 */
export async function writeResultFiles(
  dir: string,
  results: Results,
  { previous }: { previous?: string } = {},
): Promise<{ paths: { results: string; metrics: string }; text: string }> {
  const paths = { results: join(dir, 'results.json'), metrics: join(dir, 'metrics.csv') };
  const kept = previous !== undefined && sameResults(previous, results);
  if (kept) return { paths, text: previous };
  const text = `${JSON.stringify(results, null, 2)}\n`;
  await writeFile(paths.results, text);
  await writeFile(paths.metrics, metricsCsv(results));
  return { paths, text };
}

/** The text of the results.json a previous run left in `dir`, if there is one. */
export async function previousResultsText(dir: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, 'results.json'), 'utf8');
  } catch {
    return undefined;
  }
}

/** `previous` (a results.json text) parses and holds the same results but for when they were assembled and how
 *  busy the run's pool was. */
function sameResults(previous: string, current: Results): boolean {
  const comparable = ({ createdAt: _createdAt, pool: _pool, ...rest }: Results) => JSON.stringify(rest);
  try {
    return comparable(parseResults(previous)) === comparable(current);
  } catch {
    return false;
  }
}

/** One line per comparison and shift whose baseline line rests on clipped points (PAPER.md's clipping moves
 *  accuracies of exactly 0 or 1, so such a line is partly an artefact of N). */
export function clippingWarnings(results: Results): string[] {
  const warnings: string[] = [];
  for (const comparison of results.comparisons) {
    for (const shift of comparison.shifts) {
      const { points } = comparison.baseline.byShift[shift]!;
      const clipped = points.filter((point) => point.clipped).length;
      if (clipped === 0) continue;
      const names = points.filter((point) => point.clipped).map((point) => point.label);
      warnings.push(
        `${comparison.name}, ${shift}: the baseline line rests on ${clipped} clipped point(s) of ${points.length} (${names.join(', ')}); their ${comparison.metric} was 0 or 1`,
      );
    }
  }
  return warnings;
}
