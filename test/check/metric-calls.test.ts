// Metric calls in `expect` (`accuracy(tuned, reference.test)`): every problem with one is a coded diagnostic at
// its argument, and a checked call is typed with its model, split and groups.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expectFunctions } from '../../runtime/expect/functions.ts';
import { check, codes, study } from './helpers.ts';

/** The one diagnostic of `claim` (an `expect` line added to the core study), with the text its caret covers. */
function only(claim: string) {
  const source = study(`expect ${claim}`);
  const { diagnostics } = check(source);
  assert.is(diagnostics.length, 1, diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const [diagnostic] = diagnostics;
  return { ...diagnostic!, covers: source.slice(diagnostic!.span.start, diagnostic!.span.end) };
}

test('metric calls over arms, baselines and pretrains check clean, and are typed with their defaults', () => {
  const source = study(
    [
      'pretrain broad { model cnn, data digits | tint { strength 0.25, spurious 0 }, recipe fit }',
      'arm probe { init broad, strategy lp, train reference, recipe fit }',
      'expect accuracy(tuned, reference.test) > accuracy(scratch, reference.test) + 0.10',
      'expect worst_group_accuracy(tuned, flipped.test, by [label, tint]) >= worst_group_accuracy(scratch, flipped.test)',
      'expect balanced_accuracy(broad, flipped.test) > max(macro_f1(probe, reference.val), er.tuned.flip)',
    ].join('\n'),
  );
  const result = check(source);
  assert.equal(
    result.diagnostics.map((d) => d.code),
    [],
  );
  const [first, second, third] = result.study!.expects;
  assert.equal(
    first!.metrics.map((call) => [call.metric, call.model.kind, call.distribution.name, call.split, call.groups]),
    [
      ['accuracy', 'group', 'reference', 'test', ['label', 'aligned']],
      ['accuracy', 'group', 'reference', 'test', ['label', 'aligned']],
    ],
  );
  // `by` as written; without it the compare rule's default for the measured data (tinted: label and aligned).
  assert.equal(
    second!.metrics.map((call) => call.groups),
    [
      ['label', 'tint'],
      ['label', 'aligned'],
    ],
  );
  assert.equal(
    third!.metrics.map((call) => [call.metric, call.model.kind, call.distribution.name, call.split, call.groups]),
    [
      ['balanced_accuracy', 'pretrain', 'flipped', 'test', ['label', 'aligned']],
      ['macro_f1', 'group', 'reference', 'val', ['label', 'aligned']],
    ],
  );
  // Only the comparison result is a result path; the metric's arguments are names.
  assert.equal(
    third!.paths.map((path) => `${path.compare}.${path.arm}.${path.target}`),
    ['er.tuned.flip'],
  );
});

test('every metric the runtime computes is a function, under the name `compare … metric` uses', () => {
  for (const metric of ['accuracy', 'balanced_accuracy', 'worst_group_accuracy', 'macro_f1', 'auroc']) {
    assert.is(expectFunctions[metric as keyof typeof expectFunctions].metric, metric);
    const uses = codes(
      study(`compare c_${metric} { arms [tuned], baseline scratch, shifts [flip], metric ${metric} }`),
    );
    assert.equal(uses, [], `compare metric ${metric}`);
  }
});

test('S1006: a misspelt metric is an unknown function with did-you-mean', () => {
  const found = only('acuracy(tuned, reference.test) > 0.5');
  assert.is(found.code, 'S1006');
  assert.is(found.covers, 'acuracy');
  assert.is(found.hint, "did you mean 'accuracy'?");
});

test('S2005: a metric takes a model and a split', () => {
  const found = only('accuracy(tuned) > 0.5');
  assert.is(found.code, 'S2005');
  assert.is(found.message, "function 'accuracy' takes 2 arguments, got 1");
  assert.is(found.hint, 'call it as accuracy(model, split)');
});

test('S2017: arguments of the wrong kind, at the argument', () => {
  const swapped = codes(study('expect accuracy(reference.test, tuned) > 0.5'));
  assert.equal(
    swapped.map((code) => code.split('@')[0]),
    ['S2017', 'S2017'],
  );
  const split = only('accuracy(flipped.test, reference.test) > 0.5');
  assert.is(split.code, 'S2017');
  assert.is(split.covers, 'flipped.test');
  assert.is(
    split.message,
    "argument 'model' of 'accuracy' must be the name of a trained model (an arm, a baseline or a pretrain)",
  );
  const number = only('auroc(tuned, 0.5) > 0.5');
  assert.is(number.code, 'S2017');
  assert.is(number.covers, '0.5');
  assert.match(number.message, "argument 'split' of 'auroc' must be a distribution split");
  const nested = only('accuracy(max(tuned, scratch), reference.test) > 0.5');
  assert.is(nested.code, 'S2017');
  assert.is(nested.covers, 'max(tuned, scratch)');
});

test('S1001 and S1003: the model and the split are names, checked like any other', () => {
  const unknown = only('accuracy(tune, reference.test) > 0.5');
  assert.is(unknown.code, 'S1001');
  assert.is(unknown.covers, 'tune');
  assert.is(unknown.hint, "did you mean 'tuned'?");
  const distribution = only('accuracy(reference, reference.test) > 0.5');
  assert.is(distribution.code, 'S1003');
  assert.is(
    distribution.message,
    "'reference' is a distribution, but an arm or a baseline or a pretrain is expected here",
  );
  const model = only('accuracy(tuned, cnn.test) > 0.5');
  assert.is(model.code, 'S1003');
  assert.is(model.covers, 'cnn');
  const split = only('accuracy(tuned, reference.tests) > 0.5');
  assert.is(split.code, 'S1005');
  assert.is(split.covers, 'tests');
  assert.is(split.hint, "did you mean 'test'?");
});

test("a support split's part is a split a metric call measures on: the shift's shifted test examples", () => {
  const parts = 'split parts = support(flip) { classifier cnn }';
  const result = check(
    study(`${parts}\nexpect accuracy(tuned, parts.in_support) > accuracy(scratch, parts.out_of_support)`),
  );
  assert.equal(
    result.diagnostics.map((d) => d.code),
    [],
  );
  assert.equal(
    result.study!.expects[0]!.metrics.map((call) => [
      call.distribution.name,
      call.split,
      call.part?.split.name,
      call.part?.part,
    ]),
    [
      ['flipped', 'test', 'parts', 'in_support'],
      ['flipped', 'test', 'parts', 'out_of_support'],
    ],
  );
  const misspelt = check(study(`${parts}\nexpect accuracy(tuned, parts.in_suport) > 0.5`)).diagnostics;
  assert.equal(
    misspelt.map((d) => [d.code, d.hint]),
    [['S1005', "did you mean 'in_support'?"]],
  );
  // A part belongs to a support split: a distribution or a shift has none.
  const distribution = only('accuracy(tuned, reference.in_support) > 0.5');
  assert.is(distribution.code, 'S1003');
  assert.is(distribution.covers, 'reference');
});

test('S2018 and S4005: groups only on worst_group_accuracy, and only attributes the data carries', () => {
  const groups = only('accuracy(tuned, reference.test, by [label, tint]) > 0.5');
  assert.is(groups.code, 'S2018');
  assert.is(groups.covers, '[label, tint]');
  assert.is(groups.hint, 'write accuracy(tuned, reference.test)');
  const missing = only('worst_group_accuracy(tuned, flipped.test, by [label, hflip]) > 0.5');
  assert.is(missing.code, 'S4005');
  assert.is(missing.covers, 'hflip');
  assert.is(missing.message, "'flipped' does not carry the attribute 'hflip'");
  const notNames = only('worst_group_accuracy(tuned, reference.test, by [1, 2]) > 0.5');
  assert.is(notNames.code, 'S2002');
});

test('S4002, S4003 and S4016: a model measured on data it cannot read', () => {
  const vectors = study(
    'data pairs = gaussian { dim 16, classes 2, train 200, test 100 }\nmodel net = mlp { hidden [8] }\n' +
      'arm small { model net, train pairs, recipe fit }\nexpect accuracy(small, pairs.test) > 0.5',
  );
  assert.equal(codes(vectors), []);
  const imageModel = check(vectors.replace('accuracy(small, pairs.test)', 'accuracy(tuned, pairs.test)'));
  const errors = imageModel.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(
    errors.map((d) => d.code),
    ['S4002', 'S4003'],
  );
  assert.match(errors[1]!.message, "'tuned' has 10 classes, but 'pairs' has 2");
  const grey = only('accuracy(tuned, digits.test) > 0.5');
  assert.is(grey.code, 'S4016');
  assert.is(grey.covers, 'digits.test');
  assert.match(grey.message, "'tuned' was trained on ");
});

test('S4006: a model where a number is expected says how to measure it', () => {
  const found = only('tuned > 0.5');
  assert.is(found.code, 'S4006');
  assert.is(found.hint, "arm 'tuned' is a model: measure it, e.g. accuracy(tuned, DISTRIBUTION.test)");
});

test.run();
