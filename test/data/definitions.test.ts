// Every builtin is one definition object; these tests hold each one to its own schema: documented, its
// defaults inside its own ranges, and its runtime code reading only the parameters it declares.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  loadSource,
  SOURCES,
  TRANSFORMS,
  type Dataset,
  type Params,
  type TransformDef,
} from '../../runtime/data/index.ts';
import { ARCHITECTURES } from '../../runtime/models/index.ts';
import { Random } from '../../runtime/random.ts';
import { declaredNames, specDefaults, valueProblem, withDefaults, type ParamOwner } from '../../runtime/schema.ts';
import { images } from './tiny.ts';

const families: [string, Record<string, ParamOwner & { doc: string }>][] = [
  ['source', SOURCES],
  ['transform', Object.fromEntries(Object.entries(TRANSFORMS).map(([name, def]) => [name, ownerOf(def)]))],
  [
    'architecture',
    Object.fromEntries(
      Object.entries(ARCHITECTURES).map(([name, def]) => [
        name,
        { ...def, positional: def.positional && [def.positional] },
      ]),
    ),
  ],
];

function ownerOf(def: TransformDef): ParamOwner & { doc: string } {
  return { doc: def.doc, attributes: def.attributes, positional: def.positional && [def.positional] };
}

/** Params wrapped so that reading a parameter the definition does not declare throws. */
function strict(owner: string, declared: string[], params: Params): Params {
  return new Proxy(params, {
    get(target, key) {
      if (typeof key === 'string' && !declared.includes(key))
        throw new Error(`${owner} reads undeclared parameter '${key}'`);
      return Reflect.get(target, key);
    },
  });
}

test('every builtin and every one of its parameters has docs', () => {
  for (const [family, defs] of families) {
    for (const [name, def] of Object.entries(defs)) {
      assert.ok(def.doc.trim().length > 0, `${family} ${name} has no doc`);
      for (const [param, spec] of Object.entries(def.attributes))
        assert.ok(spec.doc.trim().length > 0, `${family} ${name}: '${param}' has no doc`);
      for (const position of def.positional ?? [])
        assert.ok(position.doc.trim().length > 0, `${family} ${name}: argument '${position.name}' has no doc`);
    }
  }
});

test('every default lies inside its own range and type; required parameters have none', () => {
  for (const [family, defs] of families) {
    for (const [name, def] of Object.entries(defs)) {
      for (const [param, spec] of Object.entries(def.attributes)) {
        if (spec.default !== undefined)
          assert.is(valueProblem(spec.type, spec.default), null, `${family} ${name}: default of '${param}'`);
        assert.ok(
          !(spec.required && spec.default !== undefined),
          `${family} ${name}: '${param}' is required and has a default`,
        );
      }
    }
  }
});

test('the schema check catches a default outside its range (the test above can fail)', () => {
  assert.match(valueProblem({ type: 'number', min: 0, max: 1 }, 1.5) ?? '', 'in [0, 1]');
  assert.match(valueProblem({ type: 'number', integer: true, min: 0 }, 0.5) ?? '', 'whole number');
});

// Values for parameters that have no default (positional arguments), by transform.
const REQUIRED: Record<string, Params> = {
  class_rates: { rates: Array.from({ length: 10 }, () => 0.5) },
  limit: { n: 5 },
  balanced_by: { attributes: ['label'] },
};

async function dataFor(def: TransformDef): Promise<Dataset> {
  if (def.input !== 'vector') return images(40, [6, 6, 1], (n, r, c) => ((n + r * 6 + c) % 11) / 10);
  const { train } = await loadSource({ kind: 'gaussian', params: { dim: 6, rank: 3, train: 40, test: 4 } }, 0);
  return train;
}

test("every transform's apply reads only the parameters its schema declares", async () => {
  for (const [name, def] of Object.entries(TRANSFORMS)) {
    const owner = ownerOf(def);
    const params = withDefaults(def, REQUIRED[name] ?? {});
    const declared = declaredNames(owner);
    for (const split of ['train', 'test'] as const) {
      const out = def.apply(await dataFor(def), strict(name, declared, params), { random: new Random(1), split });
      assert.ok(out.size > 0, `${name} kept examples`);
    }
  }
});

test('a transform reading an undeclared parameter is caught (the test above can fail)', async () => {
  const sneaky: TransformDef = {
    ...TRANSFORMS.noise!,
    apply: (ds, params) => ({ ...ds, size: Number(params.hidden ?? 1) }),
  };
  const data = await dataFor(sneaky);
  assert.throws(
    () =>
      sneaky.apply(data, strict('sneaky', declaredNames(ownerOf(sneaky)), { std: 0.1 }), {
        random: new Random(1),
        split: 'train',
      }),
    /undeclared parameter 'hidden'/,
  );
});

test('gaussian and csv loaders read only the parameters their schema declares', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'shiftlab-defs-'));
  const file = join(folder, 'data.csv');
  writeFileSync(file, `a,b,y\n${Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i % 2}`).join('\n')}\n`);
  const cases: [keyof typeof SOURCES, Params][] = [
    ['gaussian', { dim: 4, train: 10, test: 10 }],
    ['csv', { path: file, label: 'y' }],
  ];
  for (const [kind, given] of cases) {
    const def = SOURCES[kind];
    const params = withDefaults(def, given);
    const loaded = await def.load(strict(kind, declaredNames(def), params), 0);
    assert.ok(loaded.train.size > 0 && loaded.test.size > 0, kind);
  }
});

test('withDefaults fills the schema defaults (derived ones last) and validates nothing', () => {
  const tint = TRANSFORMS.tint!;
  assert.equal(withDefaults(tint, {}), {
    strength: tint.attributes.strength!.default,
    spurious: tint.attributes.spurious!.default,
  });
  assert.equal(withDefaults(tint, { strength: 0.5, spurious: 0.1 }), { strength: 0.5, spurious: 0.1 });
  // Validation happened once, at check time (S2003 for this value): the runtime passes what it is given.
  assert.equal(withDefaults(tint, { strength: 2, colour: 1 }), {
    strength: 2,
    colour: 1,
    spurious: tint.attributes.spurious!.default,
  });
  assert.equal(withDefaults(SOURCES.gaussian, { dim: 7 }).rank, 7);
});

test('an implicit default is applied by the runtime and left out of the spec the checker writes', () => {
  const { resample, balanced_by: balancedBy } = TRANSFORMS;
  assert.is(resample!.attributes.keep!.default, 'near');
  assert.is(balancedBy!.attributes.per_group!.default, 'smallest');
  assert.equal(specDefaults(resample!, {}), { margin: resample!.attributes.margin!.default });
  assert.equal(withDefaults(resample!, {}), { margin: resample!.attributes.margin!.default, keep: 'near' });
  assert.equal(specDefaults(balancedBy!, { attributes: ['label'] }), { attributes: ['label'] });
  assert.equal(withDefaults(balancedBy!, { attributes: ['label'] }), { attributes: ['label'], per_group: 'smallest' });
});

test.run();
