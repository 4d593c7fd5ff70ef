// The user files a builtin reads, and where relative paths point. A builtin (data source, model kind) marks
// each parameter naming a path in its schema (`{ type: 'string', path: 'file' | 'folder' }`, see schema.ts);
// a builtin that reads more files than its parameters name (a model.json's weight shards, the images a
// metadata CSV lists) also defines `inputFiles(params)`. From that one declaration:
// - the checker reports a missing or unreadable file at the parameter's string (S6001);
// - the study builder digests every file (sha256, memoised in runtime/exec/file-digest.ts) into the hash of
//   each job that reads it, so editing an input re-runs exactly the jobs that read it and what depends on them;
// - the runtime resolves the same parameters before loading.
// Relative paths resolve against the study file's folder (`dir`), never the current directory; the spec keeps
// the path as written, so a study has the same hashes whichever directory it is run from.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Params } from './data/specs.ts';
import type { ParamTable, PathKind, PositionalSpec } from './schema.ts';

/** One file a builtin reads. */
export interface InputFile {
  /**
   * The parameter whose path led to this file: the file itself (`path`), or the file it was found through
   * (a model.json's shard counts under the model.json's parameter). `check` reports a missing file there.
   */
  param: string;
  /** Absolute path. */
  path: string;
}

/** What the mechanism needs of a builtin definition (SourceDef and ArchitectureDef are ones). */
export interface ReadsFiles {
  attributes: ParamTable;
  positional?: PositionalSpec | readonly PositionalSpec[];
  /**
   * Every user file the builtin reads, in a fixed order (it is hashed in this order), given its params with
   * every path parameter already resolved to an absolute path. Leave it out when the files are exactly the
   * `file` parameters given (the default). It must not throw for a missing or unreadable file: it lists what it
   * can (e.g. the model.json alone when it cannot be parsed), and the caller reports files that cannot be read.
   */
  inputFiles?(params: Params): InputFile[];
}

/** The parameters that name paths, in declaration order: positional ones first, then attributes. */
export function pathParams(owner: ReadsFiles): { name: string; kind: PathKind }[] {
  const positional = owner.positional === undefined ? [] : ([] as PositionalSpec[]).concat(owner.positional);
  const declared = [
    ...positional.map((spec) => [spec.name, spec.type] as const),
    ...Object.entries(owner.attributes).map(([name, spec]) => [name, spec.type] as const),
  ];
  return declared.flatMap(([name, type]) => (type.type === 'string' && type.path ? [{ name, kind: type.path }] : []));
}

/** `params` with each path parameter given resolved against `dir` (absolute paths stay as they are). */
export function resolvePaths(owner: ReadsFiles, params: Params, dir: string): Params {
  const resolved: Params = { ...params };
  for (const { name } of pathParams(owner)) {
    const value = params[name];
    if (typeof value === 'string') resolved[name] = resolve(dir, value);
  }
  return resolved;
}

/** The files a builtin with these params reads, relative paths resolved against `dir`. */
export function inputFilesOf(owner: ReadsFiles, params: Params, dir: string): InputFile[] {
  const resolved = resolvePaths(owner, params, dir);
  if (owner.inputFiles) return owner.inputFiles(resolved);
  return pathParams(owner)
    .filter(({ name, kind }) => kind === 'file' && typeof resolved[name] === 'string')
    .map(({ name }) => ({ param: name, path: resolved[name] as string }));
}

/** The folder a study file's relative input paths resolve against: the file's own. */
export function studyDir(studyFile: string): string {
  return resolve(dirname(studyFile));
}

/** How a file is named to the user and in plans: relative to the study's folder with '/', or absolute outside it. */
export function displayPath(path: string, dir: string): string {
  const rel = relative(dir, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
}
