// `load "model.json"`: a user's TF.js layers model (see ../user.ts).
import type { LoadSpec } from '../spec.ts';
import { loadUserModel } from '../user.ts';
import { stringParam, type ArchitectureDef } from './architecture.ts';

export const load: ArchitectureDef<LoadSpec> = {
  doc: 'a TF.js layers model (model.json); its input shape is checked at run time',
  attributes: {},
  positional: { name: 'path', type: { type: 'string' }, required: true, doc: 'the model.json file' },
  input: 'any',
  toSpec: (params) => ({ kind: 'load', path: stringParam(params, 'path') }),
  create: loadUserModel,
};
