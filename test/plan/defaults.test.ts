// A transform or source parameter is validated once (by the checker, from the definition's schema) and
// defaulted once: the planned specs of every study already hold every default, so the runtime's
// withDefaults adds only the schema's `implicit` ones (left out of specs so the hashes predating them hold).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';
import { compareAttributes } from '../../compiler/check/builtins.ts';
import { planFile, planSource } from '../../compiler/plan/index.ts';
import { sourceDef, transformDef, type Params, type SourceSpec, type TransformSpec } from '../../runtime/data/index.ts';
import type { LoadJobSpec, TransformJobSpec } from '../../runtime/jobs/specs.ts';
import { valueProblem, withDefaults, type DefaultsOwner, type ParamOwner } from '../../runtime/schema.ts';
import { DEFAULT_RECIPE, RECIPE_ATTRIBUTES } from '../../runtime/train/recipe.ts';
import { repoRoot } from '../helpers/cli.ts';

const folders = ['examples', 'studies', 'bench/studies'];

function plannedSpecs(): { study: string; source: SourceSpec[]; transforms: TransformSpec[] }[] {
  return folders.flatMap((folder) =>
    readdirSync(join(repoRoot, folder))
      .filter((entry) => entry.endsWith('.study'))
      .sort()
      .map((name) => {
        const plan = planFile(join(repoRoot, folder, name)).plan!;
        const jobs = (kind: string) => plan.jobs.filter((job) => job.kind === kind).map((job) => job.spec);
        return {
          study: `${folder}/${name}`,
          source: jobs('load').map((spec) => (spec as unknown as LoadJobSpec).source),
          transforms: jobs('transform').flatMap((spec) => (spec as unknown as TransformJobSpec).transforms),
        };
      }),
  );
}

/** The implicit defaults of `owner` that `params` leaves out. */
function missingImplicit(owner: DefaultsOwner, params: Params): Params {
  return Object.fromEntries(
    Object.entries(owner.attributes)
      .filter(([name, spec]) => spec.implicit && params[name] === undefined && spec.default !== undefined)
      .map(([name, spec]) => [name, spec.default!]),
  );
}

/** Problems of planned params against the schema (the checker's one validation must leave none). */
function problems(owner: ParamOwner, params: Params): string[] {
  const declared = { ...owner.attributes, ...Object.fromEntries((owner.positional ?? []).map((p) => [p.name, p])) };
  return Object.entries(params).flatMap(([name, value]) => {
    const spec = declared[name];
    if (!spec) return [`undeclared '${name}'`];
    const problem = valueProblem(spec.type, value);
    return problem ? [`'${name}' ${problem}`] : [];
  });
}

test('every planned spec carries its defaults: the runtime adds only implicit ones and finds nothing invalid', () => {
  let implicitSeen = 0;
  for (const { study, source, transforms } of plannedSpecs()) {
    for (const spec of source) {
      const def = sourceDef(spec.kind);
      // `val` is moved out of the source spec into the transform job.
      const owner = {
        ...def,
        attributes: Object.fromEntries(Object.entries(def.attributes).filter(([n]) => n !== 'val')),
      };
      assert.equal(withDefaults(owner, spec.params), { ...spec.params, ...missingImplicit(owner, spec.params) }, study);
      assert.equal(problems(def, spec.params), [], `${study}: data ${spec.kind}`);
    }
    for (const spec of transforms) {
      const def = transformDef(spec.kind);
      const implicit = missingImplicit(def, spec.params);
      implicitSeen += Object.keys(implicit).length;
      assert.equal(withDefaults(def, spec.params), { ...spec.params, ...implicit }, `${study}: ${spec.kind}`);
      const owner = { attributes: def.attributes, positional: def.positional && [def.positional] };
      assert.equal(problems(owner, spec.params), [], `${study}: ${spec.kind}`);
    }
  }
  // resample's `keep` and balanced_by's `per_group` are left out by some study (else this proves little).
  assert.ok(implicitSeen > 0, 'no planned spec relied on an implicit default');
});

test('an implicit default can be written out; the checker validates it like any value', () => {
  const study = (perGroup: string) => `study s {
  data points = gaussian { dim 4 }
  distribution balanced = points | balanced_by [label] { per_group ${perGroup} }
}`;
  const stages = (perGroup: string) => {
    const { study: typed, diagnostics } = checkSource(study(perGroup), 's.study');
    return {
      params: typed?.distributions[0]!.transforms[0]!.spec.params,
      codes: diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
    };
  };
  assert.equal(stages('smallest'), { params: { attributes: ['label'], per_group: 'smallest' }, codes: [] });
  assert.equal(stages('30'), { params: { attributes: ['label'], per_group: 30 }, codes: [] });
  assert.equal(stages('largest').codes, ['S2002']);
  assert.equal(stages('0').codes, ['S3001']);
});

test("a recipe's unset fields come from the runtime's one recipe schema, whose defaults are DEFAULT_RECIPE", () => {
  assert.equal(
    Object.fromEntries(Object.entries(RECIPE_ATTRIBUTES).map(([field, spec]) => [field, spec.default])),
    DEFAULT_RECIPE,
  );
  const { study } = checkSource(
    `study s {
  data points = gaussian { dim 4 }
  model net = mlp { hidden [4] }
  recipe fit { optimizer sgd, lr 0.01 }
  baseline scratch { model net, train points, recipe fit { epochs 3 }, checkpoints 1..3 }
}`,
    's.study',
  );
  assert.equal(study!.recipes[0]!.spec, { ...DEFAULT_RECIPE, optimizer: 'sgd', lr: 0.01 });
  assert.equal(study!.groups[0]!.recipe, { ...DEFAULT_RECIPE, optimizer: 'sgd', lr: 0.01, epochs: 3 });
  assert.is(study!.seed, 0);
  assert.is(study!.groups[0]!.copies, 1);
});

test("a compare's interval reaches results through the plan, also without arms (no fallback level)", () => {
  const intervals = (setting: string) =>
    planSource(
      `study s {
  data points = gaussian { dim 4 }
  distribution far = points | rotate_subspace { degrees 60 }
  shift leave: out_of_support = points -> far
  model net = mlp { hidden [4] }
  recipe fit { epochs 3 }
  baseline scratch { model net, train points, recipe fit, checkpoints 1..3 }
  compare er { arms [], baseline scratch, shifts [leave]${setting} }
}`,
      's.study',
    )
      .plan!.jobs.filter((job) => job.kind === 'fit-baseline')
      .map((job) => (job.labels as { interval: number }).interval);
  assert.equal(intervals(', interval 90%'), [0.9]);
  assert.equal(intervals(''), [compareAttributes.interval!.default]);
});

test.run();
