import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';
import { check, codes, study } from './helpers.ts';

const line = (source: string, needle: string) => source.split('\n').findIndex((l) => l.includes(needle)) + 1;
const col = (source: string, needle: string, at = needle) => {
  const text = source.split('\n')[line(source, needle) - 1]!;
  return text.indexOf(at) + 1;
};
/** Asserts exactly one diagnostic with `code`, located at `at` on the line containing `needle`. */
function expectOne(source: string, code: string, needle: string, at = needle) {
  const found = codes(source).filter((c) => c.startsWith(code));
  assert.equal(found, [`${code}@${line(source, needle)}:${col(source, needle, at)}`], codes(source).join(' '));
}

test('the core study and every example check with no errors', () => {
  assert.equal(codes(study('')), []);
  for (const file of readdirSync('examples').filter((f) => f.endsWith('.study'))) {
    // Under its own path: an example's input files resolve against its folder.
    const result = checkSource(readFileSync(`examples/${file}`, 'utf8'), `examples/${file}`);
    assert.equal(
      result.diagnostics.filter((d) => d.severity === 'error'),
      [],
      file,
    );
    assert.ok(result.study, file);
  }
});

test('S1001 unknown name with did-you-mean', () => {
  const source = study('arm other { init scratch, train refrence, recipe fit }').replace(
    'arms [tuned]',
    'arms [tuned, other]',
  );
  expectOne(source, 'S1001', 'train refrence', 'refrence');
  assert.is(check(source).diagnostics.find((d) => d.code === 'S1001')!.hint, "did you mean 'reference'?");
});

test('S1002 duplicate name', () =>
  expectOne(study('recipe fit { epochs 7 }'), 'S1002', 'recipe fit { epochs 7 }', 'fit'));
test('S1003 wrong kind of name', () =>
  expectOne(study('').replace('init scratch', 'init digits'), 'S1003', 'init digits', 'digits'));
test('S1004 unknown transform', () =>
  expectOne(study('').replace('reference | vflip', 'reference | vfilp'), 'S1004', 'vfilp'));
test('S1005 unknown split', () =>
  expectOne(
    study('').replace(
      'recipe fit { epochs 2 } }',
      'recipe fit { epochs 2 }, sweep lr [1e-3] select accuracy on reference.valid }',
    ),
    'S1005',
    'valid',
  ));
test('S2001 unknown attribute', () => expectOne(study('').replace('spurious 0.8', 'spurius 0.8'), 'S2001', 'spurius'));
test('S2002 wrong value type', () =>
  expectOne(
    study('').replace('recipe fit { epochs 4 }', 'recipe fit { epochs fast }'),
    'S2002',
    'epochs fast',
    'fast',
  ));
test('S2003 missing attribute', () =>
  expectOne(
    study('').replace('model cnn, train reference, recipe fit, checkpoints', 'model cnn, recipe fit, checkpoints'),
    'S2003',
    'baseline scratch',
    'scratch',
  ));
test('S1006 unknown expect function, with did-you-mean or the known list; known ones check', () => {
  expectOne(study('expect hflipabs(er.tuned.flip) < 1'), 'S1006', 'expect', 'hflipabs');
  assert.is(
    check(study('expect hflipabs(er.tuned.flip) < 1')).diagnostics[0]!.hint,
    'known functions: abs, min, max, accuracy, balanced_accuracy, worst_group_accuracy, macro_f1, auroc',
  );
  assert.is(check(study('expect mx(er.tuned.flip, 0) < 1')).diagnostics[0]!.hint, "did you mean 'max'?");
  assert.equal(
    codes(study('expect abs(er.tuned.flip) < 1\nexpect max(er.tuned.flip, 0, -1) > min(er.tuned.flip, 0)')),
    [],
  );
});

