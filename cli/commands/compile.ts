// `shiftlab compile FILE [-o OUT.ts]`: a study as a standalone TypeScript script over shiftlab/runtime.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { compileSource } from '../../compiler/emit/index.ts';
import { renderDiagnostics, summarize } from '../../compiler/diagnostics/index.ts';
import { StudyBuildError } from '../../runtime/study/builder.ts';
import { CliError, UsageError } from '../errors.ts';

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('compile a study to a standalone TypeScript script that builds the same plan and runs it (npx tsx OUT.ts)')
    .argument('<file>', '.study file to compile')
    .option('-o, --output <file>', 'write the script here instead of to stdout')
    .addHelpText('after', '\nExit codes: 0 compiled, 1 the study has errors (they are printed), 2 usage error or unreadable file.\n')
    .action((file: string, options: { output?: string }) => compile(file, options));
}

async function compile(file: string, options: { output?: string }): Promise<void> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const colour = Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
  let compiled: Awaited<ReturnType<typeof compileSource>>;
  try {
    // ts-morph and prettier load only when a study is compiled, so other commands start fast.
    const { compileSource } = await import('../../compiler/emit/index.ts');
    compiled = await compileSource(source, file);
  } catch (error) {
    if (error instanceof StudyBuildError) throw new CliError(error.message, 1);
    throw error;
  }
  if (compiled.diagnostics.length) process.stderr.write(`${renderDiagnostics(compiled.diagnostics, source, { color: colour })}\n\n`);
  if (compiled.code === null) {
    process.stderr.write(`${file}: ${summarize(compiled.diagnostics)}\n`);
    process.exitCode = 1;
    return;
  }
  if (!options.output) {
    process.stdout.write(compiled.code);
    return;
  }
  try {
    writeFileSync(options.output, compiled.code);
  } catch (error) {
    throw new UsageError(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
