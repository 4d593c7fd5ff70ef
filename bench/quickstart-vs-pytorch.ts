// The whole quick study against the same study written by hand in PyTorch (bench/pytorch/quickstart.py):
// `shiftlab run examples/quickstart.study` from an empty cache, then the PyTorch script, alternating for
// --rounds rounds, each a fresh process timed as a whole. Prints one JSON object (the last stdout line): each
// round's wall times and load average, the medians, their ratio, and both effective-robustness tables.
//
//   node --import tsx bench/quickstart-vs-pytorch.ts [--rounds 3] [--threads 2]
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Results } from '../runtime/results.ts';
import { THROUGHPUT_FILE } from '../runtime/study/throughput.ts';
import { runJson, timeProcess } from './lib/child.ts';
import { loadAverage } from './lib/machine.ts';
import { median, round } from './lib/stats.ts';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    // PyTorch's intra-op threads: the cores shiftlab's two workers use.
    threads: { type: 'string', default: String(os.availableParallelism()) },
  },
});
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const STUDY = 'examples/quickstart.study';
const HOUR_MS = 3600 * 1000;

/** ER with its interval, per arm and shift. */
export type ErTable = Record<string, Record<string, { er: number; low: number; high: number }>>;

interface TorchQuickstart {
  seconds: number;
  threads: number;
  torch: string;
  robustness: ErTable;
  peakRssMiB: number;
}

export interface QuickstartComparison {
  study: string;
  rounds: { shiftlabSeconds: number; pytorchSeconds: number; load: number }[];
  shiftlabSeconds: number;
  pytorchSeconds: number;
  /** shiftlab's median wall time over PyTorch's: below 1, shiftlab is faster. */
  ratio: number;
  threads: number;
  torch: string;
  shiftlab: ErTable;
  pytorch: ErTable;
  /** The estimate shiftlab's run announced (from the record of the previous rounds), against its pool's time. */
  estimates: { estimatedSeconds?: number; seconds: number }[];
}

/** Carries the machine's throughput record from round to round: the cache is empty, the record is not. */
const recordDir = mkdtempSync(join(os.tmpdir(), 'shiftlab-bench-record-'));

function shiftlabRound(): { seconds: number; er: ErTable; estimate: { estimatedSeconds?: number; seconds: number } } {
  const scratch = mkdtempSync(join(os.tmpdir(), 'shiftlab-bench-quickstart-'));
  try {
    const out = join(scratch, 'out');
    mkdirSync(join(scratch, 'cache'));
    if (existsSync(join(recordDir, THROUGHPUT_FILE)))
      copyFileSync(join(recordDir, THROUGHPUT_FILE), join(scratch, 'cache', THROUGHPUT_FILE));
    const run = timeProcess(process.execPath, [
      'bin/shiftlab.mjs',
      'run',
      STUDY,
      '--cache',
      join(scratch, 'cache'),
      '--out',
      out,
      '--quiet',
    ]);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    const er: ErTable = {};
    for (const comparison of results.comparisons)
      for (const [arm, byShift] of Object.entries(comparison.arms))
        for (const [shift, value] of Object.entries(byShift))
          (er[arm] ??= {})[shift] = { er: value.er, low: value.low, high: value.high };
    copyFileSync(join(scratch, 'cache', THROUGHPUT_FILE), join(recordDir, THROUGHPUT_FILE));
    const pool = results.pool;
    return {
      seconds: run.wallSeconds,
      er,
      estimate: { estimatedSeconds: pool?.estimatedSeconds, seconds: pool?.seconds ?? run.wallSeconds },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const rounds: QuickstartComparison['rounds'] = [];
const estimates: QuickstartComparison['estimates'] = [];
let shiftlab: ErTable = {};
let torch: TorchQuickstart | undefined;
for (let r = 0; r < Number(flags.rounds); r++) {
  const ours = shiftlabRound();
  shiftlab = ours.er;
  estimates.push(ours.estimate);
  // A whole study: on a loaded machine it can take far longer than one benchmark process.
  const theirs = runJson<TorchQuickstart>(
    PYTHON,
    ['bench/pytorch/quickstart.py', '--threads', flags.threads!],
    process.env,
    HOUR_MS,
  );
  torch = theirs.value;
  const load = loadAverage()[0]!;
  rounds.push({ shiftlabSeconds: round(ours.seconds, 1), pytorchSeconds: round(theirs.wallSeconds, 1), load });
  process.stderr.write(
    `round ${r + 1}: shiftlab ${ours.seconds.toFixed(1)} s, PyTorch ${theirs.wallSeconds.toFixed(1)} s (load ${load})\n`,
  );
}
const shiftlabSeconds = median(rounds.map((r) => r.shiftlabSeconds));
const pytorchSeconds = median(rounds.map((r) => r.pytorchSeconds));
const result: QuickstartComparison = {
  study: STUDY,
  rounds,
  shiftlabSeconds: round(shiftlabSeconds, 1),
  pytorchSeconds: round(pytorchSeconds, 1),
  ratio: round(shiftlabSeconds / pytorchSeconds, 2),
  threads: torch!.threads,
  torch: torch!.torch,
  shiftlab,
  pytorch: torch!.robustness,
  estimates,
};
rmSync(recordDir, { recursive: true, force: true });
console.log(JSON.stringify(result));
