// Weights on disk in the TF.js layers format (model.json + weights.bin), written and read with plain
// file I/O: tfjs-node's file:// handler is not available here. A saved model is also a valid
// `load "model.json"` input, and carries its shiftlab spec so `loadModel` restores it exactly.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ShiftlabModel } from './model.ts';
import type { ModelSpec } from './spec.ts';

interface ShiftlabMetadata {
  spec: ModelSpec;
  classes: number;
}

interface ModelJson {
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  userDefinedMetadata?: { shiftlab?: ShiftlabMetadata };
  [key: string]: unknown;
}

/** The network's topology and weights in memory. */
export async function toArtifacts(model: ShiftlabModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return saved!;
}

export async function fromArtifacts(
  artifacts: tf.io.ModelArtifacts,
  spec: ModelSpec,
  classes: number,
): Promise<ShiftlabModel> {
  const network = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  return new ShiftlabModel(spec, network, classes);
}

/** An independent copy (own variables): training the copy leaves the original untouched. */
export async function cloneModel(model: ShiftlabModel): Promise<ShiftlabModel> {
  return fromArtifacts(await toArtifacts(model), model.spec, model.classes);
}

/** Writes `dir/model.json` and `dir/weights.bin` (creating `dir`). */
export async function saveModel(model: ShiftlabModel, dir: string): Promise<void> {
  const artifacts = await toArtifacts(model);
  const metadata: ShiftlabMetadata = { spec: model.spec, classes: model.classes };
  const json: ModelJson = {
    format: 'layers-model',
    generatedBy: 'shiftlab',
    modelTopology: artifacts.modelTopology as object,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: { shiftlab: metadata },
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'weights.bin'), new Uint8Array(weightBuffer(artifacts.weightData)));
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
}

/** Reads a model written by `saveModel`. */
export async function loadModel(dir: string): Promise<ShiftlabModel> {
  const path = join(dir, 'model.json');
  const { artifacts, json } = await readArtifacts(path);
  const metadata = json.userDefinedMetadata?.shiftlab;
  if (!metadata)
    throw new Error(`${path} was not written by shiftlab (no shiftlab metadata); use load "model.json" instead`);
  return fromArtifacts(artifacts, metadata.spec, metadata.classes);
}

/** Reads a TF.js layers `model.json` and its weight shards (paths relative to the JSON file). */
export async function readArtifacts(path: string): Promise<{ artifacts: tf.io.ModelArtifacts; json: ModelJson }> {
  const file = resolve(path);
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new Error(`cannot read model ${path}: ${reason}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${path} is not a TF.js layers model (needs "modelTopology" and "weightsManifest")`);
  }
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const shard of group.paths) {
      try {
        shards.push(await readFile(join(dirname(file), shard)));
      } catch {
        throw new Error(`cannot read weight file ${shard} named by ${path}`);
      }
    }
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: concatenate(shards),
  };
  return { artifacts, json };
}

function weightBuffer(data: tf.io.ModelArtifacts['weightData']): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

function concatenate(parts: Uint8Array[]): ArrayBuffer {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.byteLength;
  }
  return whole.buffer;
}
