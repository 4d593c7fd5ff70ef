// `npm run studies [-- NAME… --workers N --cache DIR --docs-only]`: runs each studies/<NAME>.study (default: all)
// with the real `shiftlab run`, records wall time, backend, jobs and expectations in studies/results/<NAME>.json,
// renders its plots into docs/results/<NAME>/, and regenerates the tables of docs/results.md.
// A failed expectation is a result, not an error: it is recorded and the next study runs.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkSource } from '../compiler/check/index.ts';
import { planStudy } from '../compiler/plan/index.ts';
import type { Plan } from '../runtime/plan.ts';
import { readResults, renderSvg, shiftPlotSpec } from '../runtime/report/index.ts';
import type { Results } from '../runtime/results.ts';
import { DEFAULT_CACHE_DIR } from '../runtime/study/defaults.ts';
import { buildRecord, plotKey, type StudyRecord } from './record.ts';
import { PAPER_STUDIES, renderGenerated, replaceGenerated, type StudyEntry } from './results-page.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const studiesDir = join(root, 'studies');
const recordsDir = join(studiesDir, 'results');
const docsDir = join(root, 'docs');
const pagePath = join(docsDir, 'results.md');

function studyNames(): string[] {
  const found = readdirSync(studiesDir)
    .filter((file) => file.endsWith('.study'))
    .map((file) => basename(file, '.study'));
  return [
    ...PAPER_STUDIES.filter((name) => found.includes(name)),
    ...found.filter((name) => !PAPER_STUDIES.includes(name)).sort(),
  ];
}

function planOf(name: string): { plan: Plan; title: string } {
  const file = `studies/${name}.study`;
  const source = readFileSync(join(root, file), 'utf8');
  const { study, diagnostics } = checkSource(source, file);
  if (!study) throw new Error(`${file} does not check: ${diagnostics.map((d) => d.message).join('; ')}`);
  return { plan: planStudy(study, source), title: study.title ?? name };
}

const trainingCost = (plan: Plan) =>
  plan.jobs.reduce((sum, job) => sum + (job.cost ? job.cost.samples * job.cost.epochs : 0), 0);

interface RunOutcome {
  exitCode: number;
  wallSeconds: number;
  jobs: { ran: number; cached: number };
}

/** Runs `shiftlab run --json`, echoing a line per finished job so a long study shows progress. */
function runWithCli(name: string, outDir: string, workers: number, cache: string): Promise<RunOutcome> {
  const started = performance.now();
  const args = [
    join(root, 'bin/shiftlab.mjs'),
    'run',
    `studies/${name}.study`,
    '--json',
    '--out',
    outDir,
    '--workers',
    String(workers),
    '--cache',
    cache,
  ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const jobs = { ran: 0, cached: 0 };
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue; // only the run's JSON events count
      const event = JSON.parse(line) as { type: string; toRun?: number; cached?: number; jobId?: string };
      if (event.type === 'plan-start') Object.assign(jobs, { ran: event.toRun ?? 0, cached: event.cached ?? 0 });
      if (event.type === 'job-done' && /^(pretrain|train|support-split|reweight)/.test(event.jobId ?? '')) {
        process.stdout.write(
          `  ${name}: ${event.jobId} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
        );
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ exitCode: code ?? 1, wallSeconds: (performance.now() - started) / 1000, jobs }),
    );
  });
}

/** One SVG per comparison × shift, as the HTML report draws them; returns their paths relative to docs/. */
async function renderPlots(name: string, results: Results): Promise<Map<string, string>> {
  const dir = join(docsDir, 'results', name);
  mkdirSync(dir, { recursive: true });
  const plots = new Map<string, string>();
  for (const comparison of results.comparisons) {
    for (const shift of comparison.shifts) {
      const spec = shiftPlotSpec(comparison, shift);
      const file = `${comparison.name}-${shift}.svg`;
      writeFileSync(join(dir, file), await renderSvg(spec));
      plots.set(plotKey(comparison.name, shift), `results/${name}/${file}`);
    }
  }
  return plots;
}

function readRecord(name: string): StudyRecord | null {
  const path = join(recordsDir, `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StudyRecord) : null;
}

async function runAndRecord(name: string, workers: number, cache: string): Promise<StudyRecord> {
  const { plan } = planOf(name);
  const outDir = join('results', 'studies', name);
  console.log(
    `${name}: running (training ${trainingCost(plan).toLocaleString('en-US')} samples × epochs, ${workers} workers)`,
  );
  const outcome = await runWithCli(name, outDir, workers, cache);
  const resultsPath = join(root, outDir, 'results.json');
  if (!existsSync(resultsPath))
    throw new Error(`${name}: shiftlab run exited ${outcome.exitCode} without writing ${resultsPath}`);
  const results = readResults(resultsPath);
  // A re-run that found everything cached measured nothing: keep the timing of the run that trained.
  const previous = readRecord(name);
  const timing =
    outcome.jobs.ran === 0 && previous?.planHash === results.planHash
      ? {
          wallSeconds: previous.wallSeconds,
          jobs: previous.jobs,
          workers: previous.workers,
          pool: previous.pool ?? null,
        }
      : { wallSeconds: outcome.wallSeconds, jobs: outcome.jobs, workers, pool: results.pool ?? null };
  const reportDir = join(docsDir, 'results', name);
  mkdirSync(reportDir, { recursive: true });
  copyFileSync(join(root, outDir, 'report.html'), join(reportDir, 'report.html'));
  const record = buildRecord(results, {
    study: name,
    exitCode: outcome.exitCode,
    ...timing,
    trainingCost: trainingCost(plan),
    plots: await renderPlots(name, results),
    report: `results/${name}/report.html`,
  });
  mkdirSync(recordsDir, { recursive: true });
  writeFileSync(join(recordsDir, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  const held = record.expectations.filter((expectation) => expectation.passed).length;
  console.log(
    `${name}: exit ${outcome.exitCode}, ${outcome.wallSeconds.toFixed(0)} s, ${held} of ${record.expectations.length} expectations held`,
  );
  return record;
}

function writePage(): void {
  const entries: StudyEntry[] = studyNames().map((name) => {
    const record = readRecord(name);
    if (record) return { kind: 'recorded', record };
    const { plan, title } = planOf(name);
    return { kind: 'pending', pending: { study: name, title, trainingCost: trainingCost(plan) } };
  });
  const page = existsSync(pagePath) ? readFileSync(pagePath, 'utf8') : "# Results of the paper's studies\n";
  writeFileSync(pagePath, replaceGenerated(page, renderGenerated(entries)));
  console.log(`wrote ${pagePath}`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      workers: { type: 'string', default: '2' },
      cache: { type: 'string', default: DEFAULT_CACHE_DIR },
      'docs-only': { type: 'boolean', default: false },
    },
  });
  const known = studyNames();
  const unknown = positionals.filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`no such study: ${unknown.join(', ')} (studies: ${known.join(', ')})`);
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(`--workers must be a positive integer, got ${values.workers}`);
  if (!values['docs-only']) {
    for (const name of positionals.length ? positionals : known) await runAndRecord(name, workers, values.cache);
  }
  writePage();
}

main().catch((error: unknown) => {
  console.error(`studies: ${(error as Error).message}`);
  process.exitCode = 1;
});
