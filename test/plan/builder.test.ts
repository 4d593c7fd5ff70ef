import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Job, SourceRef } from '../../runtime/plan.ts';
import { StudyBuildError, StudyBuilder, type GroupHandle } from '../../runtime/study/builder.ts';
import { recipe } from '../../runtime/train/recipe.ts';

const linear = { kind: 'mlp' as const, hidden: [] };
const at: SourceRef = { file: 'toy.study', line: 12, column: 3, text: 'arm x { }' };

/** No limit and no balancing: every example of the training split. */
const untrimmed = { limit: null, balancedBy: null };
/** An arm fine-tuning `init` with nothing else (the fields the checker would fill in). */
const fineTuned = (init: GroupHandle) =>
  ({
    init,
    model: linear,
    strategy: 'ft',
    head: 'new',
    train: null,
    recipe: null,
    sweep: null,
    reweight: null,
    objective: null,
    copies: init.copies,
    ...untrimmed,
  }) as const;

/** A baseline and an arm on one shift, built with the calls a compiled script makes. */
function toy(seed = 0) {
  const study = new StudyBuilder({ name: 'toy', file: 'toy.study', seed });
  const points = study.data('points', { kind: 'gaussian', params: { dim: 4, train: 200, test: 100 } }, { val: 0.25 });
  const reference = study.distribution('reference', points, []);
  const outside = study.distribution('outside', reference, [{ kind: 'rotate_subspace', params: { degrees: 60 } }]);
  const line = study.baseline('line', {
    model: linear,
    train: reference,
    recipe: recipe({ epochs: 3 }),
    checkpoints: [1, 2, 3],
    copies: 2,
    ...untrimmed,
  });
  const tuned = study.arm('tuned', { ...fineTuned(line), train: reference, recipe: recipe({ epochs: 1 }), copies: 3 });
  const shift = { from: reference, to: outside };
  return { study, points, reference, outside, line, tuned, shift };
}

const find = (jobs: Job[], id: string): Job => {
  const job = jobs.find((candidate) => candidate.id === id);
  assert.ok(job, `no job ${id}`);
  return job!;
};

test('a distribution built on another carries the whole chain from the source', () => {
  const { outside, study } = toy();
  assert.equal(outside.transforms, [{ kind: 'rotate_subspace', params: { degrees: 60 } }]);
  assert.equal(find(study.plan().jobs, 'transform:outside').deps, ['load:points']);
  // 200 train examples, a quarter held out as val.
  assert.equal(outside.sizes, { train: 150, val: 50, test: 100 });
});

test('the same content under two names is two ids with one hash', () => {
  const { study, points } = toy();
  study.distribution('same_as_reference', points, []);
  const jobs = study.plan().jobs;
  assert.is(find(jobs, 'transform:same_as_reference').hash, find(jobs, 'transform:reference').hash);
});

test('an arm with more copies than its init pairs copy i with init copy i mod n', () => {
  const { tuned, study } = toy();
  assert.is(tuned.copies, 3);
  const jobs = study.plan().jobs;
  assert.equal(find(jobs, 'train:tuned#2').deps, ['transform:reference', 'train:line#0']);
  assert.equal(find(jobs, 'train:tuned#1').deps, ['transform:reference', 'train:line#1']);
});

test('comparisons sharing models share their predictions; metric jobs merge the metrics asked for', () => {
  const { study, line, tuned, shift } = toy();
  const base = {
    arms: [tuned],
    baseline: line,
    targets: [{ label: 'out', shift }],
    scale: 'probit' as const,
    interval: 0.95,
    intervalRule: 'regression' as const,
    baselinePoints: 'mean_of_copies' as const,
    groups: ['label'],
  };
  study.compare('by_accuracy', { ...base, metric: 'accuracy' });
  study.compare('by_f1', { ...base, metric: 'macro_f1' });
  const jobs = study.plan().jobs;
  const ids = jobs.map((job) => job.id);
  assert.is(new Set(ids).size, ids.length);
  assert.is(jobs.filter((job) => job.id === 'metric:line#0@2 on outside.test').length, 1);
  assert.equal((find(jobs, 'metric:line#0@2 on outside.test').spec as { metrics: string[] }).metrics, [
    'accuracy',
    'macro_f1',
  ]);
  // Two fits over the same metric jobs differ by their metric only.
  assert.equal(find(jobs, 'fit-baseline:by_accuracy.out').deps, find(jobs, 'fit-baseline:by_f1.out').deps);
  assert.is.not(find(jobs, 'fit-baseline:by_accuracy.out').hash, find(jobs, 'fit-baseline:by_f1.out').hash);
});

