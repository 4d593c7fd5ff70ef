import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planFile, planSource } from '../../compiler/plan/index.ts';
import { format } from '../../compiler/format/index.ts';
import { parse } from '../../grammar/index.ts';
import { jobHash, jobsOfKind, planHash, type Job, type Plan } from '../../runtime/plan.ts';
import { SUPPORT_CLASSIFIER_RECIPE } from '../../runtime/train/recipe.ts';
import { PAPER_EPSILONS } from '../../runtime/analysis/support-parts.ts';
import type {
  MetricJobSpec,
  PredictJobSpec,
  SupportSplitJobSpec,
  SupportSweepJobSpec,
} from '../../runtime/jobs/specs.ts';
import type { RecipeSpec } from '../../runtime/train/recipe.ts';
import { repoRoot } from '../helpers/cli.ts';
import { RENAMED, SHUFFLED, STUDY } from './fixtures.ts';

function planOf(source: string): Plan {
  const planned = planSource(source, 'toy.study');
  assert.ok(planned.plan, planned.diagnostics.map((d) => d.message).join('\n'));
  return planned.plan!;
}

function byId(plan: Plan): Map<string, Job> {
  return new Map(plan.jobs.map((job) => [job.id, job]));
}

/** Ids unique, deps known and listed earlier, hashes recomputable from kind, spec, dep hashes and input digests. */
function assertWellFormed(plan: Plan): void {
  const seen = new Map<string, string>();
  for (const job of plan.jobs) {
    assert.not.ok(seen.has(job.id), `duplicate id ${job.id}`);
    for (const dep of job.deps) assert.ok(seen.has(dep), `${job.id}: dep ${dep} missing or later`);
    assert.is(
      job.hash,
      jobHash(
        job.kind,
        job.spec,
        job.deps.map((dep) => seen.get(dep)!),
        (job.inputs ?? []).map((input) => input.sha256),
      ),
      `${job.id}: hash`,
    );
    seen.set(job.id, job.hash);
  }
  assert.is(plan.hash, planHash(plan.jobs));
}

const examples = readdirSync(join(repoRoot, 'examples')).filter((name) => name.endsWith('.study'));

test('every example study plans to a well-formed job graph', () => {
  assert.ok(examples.length >= 4);
  for (const name of examples) {
    const planned = planFile(join(repoRoot, 'examples', name));
    assert.ok(planned.plan, `${name}: ${planned.diagnostics.map((d) => d.message).join('; ')}`);
    assertWellFormed(planned.plan!);
    const kinds = new Set(planned.plan!.jobs.map((job) => job.kind));
    for (const kind of [
      'load',
      'transform',
      'train',
      'predict',
      'metric',
      'fit-baseline',
      'effective-robustness',
      'expect',
    ]) {
      assert.ok(kinds.has(kind as Job['kind']), `${name}: no ${kind} job`);
    }
  }
});

test('planning twice gives the identical plan', () => {
  for (const name of examples) {
    const path = join(repoRoot, 'examples', name);
    assert.equal(planFile(path).plan, planFile(path).plan);
  }
});

test('a plan survives a JSON round trip, hashes included', () => {
  const plan = planOf(STUDY);
  const copy = JSON.parse(JSON.stringify(plan)) as Plan;
  assert.equal(copy, plan);
  assertWellFormed(copy);
});

test('formatting, comments, attribute and declaration order leave the plan hash unchanged', () => {
  const base = planOf(STUDY);
  assert.is(planOf(SHUFFLED).hash, base.hash);
  const formatted = format(parse(SHUFFLED, 'toy.study').document);
  assert.is.not(formatted, SHUFFLED);
  assert.is(planOf(formatted).hash, base.hash);
  // Same ids, same hashes: reordering changes nothing about any job.
  const shuffled = byId(planOf(SHUFFLED));
  for (const job of base.jobs) assert.is(shuffled.get(job.id)?.hash, job.hash, job.id);
});

test('renaming every declaration leaves every hash unchanged (names live in ids and labels only)', () => {
  const base = planOf(STUDY);
  const renamed = planOf(RENAMED);
  assert.is(renamed.hash, base.hash);
  assert.equal(
    renamed.jobs.map((job) => job.hash),
    base.jobs.map((job) => job.hash),
  );
  assert.ok(renamed.jobs.some((job) => job.id === 'train:fine#1'));
  assert.not.ok(renamed.jobs.some((job) => job.id.includes('tuned')));
});

