import { accessSync, constants, statSync } from 'node:fs';
import type { Span } from '../../../grammar/ast.ts';
import { SOURCES } from '../../../runtime/data/sources/index.ts';
import type { Params } from '../../../runtime/data/specs.ts';
import {
  displayPath,
  inputFilesOf,
  pathParams,
  studyDir,
  type InputFile,
  type ReadsFiles,
} from '../../../runtime/input-files.ts';
import { ARCHITECTURES } from '../../../runtime/models/architectures/index.ts';
import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { backbones } from '../builtins.ts';
import type { Application, StudyIndex } from '../sites.ts';
import type { Rule, RuleContext } from './context.ts';

/**
 * S6001 / S6002: a user file a data source or model reads (runtime/input-files.ts) is missing or cannot be
 * read. Reported at the path string that names it (a weight shard at its model.json's), with the resolved
 * path, so the study fails at `check` rather than as a job minutes into a run. It reads the parameters as
 * written, so it runs beside every other rule: a missing file is reported with the study's other errors.
 */
function inputFiles({ bound, index, report }: RuleContext): void {
  const dir = studyDir(bound.document.file);
  const reported = new Set<string>();
  for (const application of index.applications) {
    const def = readerOf(application);
    if (!def || pathParams(def).length === 0) continue;
    const spans = paramSpans(application);
    const files = inputFilesOf(def, writtenParams(application, index), dir);
    const named = new Map<string, string>();
    for (const file of files) if (!named.has(file.param)) named.set(file.param, file.path);
    for (const file of files) {
      const span = spans.get(file.param) ?? application.anchor;
      const key = `${span.file}:${span.start}:${file.path}`;
      const problem = fileProblem(file);
      if (!problem || reported.has(key)) continue;
      reported.add(key);
      const through = named.get(file.param) !== file.path ? named.get(file.param) : undefined;
      const hint = through
        ? `${displayPath(through, dir)} names it`
        : `relative paths resolve against the study file's folder, ${dir}`;
      report(
        problem === 'missing'
          ? createDiagnostic(Diagnostics.inputFileMissing, span, [file.path], { hint })
          : createDiagnostic(Diagnostics.inputFileUnreadable, span, [file.path, problem], { hint }),
      );
    }
  }
}

/** The definition of a data source or model kind the application names, when it is one. */
function readerOf(application: Application): ReadsFiles | undefined {
  const { kind, name } = application.owner;
  if (name === undefined) return undefined;
  if (kind === 'data source') return (SOURCES as Record<string, ReadsFiles>)[name];
  if (kind === 'architecture') return (ARCHITECTURES as Record<string, ReadsFiles>)[name] ?? backbones[name];
  return undefined;
}

/** The parameters as written: string positionals, and attributes read as strings, numbers or lists of them. */
function writtenParams(application: Application, index: StudyIndex): Params {
  const params: Params = {};
  application.positional.forEach((position, i) => {
    const arg = application.args[i];
    if (arg?.kind === 'String') params[position.name] = arg.value;
  });
  for (const attribute of application.attributes) {
    const value = index.readings.get(attribute)?.value;
    const plain = (item: unknown) => typeof item === 'string' || typeof item === 'number';
    if (plain(value) || (Array.isArray(value) && value.every(plain)))
      params[attribute.name.name] = value as Params[string];
  }
  return params;
}

/** 'missing', another reason the file cannot be read, or null when it can be. */
function fileProblem(file: InputFile): string | null {
  try {
    if (!statSync(file.path).isFile()) return 'it is not a regular file';
    accessSync(file.path, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    return code === 'EACCES' ? 'permission denied' : (code ?? String(error));
  }
}

/** Where each parameter's value is written: a positional argument, or an attribute's first value. */
function paramSpans(application: Application): Map<string, Span> {
  const spans = new Map<string, Span>();
  application.positional.forEach((position, i) => {
    const arg = application.args[i];
    if (arg) spans.set(position.name, arg.span);
  });
  for (const attribute of application.attributes)
    spans.set(attribute.name.name, attribute.values[0]?.span ?? attribute.span);
  return spans;
}

export const inputFilesRule: Rule = {
  name: 'input-files',
  reports: [Diagnostics.inputFileMissing, Diagnostics.inputFileUnreadable],
  run: inputFiles,
};
