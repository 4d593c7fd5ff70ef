// The tests spawn the CLI users run: bin/shiftlab.mjs over the built dist/. Building here (once per test process,
// before the first spawn) keeps that output current with the sources under test; an unchanged build writes nothing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));
let built = false;

export function ensureBuilt(): void {
  if (built) return;
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scripts/build.mjs failed:\n${result.stderr}`);
  built = true;
}
