// Image folders and frozen backbones end to end: a Waterbirds-like folder generated from real digits, the real
// PyTorch-exported ONNX fixture and a TF.js graph model as backbones, linear probes, DFR and a support split over
// their features, run in-process; then which jobs an edit of each input file re-runs (by their hashes).
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeWaterbirdsLike } from '../../examples/data/make_waterbirds_like.ts';
import { readDataset } from '../../runtime/data/serialise.ts';
import type { Plan } from '../../runtime/plan.ts';
import { runStudy } from '../../runtime/study/run.ts';
import { writeModel } from '../models/graph-fixture.ts';
import { jobIn, planClean } from '../helpers/planned.ts';

const dir = mkdtempSync(join(tmpdir(), 'shiftlab-frozen-'));
const onnxFixture = join(import.meta.dirname, '..', 'fixtures', 'onnx', 'convnet.onnx');
const graphModel = writeModel();
const study = join(dir, 'birds.study');
const source = `study birds {
  data birds = images "wb/metadata.csv" {
    file "img_filename"
    label "y"
    split "split"
    attributes [place]
    size [16, 16]
  }
  data digits = mnist { train 200, test 100 }
  distribution reference = birds
  distribution shifted = birds | hflip | rotate { degrees 10 } | noise { std 0.05 } | pad { pixels 2 }
  shift flip: out_of_support = reference -> shifted
  distribution tinted = birds | tint { strength 0.3, spurious 0.9 } | augment { hflip 0.5, tint 0.2 }
  distribution plain = digits
  distribution upside = digits | vflip
  shift digit_flip: out_of_support = plain -> upside
  model net = mlp { hidden [8] }
  model clip = onnx "convnet.onnx" { output "features", size [16, 16], mean [0.5, 0.5, 0.5], std [0.25, 0.25, 0.25] }
  model mobile = graph "${graphModel.file}" { output "pool/Mean", size [6, 6] }
  recipe fit { optimizer adam, lr 3e-3, batch 32, epochs 3 }
  recipe linear { optimizer adam, lr 3e-2, batch 32, epochs 2 }
  baseline scratch { model net, train reference, recipe fit, checkpoints 1..3 }
  baseline digit_line { model net, train plain, recipe fit, checkpoints 1..3 }
  arm probe { init clip, strategy lp, train reference, recipe linear }
  arm probe_balanced { init clip, train reference, recipe linear, balanced_by [label, place], copies 2 }
  arm debias { init clip, reweight last_layer on reference.val balanced_by [label, place] }
  arm again { init probe, train reference, recipe linear }
  arm graph_probe { init mobile, train reference, recipe linear }
  arm augmented { model net, train tinted, recipe linear }
  arm digit_arm { model net, train plain, recipe linear }
  split parts = support(flip) { classifier clip, folds 2, threshold 0.9, source reference.test }
  compare robustness {
    arms [probe, probe_balanced, debias, graph_probe, augmented, again]
    baseline scratch
    shifts [flip, parts.in_support]
    groups [label, place]
  }
  compare digit_robustness { arms [digit_arm], baseline digit_line, shifts [digit_flip] }
}
`;

let plan: Plan;
const jobs = (kind: string) => plan.jobs.filter((job) => job.kind === kind);
const job = (id: string) => jobIn(plan, id);
const replan = () => planClean(study);

test.before(async () => {
  await makeWaterbirdsLike(join(dir, 'wb'), { count: 200, side: 16 });
  copyFileSync(onnxFixture, join(dir, 'convnet.onnx'));
  writeFileSync(study, source);
  plan = replan();
});

test('one features job per (backbone, distribution split), shared by every probe, copy, DFR fit and classifier', () => {
  assert.equal(
    jobs('features')
      .map((j) => j.id)
      .sort(),
    [
      'features:clip on reference.test',
      'features:clip on reference.train',
      'features:clip on reference.val',
      'features:clip on shifted.test',
      'features:mobile on reference.test',
      'features:mobile on reference.train',
      'features:mobile on shifted.test',
    ],
  );
  const train = 'features:clip on reference.train';
  for (const id of ['train:probe#0', 'train:probe_balanced#0', 'train:probe_balanced#1'])
    assert.is(job(id).deps[0], train, id);
  assert.equal(job('reweight:debias#0').deps, ['features:clip on reference.val']);
  assert.equal(job('support-split:parts').deps, ['features:clip on reference.test', 'features:clip on shifted.test']);
  // A linear probe is a linear head trained on the features; an arm from it continues that head (lp) on them.
  assert.equal((job('train:probe#0').spec as { model: unknown }).model, { kind: 'mlp', hidden: [] });
  assert.equal(job('train:again#0').deps, [train, 'train:probe#0']);
  assert.equal((job('train:again#0').spec as { strategy: string; head: string }).strategy, 'lp');
});

