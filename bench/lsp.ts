// Language-server speed, against the compiled build (dist/, `npm run build`) an editor runs through bin/:
//  - initialize: spawning `shiftlab lsp --stdio` until its answer to `initialize` (the whole process start),
//    next to `node -e 0` spawned the same way, in alternating rounds;
//  - update: in one running server (initializationOptions.debounceMs 0, so no waiting is counted), a
//    `didChange` of a 300-line study until its `publishDiagnostics` arrives: parse, check, convert, and the
//    JSON-RPC round trip. The same for a 1 MB study, analysed in the server's worker thread.
// Reports median, min, max and the interquartile range of each, the server's CPU time (less bent by a shared
// machine's load than wall time), the CPU and the load average before and after (a high load inflates every
// wall-time figure). Prints one JSON object (the last line).
//
//   npm run build && node --import tsx bench/lsp.ts [--starts 15] [--updates 40] [--big-updates 3]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { bigStudy } from '../test/lsp/big-study.ts';
import { median, round } from './lib/stats.ts';

const { values: flags } = parseArgs({
  options: {
    starts: { type: 'string', default: '15' },
    updates: { type: 'string', default: '40' },
    'big-updates': { type: 'string', default: '3' },
  },
});
if (!existsSync('dist/cli.js') || !existsSync('dist/lsp-worker.js'))
  throw new Error('dist/ is missing: run `npm run build` first (this bench measures the compiled build)');

function spread(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    median: round(median(sorted)),
    min: round(sorted[0]!),
    max: round(sorted.at(-1)!),
    iqr: [round(at(0.25)), round(at(0.75))],
    n: sorted.length,
  };
}

/** CPU time (user + system, ms) a process has used so far, from /proc (10 ms ticks); less bent by load than wall time. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14, 15) at 100 ticks a second
}

function server() {
  const child = spawn(process.execPath, ['bin/shiftlab.mjs', 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.listen();
  const close = async () => {
    const exited = new Promise((done) => child.on('exit', done));
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await exited;
    connection.dispose();
  };
  return { connection, close, pid: child.pid! };
}

/** Milliseconds from spawning the server to its `initialize` answer, and the server's CPU time until then. */
async function initializeMs(): Promise<[number, number]> {
  const started = performance.now();
  const { connection, close, pid } = server();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  const elapsed = performance.now() - started;
  const cpu = cpuMs(pid);
  await close();
  return [elapsed, cpu];
}

function nodeMs(): number {
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - started;
}

/** didChange → publishDiagnostics of that version, `rounds` times after `warm` unmeasured ones. */
async function updateMs(text: string, rounds: number, warm: number) {
  const { connection, close, pid } = server();
  const waiting = new Map<number, () => void>();
  connection.onNotification('textDocument/publishDiagnostics', (p: { version?: number }) =>
    waiting.get(p.version ?? -1)?.(),
  );
  connection.onNotification('window/logMessage', () => {});
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { debounceMs: 0 },
  });
  await connection.sendNotification('initialized', {});
  const uri = pathToFileURL('bench.study').href;
  const published = (version: number) => new Promise<void>((done) => waiting.set(version, done));
  let version = 1;
  let opened = published(version);
  await connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'shiftlab', version, text },
  });
  await opened;
  const samples: number[] = [];
  let cpuBefore = 0;
  for (let i = 0; i < warm + rounds; i++) {
    if (i === warm) cpuBefore = cpuMs(pid);
    // Each version differs (one number changes), as when typing; every one is a valid study.
    const changed = text.replace('seed 0', `seed ${++version}`);
    opened = published(version);
    const started = performance.now();
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text: changed }],
    });
    await opened;
    if (i >= warm) samples.push(performance.now() - started);
  }
  // The main thread and the analysis worker together, per measured update.
  const cpuPerUpdate = round((cpuMs(pid) - cpuBefore) / rounds);
  await close();
  return { samples, cpuPerUpdate };
}

const loadBefore = loadavg().map((l) => round(l, 2));
const starts: number[] = [];
const startCpu: number[] = [];
const nodes: number[] = [];
for (let i = 0; i <= Number(flags.starts); i++) {
  const [[s, cpu], n] = [await initializeMs(), nodeMs()];
  if (i === 0) continue; // round 0 warms the disk cache
  starts.push(s);
  startCpu.push(cpu);
  nodes.push(n);
}
const study300 = `study bench {\n  seed 0\n${bigStudy({ lines: 300 }).slice('study big {\n'.length)}`;
const study1mb = `study bench {\n  seed 0\n${bigStudy({ bytes: 1_000_000 }).slice('study big {\n'.length)}`;
const update300 = await updateMs(study300, Number(flags.updates), 5);
const update1mb = await updateMs(study1mb, Number(flags['big-updates']), 1);
const loadAfter = loadavg().map((l) => round(l, 2));
const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
const result = {
  cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model,
  cores: cpus().length,
  node: process.version,
  loadAverage: { before: loadBefore, after: loadAfter },
  initializeMs: spread(starts),
  initializeCpuMs: spread(startCpu),
  nodeStartMs: spread(nodes),
  update300Lines: {
    lines: study300.split('\n').length,
    ...spread(update300.samples),
    cpuMsPerUpdate: update300.cpuPerUpdate,
  },
  update1MB: { bytes: study1mb.length, ...spread(update1mb.samples), cpuMsPerUpdate: update1mb.cpuPerUpdate },
  goals: { initializeMs: 500, update300LinesMs: 50 },
};
console.log(JSON.stringify(result));
