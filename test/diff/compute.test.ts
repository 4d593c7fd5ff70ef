import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { describeChange, describeImpact, renderText } from '../../compiler/diff/index.ts';
import { repoRoot } from '../helpers/cli.ts';
import { base, diff, edit } from './helpers.ts';

const classes = suite('diff: change classes from plan hashes');

classes('one more copy of the baseline retrains that baseline alone, at training samples × epochs', () => {
  const result = diff(base, edit(base, ['copies 2\n', 'copies 3\n']));
  assert.is(result.changes.length, 1);
  const [{ change, impact }] = result.changes as [(typeof result.changes)[0]];
  assert.equal(describeChange(change), ['baseline from_scratch: copies 2 → 3']);
  assert.is(impact!.class, 'retrains');
  assert.equal(
    impact!.retrains.map((r) => r.model),
    ['from_scratch'],
  );
  // One new copy: 12000 × 0.9 training examples for 12 epochs.
  assert.is(impact!.sampleEpochs, 12000 * 0.9 * 12);
  assert.is(result.total.class, 'retrains');
});

classes('a recipe change retrains every model trained with it, through init', () => {
  const result = diff(base, edit(base, ['lr 3e-3', 'lr 1e-3']));
  const { change, impact } = result.changes[0]!;
  assert.equal(describeChange(change), ['recipe scratch: lr 3e-3 → 1e-3']);
  // broad is pre-trained with `scratch`, from_scratch trains with it, fine_tuned starts from broad.
  assert.equal(impact!.retrains.map((r) => r.model).sort(), ['broad', 'fine_tuned', 'from_scratch']);
});

classes('a different evaluation distribution re-evaluates without training', () => {
  const result = diff(base, edit(base, ['flipped = reference | vflip', 'flipped = reference | hflip']));
  const { change, impact } = result.changes[0]!;
  assert.equal(describeChange(change), ['distribution flipped: reference | vflip → reference | hflip']);
  assert.is(impact!.class, 're-evaluates');
  assert.is(impact!.retrains.length, 0);
  assert.ok(impact!.invalidated.some((job) => job.kind === 'predict'));
});

classes('a confidence level or an expectation only re-runs analysis', () => {
  const interval = diff(base, edit(base, ['interval 95%', 'interval 90%']));
  assert.equal(describeChange(interval.changes[0]!.change), ['compare robustness: interval 95% → 90%']);
  assert.is(interval.changes[0]!.impact!.class, 'analysis');
  const expectation = diff(base, edit(base, ['flip > 0.02', 'flip > 0.05']));
  assert.is(expectation.changes.length, 1);
  assert.equal(describeChange(expectation.changes[0]!.change), [
    'expect: robustness.fine_tuned.flip > 0.02 → robustness.fine_tuned.flip > 0.05',
  ]);
  assert.is(expectation.total.class, 'analysis');
  assert.equal(
    expectation.total.invalidated.map((job) => job.kind),
    ['expect'],
  );
});

classes('a title changes no job: cosmetic, but still a change', () => {
  const result = diff(base, edit(base, ['title "Spurious', 'title "A spurious']));
  assert.is(result.changes.length, 1);
  assert.is(result.changes[0]!.impact!.class, 'cosmetic');
  assert.is(result.total.class, 'cosmetic');
});

classes('a value swept over is overridden: changing it in the recipe is cosmetic (hashes decide, not keywords)', () => {
  const result = diff(base, edit(base, ['lr 3e-4', 'lr 1e-4']));
  assert.equal(describeChange(result.changes[0]!.change), ['recipe finetune: lr 3e-4 → 1e-4']);
  assert.is(result.changes[0]!.impact!.class, 'cosmetic');
});

classes('each change is charged alone; the total covers them all', () => {
  const result = diff(base, edit(base, ['interval 95%', 'interval 90%'], ['copies 3\n', 'copies 4\n']));
  const byKind = Object.fromEntries(result.changes.map((c) => [c.change.name, c.impact!.class]));
  assert.equal(byKind, { fine_tuned: 'retrains', robustness: 'analysis' });
  assert.is(result.total.class, 'retrains');
  assert.equal(
    result.total.retrains.map((r) => r.model),
    ['fine_tuned'],
  );
});