test('the study runs: features keep labels and recorded attributes; probes, DFR and the split use them', async () => {
  const cache = join(dir, 'cache');
  const outcome = await runStudy(plan, { cacheDir: cache, outDir: join(dir, 'out'), workers: 0 });
  assert.ok(outcome.ok, outcome.failedJobs.map((failure) => failure.message).join('\n'));
  const features = await readDataset(join(cache, job('features:clip on reference.train').hash, 'train'));
  const images = await readDataset(join(cache, job('transform:reference').hash, 'train'));
  assert.equal(features.shape, [8]);
  assert.is(features.size, images.size);
  assert.equal(Array.from(features.y), Array.from(images.y));
  assert.equal(Array.from(features.attributes.place!), Array.from(images.attributes.place!));
  assert.equal(images.shape, [16, 16, 3]);
  const graph = await readDataset(join(cache, job('features:mobile on reference.train').hash, 'train'));
  assert.equal(graph.shape, [2]);
  const results = outcome.results!;
  // tint and augment on colour images: the tint is recorded, the augmentation is drawn per batch (scratch arm;
  // over cached features it is a checker error, S4020).
  const tinted = await readDataset(join(cache, job('transform:tinted').hash, 'train'));
  assert.equal(tinted.shape, [16, 16, 3]);
  assert.ok(tinted.attributes.tint && tinted.attributes.place && tinted.augmentation);
  for (const arm of ['probe', 'probe_balanced', 'debias', 'graph_probe', 'augmented', 'again']) {
    const er = results.comparisons.find((c) => c.name === 'robustness')!.arms[arm]?.flip;
    assert.ok(er && Number.isFinite(er.er), arm);
  }
});

/** Ids of the jobs whose hash differs between two plans. */
const changed = (before: Plan, after: Plan) =>
  before.jobs.filter((j) => after.jobs.find((k) => k.id === j.id)!.hash !== j.hash).map((j) => j.id);

/** Every job that reads `roots` or depends on one that does (by id, in plan order). */
function downstream(roots: string[]): string[] {
  const affected = new Set(roots);
  for (const j of plan.jobs) if (j.deps.some((dep) => affected.has(dep))) affected.add(j.id);
  return plan.jobs.filter((j) => affected.has(j.id)).map((j) => j.id);
}

test('editing an image re-runs exactly the jobs that read the folder', async () => {
  const before = plan;
  await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 9, g: 99, b: 199 } } })
    .png()
    .toFile(join(dir, 'wb', 'images', '000003.png'));
  plan = replan();
  const edited = changed(before, plan);
  assert.equal(edited, downstream(['load:birds']));
  assert.ok(!edited.some((id) => id.includes('digit')), 'the mnist side is untouched');
});

test('editing the metadata CSV re-runs exactly the jobs that read it', () => {
  const before = plan;
  const csv = join(dir, 'wb', 'metadata.csv');
  const lines = readFileSync(csv, 'utf8').split('\n');
  const [file, y, split, ...rest] = lines[1]!.split(',');
  lines[1] = [file, y === '0' ? '1' : '0', split, ...rest].join(',');
  writeFileSync(csv, lines.join('\n'));
  plan = replan();
  assert.equal(changed(before, plan), downstream(['load:birds']));
});

test('editing the onnx file re-runs exactly the jobs over its features', () => {
  const before = plan;
  // An unknown protobuf field (number 20, varint 1): still a valid model, other bytes.
  appendFileSync(join(dir, 'convnet.onnx'), Buffer.from([0xa0, 0x01, 0x01]));
  plan = replan();
  const clip = jobs('features')
    .filter((j) => j.id.startsWith('features:clip'))
    .map((j) => j.id);
  assert.equal(changed(before, plan), downstream(clip));
  assert.ok(!changed(before, plan).some((id) => id.startsWith('train:scratch') || id.includes('mobile')));
});

test('editing a graph weight shard re-runs exactly the jobs over that backbone', () => {
  const before = plan;
  const shard = join(graphModel.dir, 'group1-shard1of2.bin');
  const bytes = readFileSync(shard);
  bytes.writeFloatLE(0.5, 0);
  writeFileSync(shard, bytes);
  plan = replan();
  const mobile = jobs('features')
    .filter((j) => j.id.startsWith('features:mobile'))
    .map((j) => j.id);
  assert.equal(changed(before, plan), downstream(mobile));
});

test.run();
