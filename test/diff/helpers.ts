import { readFileSync } from 'node:fs';
import { checkSource } from '../../compiler/check/index.ts';
import { diffStudies, type CheckedSide, type StudyDiff } from '../../compiler/diff/index.ts';
import { planStudy } from '../../compiler/plan/index.ts';
import { repoRoot } from '../helpers/cli.ts';

/** The study every case edits: the tint/flip example (12000 MNIST training images, 10% held out as val). */
export const base = readFileSync(`${repoRoot}examples/tint_and_flip.study`, 'utf8');

/** `base` with each [from, to] replaced once; fails loudly when `from` is not there, so edits cannot go stale. */
export function edit(source: string, ...replacements: [string | RegExp, string][]): string {
  return replacements.reduce((text, [from, to]) => {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`edit: ${String(from)} not found`);
    return next;
  }, source);
}

export function side(source: string, file: string): CheckedSide {
  const { study, document, diagnostics } = checkSource(source, file);
  if (!study) throw new Error(`${file} does not check: ${diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return { study, document };
}

export function diff(before: string, after: string): StudyDiff {
  return diffStudies(side(before, 'old.study'), side(after, 'new.study'), planStudy);
}