classes('added and removed declarations', () => {
  const added = diff(
    base,
    edit(base, [
      '  compare robustness',
      '  compare more { arms [fine_tuned], baseline from_scratch, shifts [flip], metric macro_f1 }\n  compare robustness',
    ]),
  );
  assert.equal(
    added.changes.map((c) => [c.change.type, c.change.kind, c.change.name]),
    [['added', 'compare', 'more']],
  );
  assert.ok(added.changes[0]!.impact!.invalidated.length > 0);
  const removed = diff(base, edit(base, ['  expect abs(robustness.fine_tuned.tint_bias) < 0.03\n', '']));
  assert.equal(
    removed.changes.map((c) => [c.change.type, c.change.kind]),
    [['removed', 'expect']],
  );
  assert.is(removed.changes[0]!.impact!.class, 'analysis');
});

classes.run();

const renames = suite('diff: renames');

renames('a renamed arm (and every use of it) is one cosmetic rename', () => {
  const renamed = base.replaceAll('fine_tuned', 'tuned');
  const result = diff(base, renamed);
  assert.equal(
    result.changes.map((c) => describeChange(c.change)),
    [['arm fine_tuned renamed to tuned']],
  );
  assert.is(result.changes[0]!.impact!.class, 'cosmetic');
  assert.is(result.total.class, 'cosmetic');
});

renames('a renamed distribution used by others is found through them', () => {
  const renamed = base.replace(/\breference\b/g, 'ref');
  const result = diff(base, renamed);
  assert.equal(
    result.changes.map((c) => describeChange(c.change)),
    [['distribution reference renamed to ref']],
  );
  assert.is(result.total.class, 'cosmetic');
});

renames('a rename together with a change of body is a removal and an addition', () => {
  const result = diff(
    base,
    edit(base, [
      'model cnn = convnet { channels [16, 32], dense 64 }',
      'model net = convnet { channels [16, 32], dense 64 }',
    ]).replace(/model cnn/g, 'model net'),
  );
  assert.equal(
    result.changes.map((c) => c.change.type),
    ['renamed'],
  );
  const changed = diff(
    base,
    edit(base, [
      'model cnn = convnet { channels [16, 32], dense 64 }',
      'model net = convnet { channels [16, 32], dense 32 }',
    ]).replace(/model cnn/g, 'model net'),
  );
  // Its users now name `net`: they change too.
  assert.equal(changed.changes.map((c) => `${c.change.type} ${c.change.name}`).sort(), [
    'added net',
    'changed broad',
    'changed fine_tuned',
    'changed from_scratch',
    'removed cnn',
  ]);
  assert.is(changed.total.class, 'retrains');
});

renames.run();

const noops = suite('diff: no semantic change');

noops('reformatting, comments, spelling of numbers and explicit defaults', () => {
  const variants = [
    base.replace(/\n\s*\n/g, '\n').replace(/ {2}/g, '    '),
    edit(base, ['  model cnn', '  // the architecture\n  /* every model */ model cnn']),
    edit(base, ['lr 3e-4', 'lr 0.0003']),
    edit(base, ['epochs 3 }', 'epochs 3, schedule constant }']),
    edit(base, ['  arm fine_tuned {\n', '  arm fine_tuned {\n    copies 3\n'], ['    copies 3\n  }', '  }']),
  ];
  for (const variant of variants) {
    const result = diff(base, variant);
    assert.equal(result.changes, [], variant);
    assert.is(result.total.class, 'cosmetic');
  }
});

noops('declaration order', () => {
  const model = '  model cnn = convnet { channels [16, 32], dense 64 }\n';
  const reordered = edit(base, [model, ''], ['  data digits', `${model}  data digits`]);
  const shifts = reordered.replace(/( {2}shift tint_bias.*\n)( {2}shift flip.*\n)/, '$2$1');
  assert.is.not(shifts, reordered);
  assert.equal(diff(base, shifts).changes, []);
});

noops.run();

