// `layered({ …, features })`: a layered architecture's definition, whose `create` loads the builder (and TF.js
// with it) only when a model is made.
import type { ArchitectureSpec } from '../spec.ts';
import type { LayeredDef } from './architecture.ts';

export function layered<S extends ArchitectureSpec>(def: Omit<LayeredDef<S>, 'create'>): LayeredDef<S> {
  return {
    ...def,
    create: async (...args) => (await import('./layered-build.ts')).buildLayered(def, ...args),
  };
}
