// Runs every `*.test.ts` under test/ (or under the paths given) in one uvu session and closes with the
// line CI reads: `N passed, N failed`. Usage: npm test [-- PATH...]
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { run } from 'uvu/run';

function collect(path: string): string[] {
  if (!statSync(path).isDirectory()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => collect(join(path, entry)));
}

const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['test']).flatMap((root) => collect(resolve(root)));
if (files.length === 0) {
  process.stderr.write(`no test files under ${roots.join(' ')}\n`);
  process.exit(2);
}

// uvu prints its own summary; keep a copy of it to count from.
let transcript = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  transcript += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  return write(chunk, ...rest);
}) as typeof process.stdout.write;

await run(files.map((file) => ({ name: relative(process.cwd(), file), file })));

const plain = transcript.replace(/\x1b\[[0-9;]*m/g, '');
const count = (label: string) =>
  Number(/\s+(\d+)\s*$/.exec(plain.split(`${label}:`).at(-1)?.split('\n')[0] ?? '')?.[1] ?? 0);
const total = count('Total');
const passed = count('Passed');
const skipped = count('Skipped');
process.stdout.write = write;
console.log(`${passed} passed, ${total - passed} failed, ${skipped} skipped`);
if (total - passed > 0) process.exitCode = 1;
