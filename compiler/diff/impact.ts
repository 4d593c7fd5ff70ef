// What a change costs, read off plan hashes (never off keywords): a job whose hash is in the new plan but
// not the old one has to run again. Each change is also applied alone to the old study (its declaration's
// new text spliced into the old source, renames applied) and planned, so it is charged with exactly the
// jobs it invalidates by itself.
import { parse, visit, type Document, type Node } from '../../grammar/index.ts';
import type { Job, JobKind, Plan } from '../../runtime/plan.ts';
import { checkSource } from '../check/index.ts';
import type { TypedStudy } from '../check/typed.ts';
import type { Change, StructuralDiff } from './structural.ts';

export type Planner = (study: TypedStudy, source: string) => Plan;

/** Most severe first. */
export const IMPACT_CLASSES = ['retrains', 're-evaluates', 'analysis', 'cosmetic'] as const;
export type ImpactClass = (typeof IMPACT_CLASSES)[number];

const TRAINING: ReadonlySet<JobKind> = new Set(['pretrain', 'train', 'checkpoint', 'reweight', 'sweep-select']);
const ANALYSIS: ReadonlySet<JobKind> = new Set([
  'fit-baseline',
  'effective-robustness',
  'support-split',
  'support-sweep',
  'expect',
]);

export interface JobRef {
  id: string;
  kind: JobKind;
}

export interface RetrainedModel {
  /** The pretrain, baseline or arm whose training jobs re-run. */
  model: string;
  jobs: number;
  /** Σ training samples × epochs over those jobs (Job.cost). */
  sampleEpochs: number;
}

export interface Impact {
  class: ImpactClass;
  /** Jobs that must run again: hash in the new plan, not in the old. */
  invalidated: JobRef[];
  /** Jobs the new plan no longer has. */
  dropped: JobRef[];
  retrains: RetrainedModel[];
  sampleEpochs: number;
}

export interface ChangeImpact {
  change: Change;
  /** Null when the change cannot be applied alone (it only checks together with another change). */
  impact: Impact | null;
}

export interface DiffImpact {
  total: Impact;
  changes: ChangeImpact[];
}

/** The impact of going from one plan to another. */
export function compareImpact(before: Plan, after: Plan): Impact {
  const beforeHashes = new Set(before.jobs.map((job) => job.hash));
  const afterHashes = new Set(after.jobs.map((job) => job.hash));
  const invalidated = after.jobs.filter((job) => !beforeHashes.has(job.hash));
  const dropped = before.jobs.filter((job) => !afterHashes.has(job.hash));
  const retrains = new Map<string, RetrainedModel>();
  for (const job of invalidated.filter((j) => TRAINING.has(j.kind))) {
    const labels = job.labels;
    const model =
      labels && 'group' in labels ? labels.group : labels && 'pretrain' in labels ? labels.pretrain : job.id;
    const entry = retrains.get(model) ?? { model, jobs: 0, sampleEpochs: 0 };
    entry.jobs += 1;
    entry.sampleEpochs += job.cost ? job.cost.samples * job.cost.epochs : 0;
    retrains.set(model, entry);
  }
  const ref = (job: Job): JobRef => ({ id: job.id, kind: job.kind });
  return {
    class: classify(invalidated, dropped),
    invalidated: invalidated.map(ref),
    dropped: dropped.map(ref),
    retrains: [...retrains.values()],
    sampleEpochs: [...retrains.values()].reduce((sum, r) => sum + r.sampleEpochs, 0),
  };
}

/**
 * By the most expensive job that runs again. Data jobs (load, transform) count as re-evaluation: they
 * recompute without training. A change that only drops jobs costs no compute but changes results: it is
 * `analysis` when it only drops analysis jobs, else `re-evaluates`.
 */
function classify(invalidated: Job[], dropped: Job[]): ImpactClass {
  if (invalidated.some((job) => TRAINING.has(job.kind))) return 'retrains';
  if (invalidated.some((job) => !ANALYSIS.has(job.kind))) return 're-evaluates';
  if (invalidated.length) return 'analysis';
  if (dropped.some((job) => !ANALYSIS.has(job.kind))) return 're-evaluates';
  return dropped.length ? 'analysis' : 'cosmetic';
}