test('a meaningful change changes the plan hash', () => {
  assert.is.not(planOf(STUDY.replace('seed 7', 'seed 8')).hash, planOf(STUDY).hash);
  assert.is.not(planOf(STUDY.replace('degrees 60', 'degrees 45')).hash, planOf(STUDY).hash);
});

/** Ids of `changed` and of every job that (transitively) depends on one of them. */
function withDependents(plan: Plan, changed: string[]): Set<string> {
  const result = new Set(changed);
  for (const job of plan.jobs) if (job.deps.some((dep) => result.has(dep))) result.add(job.id);
  return result;
}

test("changing an arm's lr changes its train jobs and their dependents, and nothing of the baseline", () => {
  const unswept = STUDY.replace('    sweep lr [1e-2, 1e-3] select accuracy on reference.val\n', '');
  const before = planOf(unswept);
  const after = planOf(
    unswept
      .replace('recipe tune {', 'recipe tune_other { optimizer adam, lr 1e-4, batch 100, epochs 2 }\n  recipe tune {')
      .replace('    recipe tune\n', '    recipe tune_other\n'),
  );
  const afterById = byId(after);
  const trains = jobsOfKind(before.jobs, 'train')
    .filter((job) => job.labels?.group === 'tuned')
    .map((job) => job.id);
  assert.is(trains.length, 2);
  const expected = withDependents(before, trains);
  const changed = new Set(before.jobs.filter((job) => afterById.get(job.id)?.hash !== job.hash).map((job) => job.id));
  assert.equal([...changed].sort(), [...expected].sort());
  // The baseline's training, checkpoints, evaluations and line are untouched.
  for (const job of before.jobs)
    if ((job.labels && 'group' in job.labels && job.labels.group === 'scratch') || job.kind === 'fit-baseline')
      assert.not.ok(changed.has(job.id), job.id);
  assert.ok(changed.has('effective-robustness:er.tuned.leave'));
  assert.not.ok(changed.has('effective-robustness:er.reweighted.leave'));
});

test('a swept arm: changing the recipe value of the swept field retrains nothing', () => {
  const before = planOf(STUDY);
  assert.is(planOf(STUDY.replace('lr 3e-3', 'lr 5e-4')).hash, before.hash);
  assert.is.not(planOf(STUDY.replace('lr [1e-2, 1e-3]', 'lr [1e-2, 1e-4]')).hash, before.hash);
});

test("a reweight's options are in its job spec: written defaults hash as left out, other values retrain", () => {
  const reweightSpec = (study: string) => byId(planOf(study)).get('reweight:reweighted#0')!;
  const plain = reweightSpec(STUDY);
  assert.equal(plain.spec, { ...(plain.spec as object), C: [0.001], subsets: 0 });
  const written = STUDY.replace('balanced_by [label] }', 'balanced_by [label] { C 0.001, subsets 0 } }');
  assert.is(reweightSpec(written).hash, plain.hash);
  const swept = reweightSpec(STUDY.replace('balanced_by [label] }', 'balanced_by [label] { C [1, 0.01] } }'));
  assert.equal((swept.spec as { C: number[] }).C, [1, 0.01]);
  assert.is.not(swept.hash, plain.hash);
});

test('the toy study has the jobs the contract describes', () => {
  const plan = planOf(STUDY);
  const jobs = byId(plan);
  const ids = (kind: string) => plan.jobs.filter((job) => job.kind === kind).map((job) => job.id);
  assert.equal(ids('load'), ['load:points']);
  assert.equal(ids('pretrain'), ['pretrain:broad']);
  // 2 baseline copies, 2 sweep candidates, 2 arm copies; the reweighted arm only reweights.
  assert.equal(
    ids('train').sort(),
    [
      'train:scratch#0',
      'train:scratch#1',
      'train:tuned#0',
      'train:tuned#1',
      'train:tuned@lr=0.001',
      'train:tuned@lr=0.01',
    ].sort(),
  );
  // Checkpoints for epochs 1..3 of each baseline copy; epoch 4 is the train job's own model.
  assert.is(ids('checkpoint').length, 6);
  assert.ok(jobs.has('checkpoint:scratch#1@3'));
  assert.not.ok(jobs.has('checkpoint:scratch#1@4'));
  assert.equal(ids('reweight'), ['reweight:reweighted#0', 'reweight:reweighted#1']);
  // Copies pair by index with their init group's copies.
  assert.equal(jobs.get('reweight:reweighted#1')!.deps, ['train:scratch#1', 'transform:reference']);
  // Arm copies: [training data, init, sweep-select].
  assert.equal(jobs.get('train:tuned#0')!.deps, ['transform:reference', 'pretrain:broad', 'sweep-select:tuned']);
  assert.equal(jobs.get('sweep-select:tuned')!.deps, [
    'metric:tuned@lr=0.01 on reference.val',
    'metric:tuned@lr=0.001 on reference.val',
  ]);
  // The line: 2 copies × 4 checkpoints, each an (x, y) pair of metric jobs.
  const fit = jobs.get('fit-baseline:er.leave')!;
  assert.is(fit.deps.length, 16);
  assert.equal(fit.deps.slice(0, 2), ['metric:scratch#0@1 on reference.test', 'metric:scratch#0@1 on outside.test']);
  assert.equal(jobs.get('effective-robustness:er.tuned.leave')!.deps[0], fit.id);
  assert.is(jobs.get('effective-robustness:er.tuned.leave')!.deps.length, 5);
  assert.is(ids('expect').length, 2);
});

