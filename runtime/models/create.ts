import type { Params } from '../data/specs.ts';
import { inputFilesOf, resolvePaths, type InputFile } from '../input-files.ts';
import { ARCHITECTURES, type ArchitectureDef } from './architectures/index.ts';
import type { ShiftlabModel } from './model.ts';
import type { ModelSpec } from './spec.ts';

const definition = (spec: ModelSpec) => ARCHITECTURES[spec.kind] as ArchitectureDef;

/** A model spec's fields but `kind`, as the params its definition's path declarations describe. */
const paramsOf = ({ kind: _kind, ...params }: ModelSpec): Params => params as unknown as Params;

/** Any model spec, including `load "model.json"` (which reads files, hence async; paths as resolveModelPaths). */
export async function createModel(
  spec: ModelSpec,
  inputShape: number[],
  classes: number,
  seed: number,
): Promise<ShiftlabModel> {
  return definition(spec).create(spec, inputShape, classes, seed);
}

/** The spec with its relative paths resolved against `dir`, the study file's folder (as a job handler does). */
export function resolveModelPaths<S extends ModelSpec>(spec: S, dir: string): S {
  return { ...spec, ...resolvePaths(definition(spec), paramsOf(spec), dir) };
}

/** The user files a model spec reads (none for an architecture built from scratch). */
export function modelInputFiles(spec: ModelSpec, dir: string): InputFile[] {
  return inputFilesOf(definition(spec), paramsOf(spec), dir);
}
