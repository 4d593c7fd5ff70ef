// `shiftlab compile FILE [-o OUT.ts]`: a study as a standalone TypeScript script over shiftlab/runtime.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { readStudyFile } from '../study-file.ts';
import { mapBuildErrors, reportStudyErrors, reportWarnings } from '../study-loader.ts';

export async function compile(file: string, options: { output?: string }): Promise<void> {
  const source = readStudyFile(file);
  // ts-morph and prettier load only when a study is compiled, so other commands start fast.
  const { compileSource } = await import('../../compiler/emit/index.ts');
  // The script finds the study's folder (for relative input paths) from where it is written.
  const scriptDir = options.output ? dirname(resolve(options.output)) : '.';
  const compiled = await mapBuildErrors(() => compileSource(source, file, { scriptDir }));
  if (compiled.code === null) {
    reportStudyErrors({ file, source, diagnostics: compiled.diagnostics });
    return;
  }
  reportWarnings({ source, diagnostics: compiled.diagnostics });
  if (!options.output) {
    process.stdout.write(compiled.code);
    return;
  }
  try {
    writeFileSync(options.output, compiled.code);
  } catch (error) {
    throw new UsageError(
      `cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
