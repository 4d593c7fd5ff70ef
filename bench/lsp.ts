// Language-server speed: how long `shiftlab lsp` takes to answer `initialize` (spawned as an editor does),
// and the work behind one diagnostics update (parse, check, convert) for a ~300-line study and a 1 MB one
// (median of several runs in this warm process). Prints one JSON object (the last line of stdout).
//
//   node --import tsx bench/lsp.ts [--runs 10] [--starts 5]
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { analyze } from '../editors/server/analysis.ts';
import { toLspDiagnostic } from '../editors/server/convert.ts';
import { bigStudy } from '../test/lsp/big-study.ts';
import { median, round } from './lib/stats.ts';

const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, starts: { type: 'string', default: '5' } },
});

/** Milliseconds from spawning the server to its `initialize` answer. */
async function initializeMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/shiftlab.mjs', 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  const elapsed = performance.now() - started;
  await connection.sendRequest('shutdown');
  const exited = new Promise((done) => child.on('exit', done));
  await connection.sendNotification('exit');
  await exited;
  connection.dispose();
  return elapsed;
}

/** One diagnostics update's work: what the server does between a change and publishing. */
function updateMs(text: string, runs: number): { ms: number; diagnostics: number } {
  const times: number[] = [];
  let diagnostics = 0;
  for (let i = 0; i < runs + 2; i++) {
    const started = performance.now();
    const analysis = analyze(text, 'bench.study', i);
    diagnostics = analysis.diagnostics.map((d) => toLspDiagnostic(d, 'file:///bench.study')).length;
    if (i >= 2) times.push(performance.now() - started); // the first runs warm the JIT
  }
  return { ms: round(median(times)), diagnostics };
}

const starts: number[] = [];
for (let i = 0; i < Number(flags.starts); i++) starts.push(await initializeMs());
const study300 = bigStudy({ lines: 300 });
const study1mb = bigStudy({ bytes: 1_000_000 });
const result = {
  initializeMs: { median: round(median(starts)), runs: starts.map((s) => round(s)) },
  update300Lines: { lines: study300.split('\n').length, ...updateMs(study300, Number(flags.runs)) },
  update1MB: { bytes: study1mb.length, ...updateMs(study1mb, 2) },
};
console.log(JSON.stringify(result));