export function diffImpact(diff: StructuralDiff, planner: Planner): DiffImpact {
  const oldPlan = planner(diff.old.study, diff.old.document.source);
  const newPlan = planner(diff.new.study, diff.new.document.source);
  const total = compareImpact(oldPlan, newPlan);
  // The old study under its new names: the ground each change is applied to alone.
  const baseSource = applyRenames(diff.old.document.source, diff.old.document.file, diff.renames);
  const basePlan = planText(baseSource, diff.old.document.file, planner);
  const changes = diff.changes.map((change): ChangeImpact => {
    if (!basePlan) return { change, impact: null };
    if (change.type === 'renamed') return { change, impact: compareImpact(oldPlan, basePlan) };
    const hybrid = planText(
      applyRenames(spliceChange(diff, change), diff.old.document.file, diff.renames),
      diff.old.document.file,
      planner,
    );
    if (hybrid) return { change, impact: compareImpact(basePlan, hybrid) };
    // A member added to a family (`ft[0.8]` from a new index value) checks only with its siblings, so it is
    // charged with the new jobs that are its own: those its labels name.
    if (change.type === 'added' && change.kind !== 'expect')
      return { change, impact: compareImpact(oldPlan, ownJobs(newPlan, change.name)) };
    return { change, impact: null };
  });
  return { total, changes };
}

/** The plan cut down to the jobs about one declaration (by their labels: group, pretrain, distribution, …). */
function ownJobs(plan: Plan, name: string): Plan {
  const own = (job: Job) => Object.values(job.labels ?? {}).includes(name);
  return { ...plan, jobs: plan.jobs.filter(own) };
}

function planText(source: string, file: string, planner: Planner): Plan | null {
  const { study } = checkSource(source, file);
  return study ? planner(study, source) : null;
}

/** The old source with one change's new text in place of its old text. */
function spliceChange(diff: StructuralDiff, change: Change): string {
  if (change.kind === 'study') return spliceStudyAttributes(diff.old.document, diff.new.document);
  const oldSource = diff.old.document.source;
  const { before, after } = diff.sides.get(change)!;
  const text = after?.range ? diff.new.document.source.slice(after.range.start, after.range.end) : '';
  if (before?.range) return oldSource.slice(0, before.range.start) + text + oldSource.slice(before.range.end);
  // Added: just inside the study's closing brace.
  const end = diff.old.document.study!.span.end - 1;
  return `${oldSource.slice(0, end)}\n  ${text}\n${oldSource.slice(end)}`;
}

/** The old source with the new study-level attributes (`seed`, `title`) in place of the old ones. */
function spliceStudyAttributes(oldDocument: Document, newDocument: Document): string {
  const attributes = (document: Document) => document.study!.items.filter((item) => item.kind === 'Attribute');
  const newText = attributes(newDocument)
    .map((a) => newDocument.source.slice(a.span.start, a.span.end))
    .join('\n  ');
  let source = oldDocument.source;
  for (const attribute of attributes(oldDocument).reverse())
    source = source.slice(0, attribute.span.start) + source.slice(attribute.span.end);
  const firstItem = parse(source, oldDocument.file).document.study?.items[0];
  const at = firstItem ? firstItem.span.start : oldDocument.study!.span.end - 1;
  return `${source.slice(0, at)}${newText}\n  ${source.slice(at)}`;
}

/** Rewrites every declared name and reference that was renamed (old → new), by position in the parse. */
export function applyRenames(source: string, file: string, renames: ReadonlyMap<string, string>): string {
  if (renames.size === 0) return source;
  const { document } = parse(source, file);
  const edits: { start: number; end: number; name: string }[] = [];
  visit(document, {
    enter(node: Node, parent: Node | null) {
      if (node.kind !== 'Identifier' || !parent || !renames.has(node.name)) return;
      const declares =
        'name' in parent && parent.name === node && parent.kind !== 'Study' && parent.kind !== 'Attribute';
      if (parent.kind === 'Reference' || declares)
        edits.push({ start: node.span.start, end: node.span.end, name: renames.get(node.name)! });
    },
  });
  let result = source;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    result = result.slice(0, edit.start) + edit.name + result.slice(edit.end);
  return result;
}
