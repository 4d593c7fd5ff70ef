// What an architecture is: one definition object (schema, input kind, docs, builder), read by the checker,
// the docs generator and the executor alike.
import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '../../random.ts';
import type { InputFile } from '../../input-files.ts';
import type { Params } from '../../data/specs.ts';
import type { ParamTable, PositionalSpec } from '../../schema.ts';
import { ShiftlabModel, newHead } from '../model.ts';
import type { ArchitectureSpec, ModelSpec } from '../spec.ts';

export type Symbolic = tfl.SymbolicTensor;
export type Initializer = ReturnType<typeof tfl.initializers.heNormal>;

export interface ArchitectureDef<S extends ModelSpec = ModelSpec> {
  doc: string;
  attributes: ParamTable;
  positional?: PositionalSpec;
  /** What inputs it needs: `image` models cannot read vectors. */
  input: 'image' | 'any';
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

/** Hands out one seeded initializer per layer, in build order. */
export class Seeds {
  private count = 0;
  constructor(private readonly seed: number) {}
  next(): number {
    return deriveSeed(this.seed, 'layer', this.count++);
  }
  he() {
    return tfl.initializers.heNormal({ seed: this.next() });
  }
  glorot() {
    return tfl.initializers.glorotUniform({ seed: this.next() });
  }
}

/** An architecture built layer by layer in TF.js: its feature extractor, then a linear head. */
export interface LayeredDef<S extends ArchitectureSpec> extends ArchitectureDef<S> {
  build(spec: S, inputShape: number[], classes: number, seed: number): ShiftlabModel;
}

export function layered<S extends ArchitectureSpec>(
  def: Omit<ArchitectureDef<S>, 'create'> & { features(spec: S, input: Symbolic, seeds: Seeds): Symbolic },
): LayeredDef<S> {
  const build = (spec: S, inputShape: number[], classes: number, seed: number): ShiftlabModel => {
    if (def.input === 'image' && inputShape.length !== 3) {
      throw new Error(
        `${spec.kind} needs image inputs [height, width, channels], got shape [${inputShape.join(', ')}]`,
      );
    }
    const seeds = new Seeds(seed);
    const input = tfl.input({ shape: inputShape });
    const features = def.features(spec, input, seeds);
    const logits = newHead(classes, seeds.next()).apply(features) as Symbolic;
    return new ShiftlabModel(spec, tfl.model({ inputs: input, outputs: logits }), classes);
  };
  return {
    doc: def.doc,
    attributes: def.attributes,
    positional: def.positional,
    input: def.input,
    build,
    create: async (...args) => build(...args),
  };
}

export function conv(filters: number, strides: number, activation: 'relu' | 'linear', kernelInitializer: Initializer) {
  return tfl.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', activation, kernelInitializer });
}
