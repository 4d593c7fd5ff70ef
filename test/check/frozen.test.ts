// The checker on image folders and frozen backbones: every attribute of `images` validated, recorded attributes
// usable as groups, and each frozen-backbone rule (S2013–S2015, S2020, S4013, S4020, S6005–S6008) at its span,
// with model files (ONNX, graph and layers) inspected without running them.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';
import { extractNsfwjsMobileNet } from '../../examples/backbones/extract-nsfwjs.ts';
import { writeModel } from '../models/graph-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'shiftlab-check-frozen-'));
mkdirSync(join(dir, 'img'));
// Existence is all `check` reads of the images (decoding is the load job's), so empty files do.
for (const name of ['a.png', 'b.png']) writeFileSync(join(dir, 'img', name), '');
writeFileSync(join(dir, 'meta.csv'), 'path,y,split,place\nimg/a.png,0,train,0\nimg/b.png,1,test,1\n');
copyFileSync(join(import.meta.dirname, '..', 'fixtures', 'onnx', 'convnet.onnx'), join(dir, 'convnet.onnx'));
copyFileSync(join(import.meta.dirname, '..', 'fixtures', 'onnx', 'flat.onnx'), join(dir, 'flat.onnx'));
writeFileSync(join(dir, 'junk.onnx'), 'not a model');
const graph = writeModel();

const images = (block: string) => `data birds = images "meta.csv" {\n${block}\n}`;
const GOOD = 'file "path"\nlabel "y"\nsplit "split"\nattributes [place]\nsize [16, 16]';

function studyOf(body: string): string {
  return `study t {
  ${body}
  distribution reference = birds
  distribution flipped = birds | hflip
  shift flip: out_of_support = reference -> flipped
  model net = mlp { hidden [4] }
  recipe fit { epochs 3 }
  baseline scratch { model net, train reference, recipe fit, checkpoints 1..3 }
  compare er { arms [probe], baseline scratch, shifts [flip], groups [label, place] }
}
`;
}
const withProbe = (model: string, arm = 'arm probe { init clip, train reference, recipe fit }') =>
  studyOf(`${images(GOOD)}\n  ${model}\n  ${arm}`);
const CLIP = 'model clip = onnx "convnet.onnx" { output "features", size [16, 16] }';

function diagnostics(source: string) {
  const { diagnostics: all } = checkSource(source, join(dir, 't.study'));
  return all
    .filter((d) => d.severity === 'error')
    .map((d) => ({
      code: d.code,
      line: d.span.line,
      text: source.split('\n')[d.span.line - 1]!.slice(d.span.column - 1, d.span.endColumn - 1),
      message: d.message,
    }));
}
const codes = (source: string) => diagnostics(source).map((d) => d.code);

test('a clean study: an image folder with a recorded attribute as a group, probed by an ONNX backbone', () => {
  assert.equal(diagnostics(withProbe(CLIP)), []);
});

test('every images attribute is checked', () => {
  const bad = (block: string) => codes(withProbe(CLIP).replace(images(GOOD), images(block)));
  assert.equal(bad(GOOD.replace('size [16, 16]', 'size [16, 16]\nchannels 2')), ['S3001']);
  assert.equal(bad(GOOD.replace('size [16, 16]', 'size [16]')), ['S2002']);
  assert.equal(bad(GOOD.replace('label "y"', '')), ['S2003']);
  assert.equal(bad(GOOD.replace('split "split"', 'split 3')), ['S2002']);
  assert.equal(bad(`${GOOD}\ncolour 1`), ['S2001']);
  // Without `attributes [place]` the compare's group is not carried.
  assert.equal(bad(GOOD.replace('attributes [place]', '')), ['S4005']);
});

test('S2013: strategy ft or lp_ft on a frozen backbone, at the strategy', () => {
  for (const strategy of ['ft', 'lp_ft']) {
    const found = diagnostics(
      withProbe(CLIP, `arm probe { init clip, strategy ${strategy}, train reference, recipe fit }`),
    );
    assert.equal(
      found.map((d) => [d.code, d.text]),
      [['S2013', `strategy ${strategy}`]],
    );
  }
});

test('S2013 also from a probe arm over a frozen backbone; without a strategy such an arm continues the probe (lp)', () => {
  const probeOf = (arm: string) =>
    withProbe(CLIP, `arm probe { init clip, train reference, recipe fit }\n  ${arm}`).replace(
      'arms [probe]',
      'arms [probe, again]',
    );
  for (const strategy of ['ft', 'lp_ft']) {
    const found = diagnostics(probeOf(`arm again { init probe, strategy ${strategy}, train reference, recipe fit }`));
    assert.equal(
      found.map((d) => [d.code, d.text]),
      [['S2013', `strategy ${strategy}`]],
    );
    assert.match(found[0]!.message, "'clip' is a frozen backbone");
  }
  const { study } = checkSource(probeOf('arm again { init probe, train reference, recipe fit }'), join(dir, 't.study'));
  assert.is(study!.groups.find((g) => g.name === 'again')!.strategy, 'lp');
});

