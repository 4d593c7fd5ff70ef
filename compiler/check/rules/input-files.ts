import { accessSync, constants, statSync } from 'node:fs';
import type { Span } from '../../../grammar/ast.ts';
import { sourceInputFiles } from '../../../runtime/data/sources/index.ts';
import { displayPath, studyDir, type InputFile } from '../../../runtime/input-files.ts';
import { modelInputFiles } from '../../../runtime/models/create.ts';
import { backboneInputFiles, isBackboneKind, type BackboneSpec } from '../../../runtime/models/frozen/kinds.ts';
import type { ModelSpec } from '../../../runtime/models/spec.ts';
import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { Application } from '../sites.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/**
 * S6001 / S6002: a user file a data source or model reads (runtime/input-files.ts) is missing or cannot be
 * read. Reported at the path string that names it (a weight shard at its model.json's), with the resolved
 * path, so the study fails at `check` rather than as a job minutes into a run.
 */
function inputFiles({ study, index, report }: StudyRuleContext): void {
  const dir = studyDir(study.file);
  const uses = [
    ...study.data.map((data) => ({
      span: data.span,
      family: 'data source',
      files: () => sourceInputFiles(data.spec, dir),
    })),
    ...study.models.map((model) => ({
      span: model.span,
      family: 'architecture',
      files: () =>
        isBackboneKind(model.spec.kind)
          ? backboneInputFiles(model.spec as BackboneSpec, dir)
          : modelInputFiles(model.spec as ModelSpec, dir),
    })),
  ];
  const reported = new Set<string>();
  for (const use of uses) {
    const application = index.applications.find(
      (candidate) => candidate.owner.kind === use.family && within(candidate.anchor, use.span),
    );
    if (!application) continue;
    const spans = paramSpans(application);
    const named = new Map<string, string>();
    const files = use.files();
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

const within = (inner: Span, outer: Span) =>
  inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;

export const inputFilesRule: StudyRule = {
  name: 'input-files',
  reports: [Diagnostics.inputFileMissing, Diagnostics.inputFileUnreadable],
  run: inputFiles,
};