test('S2005 wrong argument count: expect functions and builtin positional arguments', () => {
  expectOne(study('expect abs(er.tuned.flip, 1) < 1'), 'S2005', 'expect', 'abs');
  assert.is(
    check(study('expect abs(er.tuned.flip, 1) < 1')).diagnostics[0]!.message,
    "function 'abs' takes 1 argument, got 2",
  );
  expectOne(study('expect max(er.tuned.flip) < 1'), 'S2005', 'expect', 'max');
  assert.is(
    check(study('expect max(er.tuned.flip) < 1')).diagnostics[0]!.message,
    "function 'max' takes 2 or more arguments, got 1",
  );
  const extra = study('split parts = support(flip, flip) { classifier cnn }');
  expectOne(extra, 'S2005', 'split parts', 'flip) {');
  assert.ok(check(extra).diagnostics.some((d) => d.message === "split 'parts' takes 1 argument, got 2"));
});

test('S2004 duplicate attribute', () =>
  expectOne(study('').replace('{ epochs 4 }', '{ epochs 4, epochs 5 }'), 'S2004', 'epochs 5', 'epochs 5'));

test('S3001 out-of-range values', () => {
  expectOne(study('').replace('spurious 0.8', 'spurious 1.4'), 'S3001', 'spurious 1.4', '1.4');
  expectOne(study('').replace('{ epochs 4 }', '{ epochs 4, lr -1 }'), 'S3001', 'lr -1', '-1');
  expectOne(study('').replace('{ epochs 4 }', '{ epochs 0 }'), 'S3001', 'epochs 0', '0 }');
  expectOne(study('').replace('shifts [flip] }', 'shifts [flip], interval 120% }'), 'S3001', '120%');
  const split = study('split parts = support(flip) { classifier cnn, folds 1 }');
  expectOne(split, 'S3001', 'folds 1', '1 }');
  const fine = study('split parts = support(flip) { classifier cnn, folds 2 }');
  assert.equal(codes(fine), [`S5001@${line(fine, 'split parts')}:${col(fine, 'split parts', 'parts')}`]); // unused, but in range
});

test('S3002 checkpoint beyond the last epoch', () =>
  expectOne(study('').replace('checkpoints 2..4', 'checkpoints 2..6'), 'S3002', 'checkpoints 2..6', 'checkpoints'));

test('S4001 init cycle', () => {
  const source = study(
    'arm a { init b, train reference, recipe fit }\narm b { init a, train reference, recipe fit }',
  ).replace('arms [tuned]', 'arms [tuned, a, b]');
  expectOne(source, 'S4001', 'arm a', 'b,');
});

test('S4009 distribution cycle', () => {
  const source = study(
    'distribution loop_a = loop_b | vflip\ndistribution loop_b = loop_a\nshift loop: out_of_support = loop_a -> loop_b',
  ).replace('shifts [flip]', 'shifts [flip, loop]');
  expectOne(source, 'S4009', 'distribution loop_a', 'loop_b');
  assert.equal(
    codes(source).filter((c) => c.startsWith('S4001')),
    [],
  );
});

test('S4002 convnet on vector data; passes with mlp', () => {
  const core = `
  data points = gaussian { dim 8 }
  distribution reference = points
  distribution outside = points | rotate_subspace { degrees 30 }
  shift leave: out_of_support = reference -> outside
  model net = convnet
  recipe fit { epochs 4 }
  baseline scratch { model net, train reference, recipe fit, checkpoints 2..4 }
  compare er { arms [], baseline scratch, shifts [leave] }`;
  expectOne(study('', core), 'S4002', 'baseline scratch', 'train reference');
  assert.equal(codes(study('', core.replace('convnet', 'mlp'))), []);
});

test('S4003 kept head with a different class count', () => {
  const source = study(
    'data two = gaussian { dim 4, classes 2 }\npretrain wide { model flat, data two, recipe fit }\nmodel flat = mlp',
  )
    .replace('init scratch, train reference', 'init wide, head keep, train reference')
    .replace('model cnn = convnet { channels [8], dense 16 }', 'model cnn = mlp');
  expectOne(source, 'S4003', 'head keep', 'head keep');
});

