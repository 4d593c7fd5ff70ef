// `load "model.json"`: a user's TF.js layers model (see ../user.ts, loaded with TF.js when the model is made).
// It reads the model.json and every weight shard its manifest names, so all of them count as its input files.
import type { LoadSpec } from '../spec.ts';
import { modelJsonInputFiles } from '../model-json.ts';
import { stringParam, type ArchitectureDef } from './architecture.ts';

export const load: ArchitectureDef<LoadSpec> = {
  doc: 'a TF.js layers model (model.json); its input shape is checked at run time',
  attributes: {},
  positional: { name: 'path', type: { type: 'string', path: 'file' }, required: true, doc: 'the model.json file' },
  input: 'any',
  toSpec: (params) => ({ kind: 'load', path: stringParam(params, 'path') }),
  inputFiles: modelJsonInputFiles,
  create: async (...args) => (await import('../user.ts')).loadUserModel(...args),
};
