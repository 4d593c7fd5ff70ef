// What an architecture is: one definition object (schema, input kind, docs, builder), read by the checker,
// the docs generator and the executor alike. Nothing here loads TF.js: its builders are imported when a model
// is made.
import type * as tfl from '@tensorflow/tfjs-layers';
import type { InputFile } from '../../input-files.ts';
import type { Params } from '../../data/specs.ts';
import type { ParamTable, PositionalSpec } from '../../schema.ts';
import type { ShiftlabModel } from '../model.ts';
import type { ArchitectureSpec, ModelSpec } from '../spec.ts';

export type Symbolic = tfl.SymbolicTensor;
export type Initializer = ReturnType<typeof tfl.initializers.heNormal>;

export interface ArchitectureDef<S extends ModelSpec = ModelSpec> {
  doc: string;
  attributes: ParamTable;
  positional?: PositionalSpec;
  /** What inputs it needs: `image` models cannot read vectors. */
  input: 'image' | 'any';
  /** Its spec (plain data, hashed) from its params, checked against `attributes` and defaulted from them. */
  toSpec(params: Params): S;
  /**
   * The user files it reads, when more than its `path: 'file'` parameters (see runtime/input-files.ts), from
   * the spec's fields with their paths resolved: each is digested into the hash of every job that builds it.
   */
  inputFiles?(params: Params): InputFile[];
  /**
   * A model for inputs of `inputShape` with a fresh head of `classes` outputs, weights seeded by `seed`; a spec
   * that names files has its paths resolved already.
   */
  create(spec: S, inputShape: number[], classes: number, seed: number): Promise<ShiftlabModel>;
}

/** Seeded initializers, one per layer in build order (the builder's, layered-build.ts). */
export interface Seeds {
  next(): number;
  he(): Initializer;
  glorot(): Initializer;
}

/**
 * What `features` builds with, handed in by the builder (layered-build.ts, which loads TF.js): the definition
 * itself imports TF.js only as types, so the checker and the docs read its schema without loading TF.js.
 */
export interface LayerKit {
  tfl: typeof tfl;
  seeds: Seeds;
}

/** An architecture built layer by layer in TF.js: its feature extractor, then a linear head (see layered.ts). */
export interface LayeredDef<S extends ArchitectureSpec> extends ArchitectureDef<S> {
  features(spec: S, input: Symbolic, kit: LayerKit): Symbolic;
}

export function conv(
  { tfl }: LayerKit,
  filters: number,
  strides: number,
  activation: 'relu' | 'linear',
  kernelInitializer: Initializer,
) {
  return tfl.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', activation, kernelInitializer });
}

// Reading checked params into a spec: the checker validated their types, these narrow them for TypeScript.

/** A number parameter. */
export function numberParam(params: Params, name: string): number {
  const value = params[name];
  if (typeof value !== 'number') throw new Error(`${name} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

/** A list-of-numbers parameter; one number (`blocks 2`) reads as a one-item list. */
export function numbersParam(params: Params, name: string): number[] {
  const value = params[name];
  if (typeof value === 'number') return [value];
  if (Array.isArray(value) && value.every((item): item is number => typeof item === 'number')) return value;
  throw new Error(`${name} must be a number or a list of numbers, got ${JSON.stringify(value)}`);
}

/** A string parameter. */
export function stringParam(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') throw new Error(`${name} must be a string, got ${JSON.stringify(value)}`);
  return value;
}
