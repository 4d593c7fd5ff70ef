// A large valid study for the 1 MB and 300-line cases: tint_and_flip's declarations repeated under fresh names.
import { readFileSync } from 'node:fs';

const tint = readFileSync(new URL('../../examples/tint_and_flip.study', import.meta.url), 'utf8');

/** tint_and_flip's body repeated (names suffixed `_0`, `_1`, …) until the study has at least `lines` lines or `bytes` bytes. */
export function bigStudy(size: { lines?: number; bytes?: number }): string {
  const names = [
    ...tint.matchAll(/^\s*(?:data|distribution|shift|model|recipe|pretrain|baseline|arm|compare)\s+(\w+)/gm),
  ].map((m) => m[1]!);
  const body = tint.slice(tint.indexOf('{') + 1, tint.lastIndexOf('}')).replace(/^\s*(title|seed) .*\n/gm, '');
  const pattern = new RegExp(`\\b(${names.join('|')})\\b`, 'g');
  const done = (text: string) => text.length >= (size.bytes ?? 0) && text.split('\n').length >= (size.lines ?? 0);
  let out = 'study big {\n';
  for (let k = 0; !done(out); k++) out += body.replace(pattern, `$1_${k}`);
  return `${out}}\n`;
}
