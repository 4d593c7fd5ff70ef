export * from './registry.ts';
export * from './diagnostic.ts';
export * from './render.ts';
