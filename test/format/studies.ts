// The .study inputs the formatter's properties are checked over: every .study file in the repo's
// examples/, studies/ and test/, plus the golden inputs (which are deliberately not .study files, so that
// `fmt --check` over the repo does not trip on them).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../helpers/cli.ts';

export const goldenDir = join(repoRoot, 'test/format/golden');

function walk(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (entry === 'node_modules' || entry.startsWith('.')) return [];
      return statSync(path).isDirectory() ? walk(path, suffix) : path.endsWith(suffix) ? [path] : [];
    });
}

export function studyFiles(): string[] {
  return ['examples', 'studies', 'test', 'bench'].flatMap((dir) => walk(join(repoRoot, dir), '.study'));
}

export function goldenCases(): string[] {
  return walk(goldenDir, '.input').map((path) => relative(goldenDir, path).replace(/\.input$/, ''));
}