const families = suite('diff: families (examples/spurious_sweep.study)');
const sweep = readFileSync(`${repoRoot}examples/spurious_sweep.study`, 'utf8');

families('a new index value adds its members, each charged with its own training; no other member changes', () => {
  const wider = edit(sweep, ['p in [0.5, 0.7, 0.9]', 'p in [0.5, 0.7, 0.8, 0.9]']);
  const result = diff(sweep, wider);
  assert.equal(
    result.changes.map(({ change }) => describeChange(change)[0]),
    [
      'distribution reference[0.8] added',
      'shift tint[0.8] added',
      'baseline scratch[0.8] added',
      'arm ft[0.8] added',
      'compare at[0.8] added',
    ],
  );
  const arm = result.changes.find(({ change }) => change.name === 'ft[0.8]')!;
  // One copy fine-tuned on 2000 × 0.9 training examples for the 2 epochs of `finetune`.
  assert.equal(
    arm.impact!.retrains.map((r) => [r.model, r.sampleEpochs]),
    [['ft[0.8]', 2000 * 0.9 * 2]],
  );
  assert.is(
    describeImpact(arm.impact, arm.change),
    `adds ft[0.8] (trains 3,600 samples × epochs; ${arm.impact!.invalidated.length} jobs to run)`,
  );
  assert.match(renderText(result), '+ arm ft[0.8] added\n      adds ft[0.8] (trains 3,600 samples × epochs;');
  // The other members keep every hash: nothing of theirs runs again or goes.
  assert.equal(result.total.dropped, []);
  assert.equal(
    result.total.retrains.map((r) => r.model),
    ['scratch[0.8]', 'ft[0.8]'],
  );
  assert.ok(
    result.total.invalidated.every((job) => !/\[0\.[579]\]/.test(job.id)),
    'only [0.8] jobs run',
  );
});

families('a shared attribute retrains every member that uses it, each named', () => {
  const result = diff(
    sweep,
    edit(sweep, ['recipe finetune { optimizer adam, lr 5e-4', 'recipe finetune { optimizer adam, lr 1e-4']),
  );
  assert.is(result.changes.length, 1);
  const { change, impact } = result.changes[0]!;
  assert.equal(describeChange(change), ['recipe finetune: lr 5e-4 → 1e-4']);
  assert.equal(
    impact!.retrains.map((r) => r.model),
    ['ft[0.5]', 'ft[0.7]', 'ft[0.9]'],
  );
  assert.match(describeImpact(impact), 'retrains ft[0.5], ft[0.7], ft[0.9] (');
});

families('an edit to a family declaration is one change for the family, naming every member it retrains', () => {
  const result = diff(
    sweep,
    edit(
      sweep,
      ['recipe finetune }', 'recipe finetune, copies 2 }'],
      ['shifts [tint[p]] }', 'shifts [tint[p]], interval 90% }'],
    ),
  );
  assert.equal(
    result.changes.map(({ change }) => describeChange(change)),
    [['arm ft[p]: copies 1 (default) → 2'], ['compare at[p]: interval 0.95 (default) → 90%']],
  );
  const [arm, compare] = result.changes as [(typeof result.changes)[0], (typeof result.changes)[0]];
  assert.equal(arm.change.type === 'changed' && arm.change.members, ['ft[0.5]', 'ft[0.7]', 'ft[0.9]']);
  assert.equal(
    arm.impact!.retrains.map((r) => r.model),
    ['ft[0.5]', 'ft[0.7]', 'ft[0.9]'],
  );
  assert.match(renderText(result), '~ arm ft[p]: copies 1 (default) → 2\n      retrains ft[0.5], ft[0.7], ft[0.9] (');
  assert.is(compare.impact!.class, 'analysis');
  // A family of claims is one change too: its members share the edited text.
  const claims = diff(sweep, edit(sweep, ['abs(at[p].ft[p].tint[p]) < 0.05', 'abs(at[p].ft[p].tint[p]) < 0.04']));
  assert.equal(
    claims.changes.map(({ change }) => [change.type, change.kind, change.type === 'changed' && change.members]),
    [['changed', 'expect', ['expect[0.5]', 'expect[0.7]']]],
  );
});

families.run();
