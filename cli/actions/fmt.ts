// `shiftlab fmt FILE... [--check] [--write]`: the canonical layout of .study files (compiler/format).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { format } from '../../compiler/format/index.ts';
import { fromParseProblem } from '../../compiler/diagnostics/index.ts';
import { parse } from '../../grammar/index.ts';
import { CliError, UsageError } from '../errors.ts';
import { readStudyFile, renderFor } from '../study-file.ts';

export interface FmtOptions {
  check?: boolean;
  write?: boolean;
  json?: boolean;
}

type Outcome = 'unchanged' | 'changed' | 'syntax-error';

export function fmt(files: string[], options: FmtOptions): void {
  if (options.check && options.write) throw new UsageError('--check and --write cannot be used together');
  const inPlace = options.check || options.write;
  if (!inPlace && files.length > 1)
    throw new UsageError('printing to stdout takes one file; use --write or --check for several');
  if (options.json && !inPlace) throw new UsageError('--json needs --check or --write');
  if (options.write && files.includes('-')) throw new UsageError('--write cannot rewrite standard input');
  const sources = files.map((file) => ({ file, source: readStudyFile(file) }));

  const outcomes = sources.map(({ file, source }) => {
    const outcome = fmtOne(file, source, options);
    if (options.json) process.stdout.write(`${JSON.stringify({ file, outcome })}\n`);
    return outcome;
  });

  const broken = outcomes.filter((o) => o === 'syntax-error').length;
  const changed = outcomes.filter((o) => o === 'changed').length;
  if (options.check && changed > 0) {
    throw new CliError(
      `${changed} of ${files.length} file${plural(files.length)} not formatted (shiftlab fmt --write fixes that)`,
      1,
    );
  }
  if (broken > 0) throw new CliError(`${broken} file${plural(broken)} with syntax errors left as they were`, 1);
}

function fmtOne(file: string, source: string, options: FmtOptions): Outcome {
  const { document, problems } = parse(source, file);
  if (problems.length > 0) {
    process.stderr.write(`${renderFor(problems.map(fromParseProblem), source)}\n`);
    return 'syntax-error';
  }
  const formatted = format(document);
  const outcome = formatted === source ? 'unchanged' : 'changed';
  if (options.write) {
    if (outcome === 'changed') {
      writeSource(file, formatted);
      if (!options.json) process.stdout.write(`formatted ${file}\n`);
    }
  } else if (options.check) {
    if (outcome === 'changed' && !options.json) process.stdout.write(unifiedDiff(file, source, formatted));
  } else {
    process.stdout.write(formatted);
  }
  return outcome;
}

function writeSource(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new CliError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 1);
  }
}

/** Past this many milliseconds a diff is not worth computing (huge files with changes everywhere). */
const DIFF_TIMEOUT_MS = 2000;

/** `--- a/FILE`, `+++ b/FILE` and hunks with three lines of context, as `diff -u` and git print them. */
function unifiedDiff(file: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(join('a', file), join('b', file), before, after, undefined, undefined, {
    context: 3,
    timeout: DIFF_TIMEOUT_MS,
  });
  if (patch === undefined)
    return `${file}: not formatted; the diff is too large to show (shiftlab fmt ${file} prints the formatted text)\n`;
  return patch
    .split('\n')
    .filter((line) => !/^=+$/.test(line))
    .map((line) => (line.startsWith('--- ') || line.startsWith('+++ ') ? line.trimEnd() : line))
    .join('\n');
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}
