// `blur`, the transform added the documented way (docs/contributing.md): one file, one registry line. Tested
// from its kernel up to a checked, planned study that applies it to real MNIST digits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';
import { planSource } from '../../compiler/plan/index.ts';
import { applyTransform, loadSource, makeSplits, TRANSFORMS, type Dataset } from '../../runtime/data/index.ts';
import type { LoadJobSpec, TransformJobSpec } from '../../runtime/jobs/specs.ts';
import { images, pixel } from './tiny.ts';

const blur = (ds: Dataset, params = {}) => applyTransform(ds, { kind: 'blur', params }, 0, 'train');

test('blur: each pixel is the mean of its window, clipped at the border; channels stay apart; input untouched', () => {
  const ds = images(2, [3, 4, 2], (n, r, c, k) => n + r * 4 + c + 10 * k);
  const before = ds.x.slice();
  const out = blur(ds, { radius: 1 });
  assert.equal(ds.x, before);
  assert.equal(out.shape, [3, 4, 2]);
  for (let n = 0; n < 2; n++)
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 4; c++)
        for (let k = 0; k < 2; k++) {
          let sum = 0;
          let count = 0;
          for (let i = Math.max(0, r - 1); i <= Math.min(2, r + 1); i++)
            for (let j = Math.max(0, c - 1); j <= Math.min(3, c + 1); j++) {
              sum += pixel(ds, n, i, j, k);
              count++;
            }
          assert.ok(Math.abs(pixel(out, n, r, c, k) - sum / count) < 1e-5, `(${n}, ${r}, ${c}, ${k})`);
        }
});

test('blur: the default radius is the schema default; radius 0 is the identity; a constant image stays constant', () => {
  const ds = images(3, [5, 5, 1], (_n, r, c) => (r === 2 && c === 2 ? 1 : 0));
  const radius = TRANSFORMS.blur!.attributes.radius!.default as number;
  assert.equal(blur(ds).x, blur(ds, { radius }).x);
  assert.is(blur(ds, { radius: 0 }), ds);
  assert.ok(Math.abs(pixel(blur(ds, { radius: 2 }), 0, 2, 2) - 1 / 25) < 1e-6);
  const flat = images(1, [4, 4, 1], () => 0.3);
  for (const value of blur(flat, { radius: 3 }).x) assert.ok(Math.abs(value - 0.3) < 1e-6);
  assert.throws(() => blur({ ...ds, shape: [25], x: new Float32Array(75) }), /blur needs images/);
});

const STUDY = `study blurry {
  data digits = mnist { train 300, test 100 }
  distribution reference = digits
  distribution blurred = digits | blur { radius 2 }
  distribution also_blurred = digits | blur { radius 2 } | vflip { p 0 }
  shift soft: out_of_support = reference -> blurred
  shift same: in_support = blurred -> also_blurred
  model net = mlp { hidden [16] }
  recipe fit { epochs 3 }
  baseline scratch { model net, train reference, recipe fit, checkpoints 1..3 }
  arm tuned { init scratch, train reference, recipe fit }
  compare er { arms [tuned], baseline scratch, shifts [soft, same] }
}
`;

test('a study using blur checks clean, infers its support, plans, and its transform runs on real digits', async () => {
  const { diagnostics, study } = checkSource(STUDY, 'blurry.study');
  assert.equal(
    diagnostics.map((d) => d.message),
    [],
  );
  // A bad radius is the checker's to report, from blur's schema (the runtime does not check it again).
  const negative = checkSource(STUDY.replace('blur { radius 2 }', 'blur { radius -1 }'), 'blurry.study');
  assert.equal(
    negative.diagnostics.map((d) => `${d.code} ${d.message}`),
    ["S3001 'radius' must be >= 0, got -1"],
  );
  assert.equal(
    study!.shifts.map((s) => [s.name, s.inferredKind]),
    [
      ['soft', 'out_of_support'],
      ['same', 'in_support'],
    ],
  );
  assert.equal(study!.distributions.find((d) => d.name === 'blurred')!.transforms[0]!.spec, {
    kind: 'blur',
    params: { radius: 2 },
  });

  const plan = planSource(STUDY, 'blurry.study').plan!;
  const transformJob = plan.jobs.find(
    (job) =>
      job.kind === 'transform' && (job.spec as unknown as TransformJobSpec).transforms.some((t) => t.kind === 'blur'),
  )!;
  assert.ok(transformJob, 'a transform job applies blur');
  const load = plan.jobs.find((job) => job.id === transformJob.deps[0])!.spec as unknown as LoadJobSpec;
  const { transforms: chain, val } = transformJob.spec as unknown as TransformJobSpec;
  // The same steps the transform handler takes, on the planned specs.
  const splits = makeSplits(await loadSource(load.source, load.seed), { val }, 0);
  const blurred = chain.reduce((data, stage) => applyTransform(data, stage, 0, 'test'), splits.test);
  assert.equal(blurred.shape, [28, 28, 1]);
  assert.is(blurred.size, 100);
  // Blurring spreads ink: more pixels are lit and the brightest get dimmer, the total ink barely moves.
  const lit = (ds: Dataset) => ds.x.reduce((n, v) => n + (v > 0.05 ? 1 : 0), 0);
  const ink = (ds: Dataset) => ds.x.reduce((sum, v) => sum + v, 0);
  assert.ok(lit(blurred) > 1.3 * lit(splits.test), `${lit(blurred)} vs ${lit(splits.test)} lit pixels`);
  assert.ok(Math.max(...blurred.x) < Math.max(...splits.test.x));
  assert.ok(Math.abs(ink(blurred) - ink(splits.test)) / ink(splits.test) < 0.1);
});

test.run();
