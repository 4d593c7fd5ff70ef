// `shiftlab compile FILE [-o OUT.ts]`: a study as a standalone TypeScript script over shiftlab/runtime.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import { mapBuildErrors, readStudyFile, reportStudyErrors, reportWarnings } from '../study-loader.ts';

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description(
      'compile a study to a standalone TypeScript script that builds the same plan and runs it (npx tsx OUT.ts)',
    )
    .argument('<file>', '.study file to compile')
    .option(
      '-o, --output <file>',
      'write the script here instead of to stdout (the script locates the study folder, for input files, from here)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 compiled, 1 the study has errors (they are printed), 2 usage error or unreadable file.\n',
    )
    .action((file: string, options: { output?: string }) => compile(file, options));
}

async function compile(file: string, options: { output?: string }): Promise<void> {
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
