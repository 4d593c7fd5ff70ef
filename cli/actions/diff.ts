import { execFileSync } from 'node:child_process';
import {
  compareImpact,
  DIFF_FORMAT_VERSION,
  diffStudies,
  renderJson,
  renderMarkdown,
  renderText,
  type CheckedSide,
  type StudyDiff,
} from '../../compiler/diff/index.ts';
import { planStudy } from '../../compiler/plan/index.ts';
import { FileDigests } from '../../runtime/exec/file-digest.ts';
import { CliError, UsageError } from '../errors.ts';
import { colourFor, readStudyFile, renderFor } from '../study-file.ts';
import { loadStudy } from '../study-loader.ts';

type Format = 'text' | 'markdown' | 'json';
export interface DiffOptions {
  format: string;
  exitCode?: boolean;
  git?: string;
}

/** One side of a comparison: its text, or null when the file does not exist on that side (git's /dev/null). */
interface Side {
  file: string;
  source: string | null;
}

function parseFormat(format: string): Format {
  if (format === 'text' || format === 'markdown' || format === 'json') return format;
  throw new UsageError(`unknown --format '${format}' (use text, markdown or json)`);
}

function read(file: string): Side {
  if (file === '/dev/null') return { file, source: null };
  return { file, source: readStudyFile(file) };
}

/** `OLD NEW`, or git's `path old-file old-hex old-mode new-file new-hex new-mode` (both named after `path`). */
function argumentPairs(files: string[]): [Side, Side][] {
  if (files.length === 2) return [[read(files[0]!), read(files[1]!)]];
  if (files.length === 7) {
    const [path, oldFile, , , newFile] = files as [string, string, string, string, string];
    return [
      [
        { ...read(oldFile), file: oldFile === '/dev/null' ? oldFile : `a/${path}` },
        { ...read(newFile), file: newFile === '/dev/null' ? newFile : `b/${path}` },
      ],
    ];
  }
  throw new UsageError(
    `diff takes OLD NEW (or the 7 arguments of a git diff driver), got ${files.length} argument${files.length === 1 ? '' : 's'}`,
  );
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '')
      .trim()
      .split('\n')[0];
    throw new CliError(`git ${args[0]} failed: ${stderr || (error as Error).message}`);
  }
}

/** Each file as it is at `rev` and as it is in the working tree. */
function gitPairs(rev: string, files: string[]): [Side, Side][] {
  git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  const paths = files.length
    ? files
    : git(['diff', '--name-only', '--relative', rev, '--', '*.study']).split('\n').filter(Boolean);
  return paths.map((path) => {
    const exists = git(['ls-tree', '--name-only', rev, '--', path]).trim() !== '';
    const before: Side = { file: `${rev}:${path}`, source: exists ? git(['show', `${rev}:./${path}`]) : null };
    return [before, read(path)];
  });
}

function check(side: Side): CheckedSide | null {
  if (side.source === null) return null;
  const { study, document, diagnostics } = loadStudy(side.file, side.source);
  if (!study) {
    process.stderr.write(`${renderFor(diagnostics, side.source)}\n`);
    throw new CliError(`${side.file} has errors; cannot diff it`);
  }
  return { study, document };
}

function compare(before: Side, after: Side): StudyDiff {
  const oldSide = check(before);
  const newSide = check(after);
  if (!oldSide || !newSide) return wholeFile(before, after, oldSide ?? newSide);
  try {
    // One digest memo for both sides: the input files they share are read once.
    const digests = new FileDigests(undefined);
    return diffStudies(oldSide, newSide, (study, source) => planStudy(study, source, { digests }));
  } catch (error) {
    throw new CliError(`cannot plan the studies to compare: ${(error as Error).message}`);
  }
}

/** A study file that exists on one side only: it adds (or removes) every job of its plan. */
function wholeFile(before: Side, after: Side, side: CheckedSide | null): StudyDiff {
  if (!side) throw new UsageError('both sides are /dev/null');
  const plan = planStudy(side.study, side.document.source);
  const empty = { ...plan, jobs: [] };
  const added = before.source === null;
  const total = compareImpact(added ? empty : plan, added ? plan : empty);
  const name = { file: side.document.file, study: side.study.name };
  const change = {
    type: added ? ('added' as const) : ('removed' as const),
    kind: 'study' as const,
    name: side.study.name,
    line: side.study.span.line,
  };
  return {
    old: added ? { file: before.file, study: '' } : name,
    new: added ? name : { file: after.file, study: '' },
    changes: [{ change, impact: total }],
    total,
  };
}

function render(diff: StudyDiff, format: Format): string {
  if (format === 'json') return renderJson(diff);
  if (format === 'markdown') return renderMarkdown(diff);
  return renderText(diff, { color: colourFor(process.stdout) });
}

export function diff(files: string[], options: DiffOptions): void {
  const format = parseFormat(options.format);
  const pairs = options.git ? gitPairs(options.git, files) : argumentPairs(files);
  const diffs = pairs.map(([before, after]) => compare(before, after));
  const output = diffs.map((d) => render(d, format));
  if (format === 'json' && options.git)
    process.stdout.write(
      `${JSON.stringify({ formatVersion: DIFF_FORMAT_VERSION, files: output.map((o) => JSON.parse(o)) }, null, 2)}\n`,
    );
  else process.stdout.write(output.join('\n'));
  if (options.exitCode && diffs.some((d) => d.changes.length > 0)) process.exitCode = 1;
}