test('S2020: head keep from a frozen backbone (it has no head), at the value; head new is fine', () => {
  const found = diagnostics(withProbe(CLIP, 'arm probe { init clip, head keep, train reference, recipe fit }'));
  assert.equal(
    found.map((d) => [d.code, d.text]),
    [['S2020', 'keep']],
  );
  assert.equal(diagnostics(withProbe(CLIP, 'arm probe { init clip, head new, train reference, recipe fit }')), []);
});

test('S4020: a probe over cached features trained on data augmented per batch, at its train', () => {
  const augmented = (arm: string) =>
    withProbe(CLIP, arm).replace(
      'distribution flipped',
      'distribution jittered = birds | augment { hflip 0.5 }\n  distribution flipped',
    );
  const found = diagnostics(augmented('arm probe { init clip, train jittered, recipe fit }'));
  assert.equal(
    found.map((d) => [d.code, d.text]),
    [['S4020', 'train jittered']],
  );
  assert.match(found[0]!.message, "'jittered' augments per batch");
  // A deterministic transform is computed before the features: fine. So is augment when training from scratch.
  assert.equal(diagnostics(augmented('arm probe { init clip, train flipped, recipe fit }')), []);
  assert.equal(diagnostics(augmented('arm probe { model net, train jittered, recipe fit }')), []);
});

test('S2014: a frozen backbone as a trained model; S2015: init naming an architecture', () => {
  const trained = diagnostics(withProbe(CLIP, 'arm probe { model clip, train reference, recipe fit }'));
  assert.equal(
    trained.map((d) => [d.code, d.text]),
    [['S2014', 'clip']],
  );
  const architecture = diagnostics(withProbe(CLIP, 'arm probe { init net, train reference, recipe fit }'));
  assert.equal(
    architecture.map((d) => [d.code, d.text]),
    [['S2015', 'net']],
  );
});

test('S6005–S6008: model files inspected at check time, reported at the path string naming the file', () => {
  const one = (model: string) => {
    const found = diagnostics(withProbe(model));
    assert.is(found.length, 1, JSON.stringify(found));
    return found[0]!;
  };
  const junk = one('model clip = onnx "junk.onnx"');
  assert.equal([junk.code, junk.text], ['S6005', '"junk.onnx"']);
  assert.match(junk.message, join(dir, 'junk.onnx'));
  const rank = one('model clip = onnx "flat.onnx"');
  assert.is(rank.code, 'S6006');
  assert.match(rank.message, 'rank 2');
  const size = one('model clip = onnx "convnet.onnx" { output "features", size [32, 32] }');
  assert.is(size.code, 'S6006');
  assert.match(size.message, '16×16');
  const output = one('model clip = onnx "convnet.onnx" { output "feats" }');
  assert.is(output.code, 'S6007');
  assert.match(output.message, 'outputs: features, logits');
  const shardless = writeModel();
  rmSync(join(shardless.dir, 'group1-shard2of2.bin'));
  const shard = diagnostics(withProbe(`model clip = graph "${shardless.file}" { output "pool/Mean", size [6, 6] }`));
  // The missing shard is an input file (S6001), reported with any other error at the model's string; the
  // model inspection, which would also call it S6008, runs only on a study with no errors.
  assert.equal(
    shard.map((d) => [d.code, d.text, d.message]),
    [['S6001', `"${shardless.file}"`, `input file not found: ${join(shardless.dir, 'group1-shard2of2.bin')}`]],
  );
  const fine = diagnostics(withProbe(`model clip = graph "${graph.file}" { output "pool/Mean", size [6, 6] }`));
  assert.equal(fine, []);
});

test('a layers backbone (the nsfwjs MobileNetV2) is inspected from its model.json: S6005–S6007', async () => {
  await extractNsfwjsMobileNet(join(dir, 'mobilenet'));
  const layers = (attributes: string) => `model clip = layers "mobilenet/model.json" ${attributes}`;
  assert.equal(diagnostics(withProbe(layers('{ output "flatten_1", size [224, 224] }'))), []);
  // Without `output`: the input of its last dense layer.
  assert.equal(diagnostics(withProbe(layers(''))), []);
  const one = (model: string) => {
    const found = diagnostics(withProbe(model));
    assert.is(found.length, 1, JSON.stringify(found));
    return found[0]!;
  };
  const output = one(layers('{ output "flat" }'));
  assert.equal([output.code, output.text], ['S6007', '"mobilenet/model.json"']);
  assert.match(output.message, "no layer 'flat' (its last layers: ");
  assert.match(output.message, 'dense_3');
  const size = one(layers('{ size [32, 32] }'));
  assert.is(size.code, 'S6006');
  assert.match(size.message, '224×224');
  const graphJson = one(`model clip = layers "${graph.file}"`);
  assert.is(graphJson.code, 'S6005');
  assert.match(graphJson.message, 'not a TF.js layers model');
});

test('a missing model file is S6001 alone (the input-files rule), not also S6005', () => {
  assert.equal(codes(withProbe('model clip = onnx "absent.onnx"')), ['S6001']);
});

test('S4013: a frozen backbone over vector data', () => {
  const source = studyOf(`data birds = gaussian { dim 4 }
  ${CLIP}
  arm probe { init clip, train reference, recipe fit }`).replace(', groups [label, place]', '');
  assert.ok(codes(source).includes('S4013'), codes(source).join(' '));
});

test.run();
