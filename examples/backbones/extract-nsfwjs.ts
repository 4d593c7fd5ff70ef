// Writes the MobileNetV2 that the npm package nsfwjs (MIT; a dev dependency here) ships as a normal TF.js
// layers model: `model.json` + `group1-shard1of1.bin`. The package bundles both as JS modules (the topology
// and manifest as an object, the weight shard as a base64 string), which no model loader reads from disk.
// The network is ImageNet-pretrained MobileNetV2 fine-tuned by nsfwjs for 5 classes, input [null, 224, 224, 3]
// with pixels in [0, 1], uint8-quantized weights; `flatten_1` is its pooled 1280-feature layer. Usage:
//   node --import tsx examples/backbones/extract-nsfwjs.ts OUT_DIR
// and then `model mobilenet = layers "OUT_DIR/model.json" { output "flatten_1", size [224, 224] }`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface BundledModel {
  modelJson(): Promise<{
    default: { modelTopology: object; weightsManifest: { paths: string[]; weights: object[] }[] };
  }>;
  weightBundles: (() => Promise<{ default: string }>)[];
}

const SHARD = 'group1-shard1of1.bin';

/** Writes `dir/model.json` and its one weight shard; returns the model.json's path. */
export async function extractNsfwjsMobileNet(dir: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const bundled = (require('nsfwjs/models/mobilenet_v2') as { MobileNetV2Model: BundledModel }).MobileNetV2Model;
  const { modelTopology, weightsManifest } = (await bundled.modelJson()).default;
  if (weightsManifest.length !== 1 || bundled.weightBundles.length !== 1)
    throw new Error(`nsfwjs's mobilenet_v2 has ${bundled.weightBundles.length} weight bundles; this script expects 1`);
  const weights = Buffer.from((await bundled.weightBundles[0]()).default, 'base64');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, SHARD), weights);
  const file = join(dir, 'model.json');
  const manifest = [{ paths: [SHARD], weights: weightsManifest[0].weights }];
  writeFileSync(file, JSON.stringify({ format: 'layers-model', modelTopology, weightsManifest: manifest }));
  return file;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: extract-nsfwjs.ts OUT_DIR\n');
    process.exit(2);
  }
  process.stdout.write(`wrote ${await extractNsfwjsMobileNet(dir)}\n`);
}