test('S4004 baseline with fewer than 3 points: copies of a checkpoint are one point unless points per_copy', () => {
  expectOne(study('').replace('checkpoints 2..4', 'checkpoints 4'), 'S4004', 'checkpoints 4', 'checkpoints');
  expectOne(study('').replace('checkpoints 2..4', 'checkpoints 4, copies 3'), 'S4004', 'checkpoints 4', 'checkpoints');
  assert.equal(codes(study('').replace('checkpoints 2..4', 'checkpoints 4, copies 3, points per_copy')), []);
});

test('compare interval: a level, or the words `copies`; anything else is a type error', () => {
  const compare = (interval: string) => study('').replace(/(compare [a-z_]+ \{)/, `$1 interval ${interval},`);
  assert.equal(codes(compare('90%')), []);
  assert.equal(codes(compare('copies')), []);
  assert.equal(
    codes(compare('spread')).map((code) => code.split('@')[0]),
    ['S2002'],
  );
});

test('S4005 balanced_by an attribute the data does not carry', () => {
  expectOne(
    study('').replace('recipe fit { epochs 2 } }', 'recipe fit { epochs 2 }, balanced_by [label, rotation] }'),
    'S4005',
    'balanced_by [label, rotation]',
    'balanced_by',
  );
  assert.equal(
    codes(study('').replace('recipe fit { epochs 2 } }', 'recipe fit { epochs 2 }, balanced_by [label, tint] }')),
    [],
  );
});

test('S4006 expect path naming no result', () => {
  expectOne(study('expect er.tuned.flp > 0'), 'S4006', 'expect', 'er.tuned.flp');
  assert.equal(codes(study('expect er.tuned.flip > 0')), []);
});

test('S4007 shift between images and vectors', () =>
  expectOne(
    study('data points = gaussian { dim 8 }\nshift odd: out_of_support = reference -> points').replace(
      'shifts [flip]',
      'shifts [flip, odd]',
    ),
    'S4007',
    'shift odd',
    'shift',
  ));

test('S4007 shift between grey and tinted (3-channel) images', () =>
  expectOne(
    study('shift tinted: out_of_support = digits -> reference').replace('shifts [flip]', 'shifts [flip, tinted]'),
    'S4007',
    'shift tinted',
    'shift',
  ));

test('S4008 init trained on grey images for an arm that trains on tinted ones; passes with a tinting augment', () => {
  const pretrained = (data: string) =>
    study(
      `pretrain broad { model cnn, data ${data}, recipe fit }\narm fresh { init broad, train reference, recipe fit }`,
    ).replace('arms [tuned]', 'arms [tuned, fresh]');
  expectOne(pretrained('digits'), 'S4008', 'arm fresh', 'init broad');
  assert.equal(codes(pretrained('digits | augment { tint 0.5 }')), []);
});

test('S5001 unused declaration is a warning', () => {
  const result = check(study('recipe spare { epochs 2 }'));
  assert.equal(
    result.diagnostics.map((d) => [d.code, d.severity]),
    [['S5001', 'warning']],
  );
  assert.ok(result.study);
});

test('S5002 model selection on the shifted split', () =>
  expectOne(
    study('').replace(
      'recipe fit { epochs 2 } }',
      'recipe fit { epochs 2 }, sweep lr [1e-3, 1e-4] select accuracy on flipped.val }',
    ),
    'S5002',
    'sweep lr',
    'sweep',
  ));

test('S5004 deep feature reweighting fitted on the shifted side of a compared shift', () => {
  const dfr = (on: string) =>
    study(`arm dfr { init scratch, reweight last_layer on ${on} balanced_by [label, aligned] }`).replace(
      'arms [tuned]',
      'arms [tuned, dfr]',
    );
  expectOne(dfr('flipped.val'), 'S5004', 'arm dfr', 'reweight');
  assert.equal(codes(dfr('reference.val')), []);
});

test("a reweight's options block: C and subsets checked and typed, defaults filled, other attributes refused", () => {
  const dfr = (options: string) =>
    study(`arm dfr { init scratch, reweight last_layer on reference.val balanced_by [label] ${options} }`).replace(
      'arms [tuned]',
      'arms [tuned, dfr]',
    );
  const reweightOf = (source: string) => check(source).study!.groups.find((g) => g.name === 'dfr')!.reweight!;
  assert.equal([reweightOf(dfr('')).C, reweightOf(dfr('')).subsets], [[0.001], 0]);
  assert.equal([reweightOf(dfr('{ C 0.1 }')).C, reweightOf(dfr('{ subsets 4 }')).subsets], [[0.1], 4]);
  assert.equal(reweightOf(dfr('{ C [1, 0.1, 0.01] }')).C, [1, 0.1, 0.01]);
  expectOne(dfr('{ C 0 }'), 'S3001', 'arm dfr', '0 }');
  expectOne(dfr('{ C [1, -1] }'), 'S3001', 'arm dfr', '-1');
  expectOne(dfr('{ C [] }'), 'S2002', 'arm dfr', '[]');
  expectOne(dfr('{ subsets 1.5 }'), 'S2002', 'arm dfr', '1.5');
  expectOne(dfr('{ lambda 3 }'), 'S2001', 'arm dfr', 'lambda');
  // A block on an attribute that takes none is refused, not ignored.
  expectOne(
    study('').replace('recipe fit { epochs 2 } }', 'recipe fit { epochs 2 }, copies 2 { C 1 } }'),
    'S2001',
    'copies 2',
    'C 1',
  );
});

test('arm objectives: unknown names, missing and out-of-range parameters, groups the data lacks; defaults typed', () => {
  const arm = (objective: string) =>
    study(`arm robust { model cnn, train reference, recipe fit, objective ${objective} }`).replace(
      'arms [tuned]',
      'arms [tuned, robust]',
    );
  expectOne(arm('group_drop'), 'S1004', 'arm robust', 'group_drop');
  expectOne(arm('jtt { epochs 2 }'), 'S2003', 'arm robust', 'jtt');
  expectOne(arm('group_dro { eta 0 }'), 'S3001', 'arm robust', '0 }');
  expectOne(arm('group_dro { lambda 2 }'), 'S2001', 'arm robust', 'lambda');
  expectOne(arm('group_reweighting { groups [label, invert] }'), 'S4005', 'arm robust', 'objective');
  const typed = check(arm('group_dro { adjustment 2 }')).study!.groups.find((g) => g.name === 'robust')!;
  assert.equal(typed.objective, {
    kind: 'group_dro',
    params: { groups: ['label', 'aligned'], eta: 0.01, adjustment: 2 },
  });
  assert.equal(check(arm('group_reweighting')).diagnostics, []);
  const idle = study('arm dfr { init scratch, reweight last_layer on reference.val, objective group_dro }').replace(
    'arms [tuned]',
    'arms [tuned, dfr]',
  );
  expectOne(idle, 'S4018', 'arm dfr', 'objective');
});

test("a split's classifier: a pretrain allowed, sweep … select auroc read, a source elsewhere refused (S4019)", () => {
  const split = (attributes: string) =>
    study(`
  pretrain broad { model cnn, data digits | augment { vflip 0.5 }, recipe fit }
  split parts = support(flip) { ${attributes} }
  compare by_part { arms [tuned], baseline scratch, shifts [parts.in_support, parts.out_of_support] }`);
  const typed = check(split('classifier broad, sweep lr [1e-3, 1e-4] select auroc, source reference.val')).study!;
  const [parts] = typed.splits;
  assert.equal(
    [parts!.init!.name, parts!.source, parts!.sweep],
    ['broad', 'val', { param: 'lr', values: [1e-3, 1e-4] }],
  );
  expectOne(split('classifier cnn, sweep lr [1e-3] select accuracy'), 'S2002', 'split parts', 'lr [1e-3]');
  expectOne(split('classifier cnn, source flipped.train'), 'S4019', 'split parts', 'source');
});

test('S5003 declared kind contradicted by transforms', () => {
  expectOne(study('').replace('flip: out_of_support', 'flip: in_support'), 'S5003', 'shift flip', 'in_support');
  const tilt = study(
    'distribution random = digits | tint { strength 0.25, spurious 0 }\nshift bias: in_support = reference -> random',
  ).replace('shifts [flip]', 'shifts [flip, bias]');
  assert.equal(codes(tilt), []);
});

test('typed study: defaults, flattened chains, resolved inits', () => {
  const typed = check(study('')).study!;
  const flipped = typed.distributions.find((d) => d.name === 'flipped')!;
  assert.equal(
    flipped.transforms.map((t) => t.spec.kind),
    ['tint', 'vflip'],
  );
  assert.equal(flipped.attributes.sort(), ['aligned', 'label', 'tint', 'vflip']);
  assert.equal(flipped.shape, { kind: 'image', height: 28, width: 28, channels: 3 });
  const tuned = typed.groups.find((g) => g.name === 'tuned')!;
  assert.equal(
    [tuned.model.name, tuned.strategy, tuned.head, tuned.recipe!.epochs, tuned.recipe!.lr, tuned.checkpoints],
    ['cnn', 'ft', 'keep', 2, 1e-3, [2]],
  );
  // References are the objects they name: the model a group inherits from its init is the declared one.
  assert.is(
    tuned.model,
    typed.models.find((m) => m.name === 'cnn'),
  );
  const scratch = typed.groups.find((g) => g.name === 'scratch');
  assert.is(tuned.init?.kind === 'group' && tuned.init.group, scratch);
  assert.is(typed.compares[0]!.baseline, scratch);
  assert.is(typed.shifts[0]!.to, flipped);
  assert.equal(typed.compares[0]!.groups, ['label', 'aligned']);
  assert.is(typed.compares[0]!.interval, 0.95);
});

test('typed study: a random tint in augment makes grey images 3-channel; label_shift can reverse', () => {
  const typed = check(
    study(`
  distribution broad = digits | augment { tint 0.5 }
  distribution plain = digits | augment { vflip 0.5 }
  distribution rare_tail = digits | label_shift { reverse 1 }`),
  ).study!;
  const channels = (name: string) =>
    (typed.distributions.find((d) => d.name === name)!.shape as { channels: number }).channels;
  assert.equal([channels('broad'), channels('plain')], [3, 1]);
  const shift = typed.distributions.find((d) => d.name === 'rare_tail')!.transforms[0]!.spec;
  assert.equal(shift.params, { minority: 0.5, rate: 0.2, reverse: 1 });
});

test('typed study: a split may give its classifier a recipe (which counts as a use)', () => {
  const split = (extra: string) =>
    check(
      study(`
  recipe probe { epochs 6 }
  split parts = support(flip) { classifier cnn${extra} }
  compare by_part { arms [tuned], baseline scratch, shifts [parts.in_support, parts.out_of_support] }`),
    );
  const given = split(', recipe probe { lr 0.01 }');
  assert.equal(
    given.diagnostics.map((d) => d.code),
    [],
  );
  assert.equal([given.study!.splits[0]!.recipe!.epochs, given.study!.splits[0]!.recipe!.lr], [6, 0.01]);
  const defaulted = split('');
  assert.is(defaulted.study!.splits[0]!.recipe, null);
  assert.ok(defaulted.diagnostics.some((d) => d.code === 'S5001' && d.message.includes('probe')));
});

test.run();
