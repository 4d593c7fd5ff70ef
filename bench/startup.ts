// Start-up: `shiftlab check` on the 52-line quick study as a whole process (the built CLI, and the same
// sources through tsx for comparison), next to `node -e 0`, in alternating rounds. Prints one JSON line.
//
//   node --import tsx bench/startup.ts [--runs 7] [--study examples/quickstart.study]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { median, round } from './lib/stats.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, study: { type: 'string', default: 'examples/quickstart.study' } },
});
const commands: Record<string, string[]> = {
  node: ['-e', '0'],
  built: ['bin/shiftlab.mjs', 'check', values.study!],
  tsx: ['--import', 'tsx', 'cli/main.ts', 'check', values.study!],
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let round = 0; round <= Number(values.runs); round++) {
  for (const [name, args] of Object.entries(commands)) {
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr}`);
    if (round > 0) samples[name]!.push((performance.now() - started) / 1000); // round 0 warms the disk cache
  }
}
const lines = readFileSync(values.study!, 'utf8').trimEnd().split('\n').length;
console.log(
  JSON.stringify({
    study: values.study,
    lines,
    runs: Number(values.runs),
    nodeSeconds: round(median(samples.node!), 3),
    checkSeconds: round(median(samples.built!), 3),
    checkTsxSeconds: round(median(samples.tsx!), 3),
  }),
);