test('other groups give metric jobs of their own, named by the groups', () => {
  const { study, line, tuned, shift } = toy();
  const base = {
    arms: [tuned],
    baseline: line,
    targets: [{ label: 'out', shift }],
    metric: 'worst_group_accuracy' as const,
    scale: 'probit' as const,
    interval: 0.95,
    intervalRule: 'regression' as const,
    baselinePoints: 'mean_of_copies' as const,
  };
  study.compare('a', { ...base, groups: ['label'] });
  study.compare('b', { ...base, groups: ['label', 'aligned'] });
  const jobs = study.plan().jobs;
  assert.equal((find(jobs, 'metric:tuned#0 on reference.test by label+aligned').spec as { groups: string[] }).groups, [
    'label',
    'aligned',
  ]);
  assert.equal(
    find(jobs, 'metric:tuned#0 on reference.test').deps,
    find(jobs, 'metric:tuned#0 on reference.test by label+aligned').deps,
  );
});

test('seeds derive from the study seed: reruns are identical, another seed changes every seeded job', () => {
  const first = toy(0).study.plan();
  assert.equal(toy(0).study.plan(), first);
  const other = toy(1).study.plan();
  for (const job of first.jobs) {
    if ((job.spec as { seed?: number }).seed === undefined) continue;
    assert.is.not(find(other.jobs, job.id).spec, job.spec);
    assert.is.not(
      (find(other.jobs, job.id).spec as { seed: number }).seed,
      (job.spec as { seed: number }).seed,
      job.id,
    );
  }
});

test('expect: result operands become dependency indices; an unknown result names the study line', () => {
  const { study, line, tuned, shift } = toy();
  const er = study.compare('er', {
    arms: [tuned],
    baseline: line,
    targets: [{ label: 'out', shift }],
    metric: 'accuracy',
    scale: 'logit',
    interval: 0.9,
    intervalRule: 'regression',
    baselinePoints: 'mean_of_copies',
    groups: ['label'],
  });
  const result = { op: 'result' as const, compare: er, arm: 'tuned', target: 'out' };
  study.expect({ op: '-', left: result, right: { op: 'neg', operand: result } }, 'er.tuned.out - -er.tuned.out', at);
  const job = find(study.plan().jobs, 'expect:er.tuned.out - -er.tuned.out');
  assert.equal(job.deps, ['effective-robustness:er.tuned.out']);
  assert.equal(job.spec, {
    expression: {
      op: '-',
      left: { op: 'result', index: 0, path: 'er' },
      right: { op: 'neg', operand: { op: 'result', index: 0, path: 'er' } },
    },
  });
  assert.equal(job.source, at);
  assert.throws(
    () => study.expect({ op: 'result', compare: er, arm: 'line', target: 'out' }, 'er.line.out', at),
    (error: Error) =>
      error instanceof StudyBuildError &&
      error.message === 'toy.study:12:3: expect: er.line.out names no comparison result',
  );
});

test('the builder refuses what it cannot plan, naming the line', () => {
  const { study, line, reference } = toy();
  assert.throws(() => study.distribution('reference', reference, []), /name is already used/);
  assert.throws(
    () => study.arm('idle', fineTuned(line), at),
    (error: Error) => error.message.startsWith('toy.study:12:3: idle: nothing to do'),
  );
  assert.throws(
    () =>
      study.arm(
        'orphan',
        {
          ...fineTuned(line),
          init: null,
          train: null,
          reweight: { distribution: reference, split: 'val', balancedBy: [], C: [0.001], subsets: 0 },
        },
        at,
      ),
    /needs an init/,
  );
  assert.throws(
    () =>
      study.baseline(
        'pointless',
        { model: linear, train: reference, recipe: recipe(), checkpoints: [], copies: 1, ...untrimmed },
        at,
      ),
    /at least one checkpoint/,
  );
});

test.run();
