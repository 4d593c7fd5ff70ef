// TF.js graph models (a TF Hub module or SavedModel run through tensorflowjs_converter) as frozen feature
// extractors. Read from disk with plain fs (model.json + every weight shard it lists), since tfjs-node's
// file:// handler is not a dependency; features come from any node named by `output`, so an intermediate
// layer (a global pool before the classifier) can serve.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { inBatches, type FrozenBackbone } from './backbone.ts';
import { ModelFileError } from './errors.ts';
import { prepareBatch } from './preprocess.ts';
import {
  chooseOutput,
  planInput,
  toDim,
  type FrozenOptions,
  type ModelSignature,
  type TensorInfo,
} from './signature.ts';

interface GraphNode {
  name: string;
  op: string;
  attr?: { shape?: { shape?: { dim?: { size?: string }[]; unknownRank?: boolean } } };
}

interface GraphJson {
  format?: string;
  modelTopology?: { node?: GraphNode[] };
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  signature?: { inputs?: Record<string, SignatureEntry>; outputs?: Record<string, SignatureEntry> };
  [key: string]: unknown;
}

interface SignatureEntry {
  name: string;
  tensorShape?: { dim?: { size?: string }[] };
}

async function readJson(file: string): Promise<GraphJson> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
  return parseGraphJson(file, text);
}

function readJsonSync(file: string): GraphJson {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
  return parseGraphJson(file, text);
}

const unreadable = (file: string, error: unknown) =>
  new ModelFileError(file, `cannot read model.json (${(error as NodeJS.ErrnoException).code ?? String(error)})`);

function parseGraphJson(file: string, text: string): GraphJson {
  let json: GraphJson;
  try {
    json = JSON.parse(text) as GraphJson;
  } catch (error) {
    throw new ModelFileError(file, `not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(json.modelTopology?.node) || !Array.isArray(json.weightsManifest)) {
    throw new ModelFileError(file, 'not a TF.js graph model (needs "modelTopology.node" and "weightsManifest")');
  }
  return json;
}

/** model.json and every weight shard it lists, absolute: the files whose content identifies the model. */
export async function graphModelFiles(path: string): Promise<string[]> {
  const file = resolve(path);
  return [file, ...shardsOf(file, await readJson(file))];
}

const shardsOf = (file: string, json: GraphJson) =>
  json.weightsManifest!.flatMap((group) => group.paths.map((shard) => join(dirname(file), shard)));

const dims = (list: { size?: string }[] | undefined) => list?.map((d) => toDim(Number(d.size ?? -1)));

function signatureOf(file: string, json: GraphJson): ModelSignature {
  const nodes = json.modelTopology!.node!;
  const fromSignature = (entries: Record<string, SignatureEntry> | undefined): TensorInfo[] | undefined =>
    entries &&
    Object.values(entries).map((e) => ({ name: e.name.replace(/:0$/, ''), shape: dims(e.tensorShape?.dim) }));
  const placeholders = nodes
    .filter((node) => node.op === 'Placeholder')
    .map((node) => ({
      name: node.name,
      shape: node.attr?.shape?.shape?.unknownRank ? undefined : dims(node.attr?.shape?.shape?.dim ?? []),
    }));
  // Without a signature, the graph's sinks (nodes no other node reads) are its outputs.
  const read = new Set(
    nodes.flatMap((node) =>
      ((node as { input?: string[] }).input ?? []).map((i) => i.replace(/^\^/, '').replace(/:\d+$/, '')),
    ),
  );
  const sinks = nodes
    .filter((node) => !read.has(node.name) && node.op !== 'Const' && node.op !== 'NoOp')
    .map((node) => ({ name: node.name, shape: undefined }));
  return {
    file,
    inputs: fromSignature(json.signature?.inputs) ?? placeholders,
    outputs: fromSignature(json.signature?.outputs) ?? sinks,
  };
}

/**
 * Inputs and outputs from model.json alone, plus a check that every weight shard exists: no weights are read.
 * Synchronous, so `check` can call it.
 */
export function inspectGraphModel(path: string): ModelSignature & { nodes: string[]; files: string[] } {
  const file = resolve(path);
  const json = readJsonSync(file);
  const shards = shardsOf(file, json);
  for (const shard of shards) {
    if (!existsSync(shard)) throw new ModelFileError(file, `weight shard ${shard} is missing`, 'shard');
  }
  return {
    ...signatureOf(file, json),
    nodes: json.modelTopology!.node!.map((node) => node.name),
    files: [file, ...shards],
  };
}

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
  const json = await readJson(file);
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
