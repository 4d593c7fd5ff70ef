// TF.js graph models (a TF Hub module or SavedModel run through tensorflowjs_converter) as frozen feature
// extractors. Read from disk with plain fs (model.json + every weight shard it lists), since tfjs-node's
// file:// handler is not a dependency; features come from any node named by `output`, so an intermediate
// layer (a global pool before the classifier) can serve.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { inBatches, type FrozenBackbone } from './backbone.ts';
import { ModelFileError } from './errors.ts';
import { prepareBatch } from './preprocess.ts';
import { readGraphJson, signatureOf, type GraphJson } from './graph-json.ts';
import { chooseOutput, planInput, type FrozenOptions } from './signature.ts';

async function readArtifacts(file: string, json: GraphJson): Promise<tf.io.ModelArtifacts> {
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest!) {
    for (const shard of group.paths) {
      const path = join(dirname(file), shard);
      try {
        shards.push(await readFile(path));
      } catch (error) {
        throw new ModelFileError(
          file,
          `weight shard ${path} is missing or unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        );
      }
    }
  }
  const weightData = new Uint8Array(shards.reduce((sum, s) => sum + s.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.byteLength;
  }
  const weightSpecs = json.weightsManifest!.flatMap((group) => group.weights);
  const expected = weightSpecs.reduce(
    (sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (w.dtype === 'float32' || w.dtype === 'int32' ? 4 : 1),
    0,
  );
  if (!weightSpecs.some((w) => w.quantization) && expected !== weightData.byteLength) {
    throw new ModelFileError(
      file,
      `weight shards hold ${weightData.byteLength} bytes, the manifest describes ${expected}`,
    );
  }
  return {
    format: json.format,
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData: weightData.buffer,
    signature: json.signature,
    modelInitializer: json.modelInitializer as object | undefined,
  };
}

/** A graph model as a frozen backbone. Needs a registered tfjs backend (cpu, wasm or node). */
export async function loadGraphBackbone(path: string, options: FrozenOptions = {}): Promise<FrozenBackbone> {
  const file = resolve(path);
  const json = await readGraphJson(file);
  const signature = signatureOf(file, json);
  const plan = planInput(signature, options);
  const nodes = json.modelTopology!.node!.map((node) => node.name);
  const output = chooseOutput(signature, options.output, [...signature.outputs.map((o) => o.name), ...nodes]);
  const artifacts = await readArtifacts(file, json);
  let model;
  try {
    model = await loadGraphModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new ModelFileError(file, `cannot load the graph model (${(error as Error).message})`);
  }
  const batchSize = options.batchSize ?? 32;
  return {
    file,
    output,
    features: (images) =>
      inBatches(images, batchSize, async (start, count) => {
        const { data, dims: shape } = prepareBatch(images, start, count, plan, options);
        const input = tf.tensor(data, shape, 'float32');
        try {
          const result = (await model.executeAsync({ [plan.name]: input }, output)) as tf.Tensor;
          const flat = tf.reshape(result, [count, -1]);
          const values = (await flat.data()) as Float32Array;
          const dim = flat.shape[1]!;
          tf.dispose([result, flat]);
          return { data: values, dim };
        } catch (error) {
          throw new ModelFileError(
            file,
            `inference failed at '${output}' on input [${shape.join(', ')}]: ${(error as Error).message}`,
          );
        } finally {
          input.dispose();
        }
      }),
    dispose: async () => model.dispose(),
  };
}
