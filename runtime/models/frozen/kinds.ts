// The frozen backbone kinds a `model` declaration can name: `onnx "x.onnx" { .. }`,
// `graph "m/model.json" { .. }` and `layers "m/model.json" { .. }`. One definition object each (schema, docs,
// cheap inspection, loader), read by the checker, the docs generator and the `features` job alike. Inspection
// reads model files with plain fs; the TF.js loaders are imported when a backbone is loaded. A frozen
// backbone is never trained: studies use it for linear probes, deep feature reweighting and support-split
// classifiers over its features.
import { inputFilesOf, resolvePaths, type InputFile } from '../../input-files.ts';
import type { Params } from '../../data/specs.ts';
import { text, type ParamTable, type PositionalSpec } from '../../schema.ts';
import { modelJsonInputFiles } from '../model-json.ts';
import type { FrozenBackbone } from './backbone.ts';
import { inspectGraphModel } from './graph-json.ts';
import { inspectLayersModel } from './layers-json.ts';
import { loadOnnxBackbone } from './onnx.ts';
import { readOnnxSignature } from './onnx-header.ts';
import { chooseOutput, planInput, type FrozenOptions } from './signature.ts';

export type BackboneKind = 'onnx' | 'graph' | 'layers';

/** A frozen backbone as plain data (it goes into the `features` job's hash). */
export interface BackboneSpec {
  kind: BackboneKind;
  path: string;
  output?: string;
  size?: number[];
  mean?: number[];
  std?: number[];
}

export interface BackboneDef {
  doc: string;
  attributes: ParamTable;
  positional: PositionalSpec;
  /** Frozen backbones read images. */
  input: 'image';
  frozen: true;
  /**
   * Validates the model file against the spec without running it (a missing file, not a model, the input's
   * rank and size, the output's name, a missing weight shard): throws a ModelFileError naming the file.
   * Synchronous and cheap, so `check` calls it. Returns the files whose content identifies the model.
   */
  inspect(spec: BackboneSpec): string[];
  /** The files it reads beyond its path (a graph model's weight shards); see runtime/input-files.ts. */
  inputFiles?(params: Params): InputFile[];
  /** Paths in `spec` are absolute (resolved against the study's folder). */
  load(spec: BackboneSpec): Promise<FrozenBackbone>;
}

const options = (spec: BackboneSpec): FrozenOptions => ({
  output: spec.output,
  size: spec.size && [spec.size[0]!, spec.size[1]!],
  mean: spec.mean,
  std: spec.std,
});

const common: ParamTable = {
  output: text('the output (ONNX) or graph node (TF.js) whose values are the features (default: the only output)'),
  size: {
    type: { type: 'numberList', integer: true, min: 1, length: 2 },
    doc: "[height, width] images are resized to (default: the model's fixed input size)",
  },
};

const file = (doc: string): PositionalSpec => ({
  name: 'path',
  type: { type: 'string', path: 'file' },
  required: true,
  doc,
});

const normalised: ParamTable = {
  ...common,
  mean: { type: { type: 'numberList' }, doc: 'per-channel mean subtracted after scaling pixels to [0, 1]' },
  std: { type: { type: 'numberList', min: 0 }, doc: 'per-channel standard deviation divided by after the mean' },
};

export const onnx: BackboneDef = {
  doc: 'a frozen ONNX feature extractor (e.g. exported by torch.onnx.export), run by onnxruntime-node',
  attributes: normalised,
  positional: file('the .onnx file'),
  input: 'image',
  frozen: true,
  inspect(spec) {
    const signature = readOnnxSignature(spec.path);
    planInput(signature, options(spec));
    chooseOutput(signature, spec.output);
    return [signature.file];
  },
  load: (spec) => loadOnnxBackbone(spec.path, options(spec)),
};

export const graph: BackboneDef = {
  doc: 'a frozen TF.js graph model (model.json + weight shards, e.g. a converted TF Hub module)',
  attributes: common,
  positional: file('the model.json file'),
  input: 'image',
  frozen: true,
  inputFiles: modelJsonInputFiles,
  inspect(spec) {
    const signature = inspectGraphModel(spec.path);
    planInput(signature, options(spec));
    chooseOutput(signature, spec.output, [...signature.outputs.map((o) => o.name), ...signature.nodes]);
    return signature.files;
  },
  load: async (spec) => (await import('./graph.ts')).loadGraphBackbone(spec.path, options(spec)),
};

export const layers: BackboneDef = {
  doc: 'a frozen TF.js layers model (model.json + weight shards, e.g. a Keras MobileNet), cut at a layer; `load` fine-tunes one instead',
  attributes: {
    ...normalised,
    output: text("the layer whose output is the features (default: the input of the model's last dense layer)"),
  },
  positional: file('the model.json file'),
  input: 'image',
  frozen: true,
  inputFiles: modelJsonInputFiles,
  inspect: (spec) => inspectLayersModel(spec.path, options(spec)),
  load: async (spec) => (await import('./layers.ts')).loadLayersBackbone(spec.path, options(spec)),
};

export const BACKBONES: Readonly<Record<BackboneKind, BackboneDef>> = { onnx, graph, layers };

export const isBackboneKind = (kind: string): kind is BackboneKind => kind in BACKBONES;

/** The spec from a checked model declaration's params (its positional path and the attributes written). */
export function toBackboneSpec(kind: BackboneKind, params: Record<string, unknown>): BackboneSpec {
  if (typeof params.path !== 'string') throw new Error(`model ${kind}: path must be a string`);
  const spec: BackboneSpec = { kind, path: params.path };
  if (typeof params.output === 'string') spec.output = params.output;
  for (const key of ['size', 'mean', 'std'] as const) {
    const value = params[key];
    if (Array.isArray(value)) spec[key] = value as number[];
  }
  return spec;
}

const paramsOf = ({ kind: _kind, ...params }: BackboneSpec): Params => params as unknown as Params;

/** The spec with its path resolved against `dir`, the study file's folder. */
export function resolveBackbonePaths(spec: BackboneSpec, dir: string): BackboneSpec {
  return { ...spec, ...resolvePaths(BACKBONES[spec.kind], paramsOf(spec), dir) } as BackboneSpec;
}

/** The files a backbone reads: the .onnx file, or a model.json and its shards. */
export function backboneInputFiles(spec: BackboneSpec, dir: string): InputFile[] {
  return inputFilesOf(BACKBONES[spec.kind], paramsOf(spec), dir);
}
