// Assembles a finished run's results.json (runtime/results.ts) and metrics.csv from the plan's labels and
// the artifacts its jobs left in the cache. Comparisons are recomputed from the stored metrics with the
// same analysis the effective-robustness jobs ran, so copies and baseline points carry model names.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyseShift, type MeasuredModel } from '../analysis/comparison.ts';
import { Cache } from '../exec/cache.ts';
import type { ExpectationFile } from '../jobs/handlers/expect.ts';
import { BACKEND_ARTIFACT, type MetricsFile, type PartsFile } from '../jobs/handlers/artifacts.ts';
import type { EffectiveRobustnessJobSpec, FitBaselineJobSpec } from '../jobs/specs.ts';
import type { Job, JsonValue, Plan } from '../plan.ts';
import {
  schemaVersion,
  type ArmShiftResult,
  type ComparisonResult,
  type ExpectationResult,
  type ModelResult,
  type Results,
  type SplitResult,
  type StudyInfo,
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

  async json<T>(id: string, file: string): Promise<T> {
    return JSON.parse(await readFile(join(this.cache.entryDir(this.job(id).hash), file), 'utf8')) as T;
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

const text = (labels: Job['labels'], key: string): string => String(labels?.[key] ?? '');
const optionalNumber = (value: JsonValue | undefined): number | undefined => (typeof value === 'number' ? value : undefined);

/** Every evaluated model (sweep candidates excluded) with its metrics under `distribution.split` or `split.part`. */
async function modelResults(plan: Plan, artifacts: Artifacts): Promise<ModelResult[]> {
  const models = new Map<string, ModelResult>();
  for (const job of plan.jobs) {
    const labels = job.labels;
    if (job.kind !== 'metric' || !labels || labels.candidate !== undefined || labels.model === undefined) continue;
    const name = text(labels, 'model');
    let model = models.get(name);
    if (!model) {
      model = { name, group: text(labels, 'group'), copy: optionalNumber(labels.copy) ?? 0, metrics: {} };
      const epoch = optionalNumber(labels.epoch);
      if (epoch !== undefined) model.checkpoint = epoch;
      models.set(name, model);
    }
    const where =
      labels.part !== undefined ? `${text(labels, 'distribution')}.${text(labels, 'part')}` : `${text(labels, 'distribution')}.${text(labels, 'split')}`;
    const measured = await artifacts.json<MetricsFile>(job.id, 'metrics.json');
    model.metrics[where] = { ...model.metrics[where], ...measured.values, count: measured.count };
  }
  return [...models.values()];
}

async function comparisonResults(plan: Plan, artifacts: Artifacts): Promise<ComparisonResult[]> {
  const comparisons = new Map<string, ComparisonResult>();
  const erJobs = plan.jobs.filter((job) => job.kind === 'effective-robustness');
  for (const fitJob of plan.jobs.filter((job) => job.kind === 'fit-baseline')) {
    const name = text(fitJob.labels, 'compare');
    const target = text(fitJob.labels, 'target');
    const { metric, scale, points } = fitJob.spec as unknown as FitBaselineJobSpec;
    const armJobs = erJobs.filter((job) => text(job.labels, 'compare') === name && text(job.labels, 'target') === target);
    const erSpec = armJobs.length > 0 ? (armJobs[0].spec as unknown as EffectiveRobustnessJobSpec) : null;
    const interval = erSpec?.interval ?? 0.95;
    const baseline = (await measuredPairs(artifacts, fitJob.deps, metric)).map((model) => ({
      ...model,
      // `scratch.copy1.epoch4` is a copy of the point `scratch.epoch4`.
      point: model.label.replace(/\.copy\d+/, ''),
    }));
    const arms: Record<string, MeasuredModel[]> = {};
    for (const job of armJobs) arms[text(job.labels, 'arm')] = await measuredPairs(artifacts, job.deps.slice(1), metric);
    const analysis = analyseShift(baseline, arms, { scale, interval, baselinePoints: points, armInterval: erSpec?.intervalRule ?? 'regression' });
    let comparison = comparisons.get(name);
    if (!comparison) {
      const baselineName = text(artifacts.job(fitJob.deps[0]).labels, 'group');
      comparison = { name, metric, scale, interval, shifts: [], baseline: { name: baselineName, byShift: {} }, arms: {} };
      comparisons.set(name, comparison);
    }
    comparison.shifts.push(target);
    comparison.baseline.byShift[target] = analysis.baseline;
    for (const [arm, result] of Object.entries(analysis.arms)) (comparison.arms[arm] ??= {} as Record<string, ArmShiftResult>)[target] = result;
  }
  return [...comparisons.values()];
}

/** (reference, shifted) metric-job pairs as measured models named by their results name. */
async function measuredPairs(artifacts: Artifacts, deps: readonly string[], metric: string): Promise<MeasuredModel[]> {
  const models: MeasuredModel[] = [];
  for (let index = 0; index + 1 < deps.length; index += 2) {
    const read = async (id: string) => {
      const file = await artifacts.json<MetricsFile>(id, 'metrics.json');
      return { value: file.values[metric], count: file.counts[metric] };
    };
    models.push({ label: text(artifacts.job(deps[index]).labels, 'model'), reference: await read(deps[index]), shifted: await read(deps[index + 1]) });
  }
  return models;
}

async function splitResults(plan: Plan, artifacts: Artifacts): Promise<SplitResult[]> {
  const splits: SplitResult[] = [];
  for (const job of plan.jobs.filter((candidate) => candidate.kind === 'support-split')) {
    const parts = await artifacts.json<PartsFile>(job.id, 'parts.json');
    splits.push({
      name: text(job.labels, 'split'),
      shift: text(job.labels, 'shift'),
      folds: parts.folds,
      threshold: parts.threshold,
      inSupport: parts.inSupport.length,
      outOfSupport: parts.outOfSupport.length,
      auroc: parts.auroc,
      auc: parts.auc,
      temperature: parts.temperature,
    });
  }
  return splits;
}

async function expectationResults(plan: Plan, artifacts: Artifacts): Promise<ExpectationResult[]> {
  const expectations: ExpectationResult[] = [];
  for (const job of plan.jobs.filter((candidate) => candidate.kind === 'expect')) {
    const outcome = await artifacts.json<ExpectationFile>(job.id, 'expectation.json');
    expectations.push({
      source: text(job.labels, 'source'),
      line: optionalNumber(job.labels?.line) ?? job.source?.line ?? 0,
      value: outcome.value,
      passed: outcome.passed,
      operands: outcome.operands,
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
        rows.push([model.name, model.group, model.copy, model.checkpoint ?? '', split, metric, value, values.count ?? ''].map(csvField).join(','));
      }
    }
  }
  return `${rows.join('\n')}\n`;
}

function csvField(value: string | number): string {
  const field = String(value);
  return /[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export async function writeResultFiles(dir: string, results: Results): Promise<{ results: string; metrics: string }> {
  const paths = { results: join(dir, 'results.json'), metrics: join(dir, 'metrics.csv') };
  await writeFile(paths.results, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(paths.metrics, metricsCsv(results));
  return paths;
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
      warnings.push(`${comparison.name}, ${shift}: the baseline line rests on ${clipped} clipped point(s) of ${points.length} (${names.join(', ')}); their ${comparison.metric} was 0 or 1`);
    }
  }
  return warnings;
}