test('copies get different seeds; jobs are labelled by name as specs.ts says', () => {
  const jobs = byId(planOf(STUDY));
  const seed = (id: string) => (jobs.get(id)!.spec as { seed: number }).seed;
  assert.is.not(seed('train:scratch#0'), seed('train:scratch#1'));
  assert.is.not(seed('reweight:reweighted#0'), seed('reweight:reweighted#1'));
  assert.equal(jobs.get('train:scratch#1')!.labels, { group: 'scratch', copy: 1 });
  assert.equal(jobs.get('checkpoint:scratch#0@2')!.labels, { group: 'scratch', copy: 0, epoch: 2 });
  assert.equal(jobs.get('metric:scratch#0@2 on outside.test')!.labels, {
    model: 'scratch.copy0.epoch2',
    group: 'scratch',
    copy: 0,
    epoch: 2,
    distribution: 'outside',
    split: 'test',
  });
  assert.equal(jobs.get('effective-robustness:er.tuned.leave')!.labels, {
    compare: 'er',
    arm: 'tuned',
    target: 'leave',
  });
  const expectJob = jobs.get('expect:abs(er.reweighted.leave) < 5%')!;
  assert.equal(expectJob.spec, {
    expression: {
      op: '<',
      left: { op: 'abs', args: [{ op: 'result', index: 0, path: 'er' }] },
      right: { op: 'number', value: 0.05 },
    },
  });
  assert.equal(expectJob.deps, ['effective-robustness:er.reweighted.leave']);
});

test('training jobs carry their cost: training samples × epochs', () => {
  const jobs = byId(planOf(STUDY));
  // 600 train examples, 10% held out as val.
  assert.equal(jobs.get('train:scratch#0')!.cost, { samples: 540, epochs: 4 });
  // `limit 400` caps the pre-training data.
  assert.equal(jobs.get('pretrain:broad')!.cost, { samples: 400, epochs: 4 });
  assert.equal(jobs.get('train:tuned@lr=0.01')!.cost, { samples: 540, epochs: 2 });
  assert.is(jobs.get('metric:tuned#0 on reference.test')!.cost, undefined);
});

test('support splits: parts are predicted with the split as a dependency', () => {
  const planned = planFile(join(repoRoot, 'examples', 'split_flip.study'));
  const jobs = byId(planned.plan!);
  const split = jobs.get('support-split:parts')!;
  assert.equal(split.deps, ['transform:reference', 'transform:mixed']);
  assert.equal(split.labels, { split: 'parts', shift: 'half_flipped' });
  const predict = jobs.get('predict:pretrained#0 on parts.out_of_support')!;
  assert.equal(predict.deps, ['train:pretrained#0', 'transform:mixed', 'support-split:parts']);
  assert.equal(predict.spec, { split: 'test', part: 'out_of_support' });
  assert.is(predict.kind, 'predict');
  assert.equal(predict.labels, {
    model: 'pretrained.copy0',
    group: 'pretrained',
    copy: 0,
    distribution: 'parts',
    split: 'test',
    part: 'out_of_support',
  });
});

