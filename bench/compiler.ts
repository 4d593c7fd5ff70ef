// Compiler speed: check + plan + compile time for generated studies of 10, 100 and 1,000 arms (median of
// several runs in this warm process), and parse throughput in MB/s on one large generated file.
// Prints one JSON object (the last line of stdout) including this process's peak RSS.
//
//   node --import tsx bench/compiler.ts [--arms 10,100,1000] [--runs 5] [--parse-mb 1] [--source]
//
// The code timed is bundled as scripts/build.mjs bundles the CLI (bench/lib/built.ts); --source times the
// TypeScript sources through tsx instead.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { importBuilt } from './lib/built.ts';
import { generateStudy } from './lib/generated-study.ts';
import type { ArmsRow } from './lib/report.ts';
import { median, peakRssMiB, round } from './lib/stats.ts';

const { values: flags } = parseArgs({
  options: {
    arms: { type: 'string', default: '10,100,1000' },
    runs: { type: 'string', default: '5' },
    'parse-mb': { type: 'string', default: '1' },
    // Time the TypeScript sources through tsx instead of the bundle the CLI ships.
    source: { type: 'boolean', default: false },
  },
});
type CompilerApi = typeof import('./lib/compiler-api.ts');
const api = new URL('./lib/compiler-api.ts', import.meta.url);
const { parse, checkSource, planStudy, compileSource }: CompilerApi = flags.source
  ? await import(api.href)
  : await importBuilt<CompilerApi>(api);
const RUNS = Number(flags.runs);
const FILE = 'bench/generated.study';

function seconds(work: () => unknown): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
}

async function secondsAsync(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function measureArms(arms: number): Promise<ArmsRow> {
  const source = generateStudy(arms);
  const checked = checkSource(source, FILE);
  if (!checked.study) {
    const first = checked.diagnostics[0];
    throw new Error(`generated study with ${arms} arms does not check: ${first?.code} ${first?.message}`);
  }
  const jobs = planStudy(checked.study, source).jobs.length;
  const check: number[] = [];
  const checkPlan: number[] = [];
  const compile: number[] = [];
  // One untimed round warms the JIT; then the median of RUNS rounds.
  for (let r = 0; r <= RUNS; r++) {
    const c = seconds(() => checkSource(source, FILE));
    const cp = seconds(() => planStudy(checkSource(source, FILE).study!, source));
    const e = await secondsAsync(() => compileSource(source, FILE));
    if (r === 0) continue;
    check.push(c);
    checkPlan.push(cp);
    compile.push(e);
  }
  return {
    arms,
    sourceKiB: round(Buffer.byteLength(source) / 1024, 0),
    jobs,
    checkSeconds: round(median(check), 4),
    checkPlanSeconds: round(median(checkPlan), 4),
    compileSeconds: round(median(compile), 3),
  };
}

/** Parses one generated file of about `megabytes` MB (the arms repeat) and reports MB/s, median of RUNS. */
function measureParse(megabytes: number): { megabytes: number; seconds: number; mbPerSecond: number } {
  let arms = 1000;
  let source = generateStudy(arms);
  while (Buffer.byteLength(source) < megabytes * 1e6) source = generateStudy((arms *= 2));
  const size = Buffer.byteLength(source) / 1e6;
  const runs: number[] = [];
  for (let r = 0; r <= RUNS; r++) {
    const s = seconds(() => {
      const { problems } = parse(source, FILE);
      if (problems.length) throw new Error(`generated study does not parse: ${problems[0].message}`);
    });
    if (r > 0) runs.push(s);
  }
  const s = median(runs);
  return { megabytes: round(size, 2), seconds: round(s, 3), mbPerSecond: round(size / s, 2) };
}

const rows: ArmsRow[] = [];
for (const arms of flags.arms!.split(',').map(Number)) {
  const row = await measureArms(arms);
  process.stderr.write(
    `${arms} arms: check+plan ${row.checkPlanSeconds}s, compile ${row.compileSeconds}s (${row.jobs} jobs)\n`,
  );
  rows.push(row);
}
const parseResult = measureParse(Number(flags['parse-mb']));
process.stderr.write(`parse: ${parseResult.mbPerSecond} MB/s on ${parseResult.megabytes} MB\n`);
console.log(JSON.stringify({ benchmark: 'compiler', runs: RUNS, rows, parse: parseResult, peakRssMiB: peakRssMiB() }));
