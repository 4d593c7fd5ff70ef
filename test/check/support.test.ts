// Support inference reads each transform's declared support effects (runtime/data/transforms/*.ts); these
// cases pin what the declarations mean, one per kind of effect.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';

/** The inferred kind of `reference -> shifted`, each a chain after `digits`. */
function inferred(reference: string, shifted: string): string {
  const source = `study s {
  data digits = mnist { train 100, test 100 }
  distribution a = digits${reference}
  distribution b = digits${shifted}
  shift x: in_support = a -> b
}
`;
  const { study, diagnostics } = checkSource(source, 's.study');
  assert.ok(study, `${reference} -> ${shifted}: ${diagnostics.map((d) => d.message).join('; ')}`);
  return study!.shifts[0]!.inferredKind;
}

const cases: [string, string, string, string][] = [
  ['toggle: a flip is new', '', ' | vflip', 'out_of_support'],
  ['toggle: p < 1 shows both states, so every flip is covered', ' | vflip { p 0.5 }', ' | vflip', 'in_support'],
  ['toggle: undoing a flip the reference always shows is new', ' | vflip', '', 'out_of_support'],
  ['toggle: p 0 changes nothing', '', ' | hflip { p 0 }', 'in_support'],
  ['shift: a larger border is new', ' | pad { pixels 2 }', ' | pad { pixels 4 }', 'out_of_support'],
  [
    'shift upTo: augment covers every smaller rotation',
    ' | augment { rotate 30 }',
    ' | rotate { degrees 20 }',
    'in_support',
  ],
  ['shift upTo: but not a larger one', ' | augment { rotate 10 }', ' | rotate { degrees 20 }', 'out_of_support'],
  ['toggle atMost: augment flips cover a full flip', ' | augment { vflip 0.9 }', ' | vflip', 'in_support'],
  ['set: noise of a smaller spread is covered', ' | noise { std 0.3 }', ' | noise { std 0.1 }', 'in_support'],
  ['set: noise of a larger spread is new', ' | noise { std 0.1 }', ' | noise { std 0.3 }', 'out_of_support'],
  ['when: colours a class never gets are new', ' | tint { spurious 1 }', ' | tint { spurious 0 }', 'out_of_support'],
  [
    'when: the same tint with other proportions is not',
    ' | tint { spurious 0.8 }',
    ' | tint { spurious 0 }',
    'in_support',
  ],
  [
    'when: strength 0 is no tint, so a real one is new',
    ' | tint { strength 0 }',
    ' | tint { strength 0.25, spurious 1 }',
    'out_of_support',
  ],
  [
    "add: augment's random tint covers its own strength",
    ' | augment { tint 0.5 }',
    ' | tint { spurious 0 }',
    'in_support',
  ],
  ['proportions only: label_shift and limit change no support', '', ' | label_shift | limit 50', 'in_support'],
  [
    'blur: a blur is new, a smaller one is not covered by a larger',
    ' | blur { radius 2 }',
    ' | blur { radius 1 }',
    'out_of_support',
  ],
];

test('support effects: toggle, shift, set, add and conditions', () => {
  for (const [what, reference, shifted, kind] of cases) assert.is(inferred(reference, shifted), kind, what);
});

test.run();
