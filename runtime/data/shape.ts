// The shape of one example as the checker and the definitions reason about it before any data is loaded.
export type InputShape =
  | { kind: 'image'; height: number; width: number; channels: number }
  | { kind: 'vector'; dim: number }
  | { kind: 'unknown' };
