import { diagnosticsToJson, hasErrors, summarize } from '../../compiler/diagnostics/index.ts';
import { ExitCode } from '../../runtime/study/defaults.ts';
import { UsageError } from '../errors.ts';
import { readStudyFile, renderFor } from '../study-file.ts';
import { loadStudy } from '../study-loader.ts';

export function check(files: string[], options: { format: string }): void {
  if (options.format !== 'text' && options.format !== 'json')
    throw new UsageError(`unknown --format '${options.format}' (use text or json)`);
  // Read every file first: an unreadable one is a usage error before any output.
  const sources = files.map((file) => ({ file, source: readStudyFile(file) }));
  const results = sources.map(({ file, source }) => loadStudy(file, source));
  if (options.format === 'json') {
    process.stdout.write(
      `${JSON.stringify(
        results.map((r) => diagnosticsToJson(r.file, r.diagnostics)),
        null,
        2,
      )}\n`,
    );
  } else {
    for (const result of results) {
      if (result.diagnostics.length)
        process.stdout.write(`${renderFor(result.diagnostics, result.source, process.stdout)}\n\n`);
      process.stdout.write(`${result.file}: ${summarize(result.diagnostics)}\n`);
    }
  }
  // Errors were already printed: exit 1 without another message.
  if (results.some((r) => hasErrors(r.diagnostics))) process.exitCode = ExitCode.failed;
}