test('a data source used where a distribution is expected is planned as its own untransformed distribution', () => {
  const source = readFileSync(join(repoRoot, 'examples', 'subspace.study'), 'utf8').replace(
    'data points | rotate_subspace { degrees 60 }',
    'data points',
  );
  const planned = planSource(source, 'subspace.study');
  assert.equal(
    planned.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const jobs = byId(planned.plan!);
  assert.equal(jobs.get('pretrain:wide')!.deps, ['transform:points']);
  assert.equal((jobs.get('transform:points')!.spec as { transforms: unknown[] }).transforms, []);
});

test("a split's recipe reaches its job; without one the runtime's default classifier recipe is used", () => {
  const source = readFileSync(join(repoRoot, 'examples', 'split_flip.study'), 'utf8');
  const recipeOf = (text: string) =>
    (byId(planSource(text, 'split.study').plan!).get('support-split:parts')!.spec as unknown as { recipe: RecipeSpec })
      .recipe;
  assert.equal(recipeOf(source), SUPPORT_CLASSIFIER_RECIPE);
  const tuned = recipeOf(source.replace('threshold 0.2 }', 'threshold 0.2, recipe fit { epochs 4 } }'));
  assert.equal([tuned.epochs, tuned.lr], [4, 1e-3]);
});

test("a split's classifier: source split, lr candidates, a pretrain to fine-tune and the ε grid reach its job", () => {
  const source = readFileSync(join(repoRoot, 'examples', 'split_flip.study'), 'utf8');
  const jobOf = (text: string) => byId(planSource(text, 'split.study').plan!).get('support-split:parts')!;
  const plain = jobOf(source).spec as unknown as SupportSplitJobSpec;
  assert.equal([plain.source, plain.hasInit, plain.sweep], ['train', false, null]);
  assert.equal(plain.epsilons, [...PAPER_EPSILONS]);
  const written = source
    .replace(
      'threshold 0.2 }',
      'threshold 0.2, classifier broad, sweep lr [1e-3, 1e-4] select auroc, source reference.val, epsilons [0.1] }',
    )
    .replace('classifier cnn, ', '');
  const job = jobOf(written);
  const spec = job.spec as unknown as SupportSplitJobSpec;
  assert.equal(
    [spec.source, spec.hasInit, spec.sweep, spec.epsilons],
    ['val', true, { param: 'lr', values: [1e-3, 1e-4] }, [0.1]],
  );
  assert.equal(job.deps, ['transform:reference', 'transform:mixed', 'pretrain:broad']);
});

test("a comparison over a split's parts sweeps ε: one job over each model's reference metric and shifted predictions", () => {
  const source = readFileSync(join(repoRoot, 'examples', 'split_flip.study'), 'utf8');
  const plan = planSource(source, 'split.study').plan!;
  const jobs = byId(plan);
  const sweeps = jobsOfKind(plan.jobs, 'support-sweep');
  assert.equal(
    sweeps.map((job) => [job.id, job.labels]),
    [['support-sweep:by_part.parts', { compare: 'by_part', split: 'parts', arms: ['pretrained'] }]],
    'one job for the two parts of the one split',
  );
  const [sweep] = sweeps;
  const spec = sweep.spec as unknown as SupportSweepJobSpec;
  assert.equal(spec.epsilons, [...PAPER_EPSILONS], 'the threshold 0.2 is in the grid once');
  assert.equal(spec.epochs, [1, 2, 3, 4, 5, 6]);
  assert.equal(spec.armCopies, [1]);
  assert.equal(sweep.deps.slice(0, 2), ['support-split:parts', 'transform:mixed']);
  const pairs = sweep.deps.slice(2);
  assert.is(pairs.length, 2 * (spec.epochs.length + 1));
  pairs.forEach((id, index) => {
    const job = jobs.get(id)!;
    if (index % 2 === 0) {
      assert.is(job.kind, 'metric', id);
      assert.is((job.spec as unknown as MetricJobSpec).part, null, `${id}: the reference's whole test split`);
    } else {
      assert.is(job.kind, 'predict', id);
      assert.equal(
        job.spec as unknown as PredictJobSpec,
        { split: 'test', part: null },
        `${id}: the whole shifted test`,
      );
      assert.is(job.deps[1], 'transform:mixed', id);
    }
  });
});

test('a study with errors gives diagnostics and no plan', () => {
  const planned = planSource(STUDY.replace('train reference, recipe fit', 'train refrence, recipe fit'), 'bad.study');
  assert.is(planned.plan, null);
  assert.ok(planned.diagnostics.some((d) => d.severity === 'error'));
});

test('examples: the source text of every job points into its study', () => {
  const path = join(repoRoot, 'examples', 'tint_and_flip.study');
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const job of planFile(path).plan!.jobs) {
    assert.ok(job.source, job.id);
    assert.is(lines[job.source!.line - 1]!.trim(), job.source!.text, job.id);
  }
});

test.run();
