// The architecture registry: one line per architecture (each defined in its own file).
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
