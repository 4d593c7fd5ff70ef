import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkSource } from '../../compiler/check/index.ts';
import { diagnosticsToJson, hasErrors, renderDiagnostics, summarize } from '../../compiler/diagnostics/index.ts';
import { UsageError } from '../errors.ts';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check .study files: syntax, names, types, ranges and study structure')
    .argument('<files...>', '.study files to check')
    .option('--format <format>', 'output format: text or json', 'text')
    .action((files: string[], options: { format: string }) => {
      if (options.format !== 'text' && options.format !== 'json') throw new UsageError(`unknown --format '${options.format}' (use text or json)`);
      const sources = files.map((file) => {
        try {
          return { file, source: readFileSync(file, 'utf8') };
        } catch (error) {
          throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
      });
      const results = sources.map(({ file, source }) => ({ file, source, diagnostics: checkSource(source, file).diagnostics }));
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify(results.map((r) => diagnosticsToJson(r.file, r.diagnostics)), null, 2)}\n`);
      } else {
        const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
        for (const result of results) {
          if (result.diagnostics.length) process.stdout.write(`${renderDiagnostics(result.diagnostics, result.source, { color })}\n\n`);
          process.stdout.write(`${result.file}: ${summarize(result.diagnostics)}\n`);
        }
      }
      // Errors were already printed: exit 1 without another message.
      if (results.some((r) => hasErrors(r.diagnostics))) process.exitCode = 1;
    });
}
