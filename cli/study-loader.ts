// The one way a command gets a study from a file: read it (a clean usage error when it cannot be read),
// check it, render its diagnostics (coloured only on a terminal without NO_COLOR), and turn a builder
// rejection of a checked study into a clean error on its line. check, compile, plan, run, slurm and diff use it;
// fmt, which only parses, reads and renders through study-file.ts alone.
import type { Document } from '../grammar/ast.ts';
import { checkSource } from '../compiler/check/index.ts';
import type { TypedStudy } from '../compiler/check/typed.ts';
import { summarize, type Diagnostic } from '../compiler/diagnostics/index.ts';
import { planStudy } from '../compiler/plan/index.ts';
import { FileDigests } from '../runtime/exec/file-digest.ts';
import type { Plan } from '../runtime/plan.ts';
import { ExitCode } from '../runtime/study/defaults.ts';
import { StudyBuildError } from '../runtime/study/builder.ts';
import { CliError } from './errors.ts';
import { readStudyFile, renderFor } from './study-file.ts';

export interface LoadedStudy {
  file: string;
  source: string;
  document: Document;
  diagnostics: Diagnostic[];
  /** Null when the study has errors. */
  study: TypedStudy | null;
}

/** Reads and checks a study file (source text given for a side that is not on disk, e.g. a git revision). */
export function loadStudy(file: string, source: string = readStudyFile(file)): LoadedStudy {
  const { document, diagnostics, study } = checkSource(source, file);
  return { file, source, document, diagnostics, study };
}

/** Prints a study's errors and their summary on stderr and sets exit code 1 (the errors are the message). */
export function reportStudyErrors(loaded: Pick<LoadedStudy, 'file' | 'source' | 'diagnostics'>): void {
  process.stderr.write(
    `${renderFor(loaded.diagnostics, loaded.source)}\n\n${loaded.file}: ${summarize(loaded.diagnostics)}\n`,
  );
  process.exitCode = ExitCode.failed;
}

/** Prints warnings (a study with no errors may still have some) on stderr, so stdout stays the output. */
export function reportWarnings(loaded: Pick<LoadedStudy, 'source' | 'diagnostics'>): void {
  if (loaded.diagnostics.length) process.stderr.write(`${renderFor(loaded.diagnostics, loaded.source)}\n\n`);
}

/** Runs a build step; a checked study the builder still rejects is a checker gap: a clean error on its line. */
export function mapBuildErrors<T>(build: () => T): T {
  const rethrow = (error: unknown): never => {
    if (error instanceof StudyBuildError) throw new CliError(error.message, ExitCode.failed);
    throw error;
  };
  try {
    const result = build();
    // An async build (compile) rejects instead of throwing.
    return (result instanceof Promise ? result.catch(rethrow) : result) as T;
  } catch (error) {
    return rethrow(error);
  }
}

/** The plan of a checked study; input-file digests are memoised under `cacheDir` when given. */
export function planOf(loaded: LoadedStudy & { study: TypedStudy }, cacheDir?: string): Plan {
  const digests = new FileDigests(cacheDir);
  return mapBuildErrors(() => planStudy(loaded.study, loaded.source, { digests }));
}
