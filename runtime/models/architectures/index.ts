// The architecture registry: one line per architecture (each defined in its own file), and the spec entry point.
import type { Params } from '../../data/specs.ts';
import { withDefaults } from '../../schema.ts';
import type { ModelSpec } from '../spec.ts';
import type { ArchitectureDef } from './architecture.ts';
import { convnet } from './convnet.ts';
import { load } from './load.ts';
import { mlp } from './mlp.ts';
import { resnet } from './resnet.ts';

export type { ArchitectureDef } from './architecture.ts';

export const LAYERED = { mlp, convnet, resnet } as const;

export const ARCHITECTURES: Readonly<{ [K in ModelSpec['kind']]: ArchitectureDef<Extract<ModelSpec, { kind: K }>> }> = {
  ...LAYERED,
  load,
};

/**
 * The model spec of `architecture { params }` (what a plan hashes), built by the architecture's own toSpec
 * from params the checker validated, with its schema's defaults.
 */
export function toModelSpec(architecture: string, params: Params): ModelSpec {
  const def = (ARCHITECTURES as Readonly<Record<string, ArchitectureDef | undefined>>)[architecture];
  if (!def)
    throw new Error(`unknown model architecture ${architecture} (known: ${Object.keys(ARCHITECTURES).join(', ')})`);
  return def.toSpec(withDefaults(def, params));
}
