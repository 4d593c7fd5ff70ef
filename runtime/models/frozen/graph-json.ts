// A TF.js graph model's model.json read with plain fs, without TF.js: its inputs, outputs, nodes and weight
// shards. `check` inspects a `graph` backbone through this; graph.ts loads and runs one.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { ModelFileError } from './errors.ts';
import { toDim, type ModelSignature, type TensorInfo } from './signature.ts';

interface GraphNode {
  name: string;
  op: string;
  attr?: { shape?: { shape?: { dim?: { size?: string }[]; unknownRank?: boolean } } };
}

export interface GraphJson {
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

export async function readGraphJson(file: string): Promise<GraphJson> {
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
  return [file, ...shardsOf(file, await readGraphJson(file))];
}

const shardsOf = (file: string, json: GraphJson) =>
  json.weightsManifest!.flatMap((group) => group.paths.map((shard) => join(dirname(file), shard)));

const dims = (list: { size?: string }[] | undefined) => list?.map((d) => toDim(Number(d.size ?? -1)));

export function signatureOf(file: string, json: GraphJson): ModelSignature {
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
