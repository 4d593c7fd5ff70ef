// The last recorded results of a study: the results.json `shiftlab run` writes to results/<study>/ (relative
// to where it ran; see cli/commands/run.ts and runtime/study/run.ts's defaultOutDir). The server looks in
// each workspace folder and in the study's folder and its parents, and re-reads a file only when it changed.

import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { schemaVersion, type Results } from '../../runtime/results.ts';

export type { Results };

const cache = new Map<string, { mtimeMs: number; results: Results | null }>();

export function findResults(
  studyFile: string,
  studyName: string,
  roots: readonly string[],
): { path: string; results: Results } | undefined {
  for (const path of candidates(studyFile, studyName, roots)) {
    const results = read(path);
    if (results && results.study.name === studyName) return { path, results };
  }
  return undefined;
}

function candidates(studyFile: string, studyName: string, roots: readonly string[]): string[] {
  const folders = [...roots];
  for (let dir = dirname(resolve(studyFile)); ; dir = dirname(dir)) {
    folders.push(dir);
    if (dirname(dir) === dir) break;
  }
  return [...new Set(folders.map((folder) => join(folder, 'results', studyName, 'results.json')))];
}

function read(path: string): Results | null {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return null;
  }
  const known = cache.get(path);
  if (known?.mtimeMs === mtimeMs) return known.results;
  let results: Results | null = null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Results;
    // A file of another schema version is not guessed at.
    if (parsed?.schemaVersion === schemaVersion && parsed.study && Array.isArray(parsed.comparisons)) results = parsed;
  } catch {
    results = null;
  }
  cache.set(path, { mtimeMs, results });
  return results;
}

/** `+0.0231 [+0.0180, +0.0280]`, as the CLI prints values. */
export function formatEr(er: number, low: number, high: number): string {
  return `${signed(er)} [${signed(low)}, ${signed(high)}]`;
}

export const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;

/** `2026-11-28 18:01 UTC`. */
export function runDate(results: Results): string {
  const date = new Date(results.createdAt);
  return Number.isNaN(date.getTime()) ? results.createdAt : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
