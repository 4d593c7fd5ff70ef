// One study's run, as recorded in studies/results/<study>.json: what docs/results.md is generated from.
// It condenses results.json (schema in runtime/results.ts) into the numbers the page shows and adds what
// results.json does not know: the wall time of the run, how many jobs it ran, and the training cost.
import type { PoolUsage } from '../runtime/exec/priority.ts';
import type {
  ComparisonResult,
  ExpectationResult,
  FitSummary,
  ModelResult,
  Results,
  SplitResult,
  SupportSweepResult,
} from '../runtime/results.ts';

export interface ArmRow {
  arm: string;
  er: number;
  low: number;
  high: number;
  /** 'copies': mean ± 1.96·std/√n over copies; 'regression': the baseline fit's interval. */
  intervalKind: 'regression' | 'copies';
  /** The arm's metric on the reference and on the shifted side (means over copies). */
  reference: number;
  shifted: number;
  copies: number;
  clipped: boolean;
}

export interface ShiftRow {
  shift: string;
  fit: FitSummary;
  arms: ArmRow[];
  /** Path of the plot, relative to docs/. */
  plot: string | null;
}

export interface ComparisonRecord {
  name: string;
  metric: string;
  scale: 'probit' | 'logit';
  interval: number;
  baseline: string;
  shifts: ShiftRow[];
  /** ER on both parts of each split the comparison reports on, at every swept ε (absent in older records). */
  supportSweeps?: SupportSweepResult[];
}

/** A model group's final metrics on each evaluated split (means over copies). */
export interface GroupAccuracy {
  group: string;
  copies: number;
  /** Only the last checkpoint of a baseline counts here. */
  checkpoint: number | null;
  metrics: Record<string, Record<string, number>>;
}

export interface StudyRecord {
  /** The file's stem (studies/<study>.study); the study's own name may differ. */
  study: string;
  studyName: string;
  title: string;
  file: string;
  ranAt: string;
  backend: string;
  planHash: string;
  exitCode: number;
  workers: number;
  /** Wall time of the run that trained the models (kept across no-op re-runs of the same plan). */
  wallSeconds: number;
  jobs: { ran: number; cached: number };
  /** Training samples × epochs, from the plan. */
  trainingCost: number;
  /** The worker pool's usage and the wall time estimated before the run (results.json `pool`); null when
   *  every job was cached, absent in older records. */
  pool?: PoolUsage | null;
  comparisons: ComparisonRecord[];
  groups: GroupAccuracy[];
  splits: SplitResult[];
  expectations: ExpectationResult[];
  /** Path of the copied report.html, relative to docs/. */
  report: string | null;
}

export interface RunFacts {
  study: string;
  exitCode: number;
  workers: number;
  wallSeconds: number;
  jobs: { ran: number; cached: number };
  trainingCost: number;
  pool: PoolUsage | null;
  plots: Map<string, string>;
  report: string | null;
}

export const plotKey = (comparison: string, shift: string) => `${comparison}/${shift}`;

export function buildRecord(results: Results, facts: RunFacts): StudyRecord {
  return {
    study: facts.study,
    studyName: results.study.name,
    title: results.study.title,
    file: results.study.file,
    ranAt: results.createdAt,
    backend: results.backend,
    planHash: results.planHash,
    exitCode: facts.exitCode,
    workers: facts.workers,
    wallSeconds: facts.wallSeconds,
    jobs: facts.jobs,
    trainingCost: facts.trainingCost,
    pool: facts.pool,
    comparisons: results.comparisons.map((comparison) => comparisonRecord(comparison, facts.plots)),
    groups: groupAccuracies(results.models),
    splits: results.splits,
    expectations: results.expectations,
    report: facts.report,
  };
}

function comparisonRecord(comparison: ComparisonResult, plots: Map<string, string>): ComparisonRecord {
  return {
    name: comparison.name,
    metric: comparison.metric,
    scale: comparison.scale,
    interval: comparison.interval,
    baseline: comparison.baseline.name,
    supportSweeps: comparison.supportSweeps ?? [],
    shifts: comparison.shifts.map((shift) => ({
      shift,
      fit: comparison.baseline.byShift[shift].fit,
      plot: plots.get(plotKey(comparison.name, shift)) ?? null,
      arms: Object.entries(comparison.arms).map(([arm, byShift]) => {
        const result = byShift[shift];
        return {
          arm,
          er: result.er,
          low: result.low,
          high: result.high,
          intervalKind: result.intervalKind,
          reference: result.x,
          shifted: result.y,
          copies: result.copies.length,
          clipped: result.clipped,
        };
      }),
    })),
  };
}

/** Per group: the last checkpoint's metrics (or the final model's), averaged over copies. */
function groupAccuracies(models: ModelResult[]): GroupAccuracy[] {
  const byGroup = new Map<string, ModelResult[]>();
  for (const model of models) byGroup.set(model.group, [...(byGroup.get(model.group) ?? []), model]);
  return [...byGroup].map(([group, members]) => {
    const last = Math.max(...members.map((model) => model.checkpoint ?? -1));
    const finals = members.filter((model) => (model.checkpoint ?? -1) === last);
    const metrics: Record<string, Record<string, number>> = {};
    for (const split of Object.keys(finals[0].metrics)) {
      metrics[split] = {};
      for (const name of Object.keys(finals[0].metrics[split]).filter((key) => key !== 'count')) {
        const values = finals
          .map((model) => model.metrics[split]?.[name])
          .filter((value): value is number => typeof value === 'number');
        metrics[split][name] = values.reduce((sum, value) => sum + value, 0) / values.length;
      }
    }
    return { group, copies: finals.length, checkpoint: last >= 0 ? last : null, metrics };
  });
}
