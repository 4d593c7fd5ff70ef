// `npx tsx studies/split-parts.ts [STUDY] [--cache DIR]`: what landed in each part of a study's support
// splits, read from a run's cache. For every support-split job: the part sizes, and per attribute the shifted
// transform recorded (`vflip` for split.study) how many examples of each class carry each value in each part;
// then every model's accuracy inside each part, separately for each attribute value. Answers "which examples
// did the domain classifier call in support, and does the arm's ER there come from them?" (docs/results.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkSource } from '../compiler/check/index.ts';
import { planStudy } from '../compiler/plan/index.ts';
import { aggregateCopies, clipAccuracy, effectiveRobustness, fitBaseline } from '../runtime/analysis/index.ts';
import type { Dataset } from '../runtime/data/dataset.ts';
import { readDataset } from '../runtime/data/serialise.ts';
import { argmax } from '../runtime/eval/metrics.ts';
import type { MetricsFile, PartsFile } from '../runtime/jobs/handlers/artifacts.ts';
import { jobsOfKind, type Job, type Plan } from '../runtime/plan.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

function planOf(name: string): Plan {
  const file = `studies/${name}.study`;
  const source = readFileSync(join(root, file), 'utf8');
  const { study, diagnostics } = checkSource(source, file);
  if (!study) throw new Error(`${file} does not check: ${diagnostics.map((d) => d.message).join('; ')}`);
  return planStudy(study, source);
}

/** Predicted class of each example from a predict job's `predictions.bin` (size × classes probabilities). */
function predictedClasses(dir: string, size: number, classes: number): Int32Array {
  const bytes = readFileSync(join(dir, 'predictions.bin'));
  const probabilities = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (probabilities.length !== size * classes)
    throw new Error(`${dir}: ${probabilities.length} values, expected ${size} × ${classes}`);
  return argmax(probabilities, classes);
}

function describePart(test: Dataset, name: string, indices: number[]): void {
  console.log(`\n${name}: ${indices.length} of ${test.size} shifted test examples`);
  for (const [attribute, values] of Object.entries(test.attributes)) {
    const distinct = [...new Set(Array.from(values))].sort((a, b) => a - b);
    console.log(
      `| ${attribute} | total | ${Array.from({ length: test.classes }, (_, c) => `class ${c}`).join(' | ')} |`,
    );
    for (const value of distinct) {
      const perClass = new Array<number>(test.classes).fill(0);
      for (const i of indices) if (values[i] === value) perClass[test.y[i]]++;
      console.log(`| ${attribute} = ${value} | ${perClass.reduce((a, b) => a + b, 0)} | ${perClass.join(' | ')} |`);
    }
  }
}

/** Accuracy of one predict job on the part's examples whose attribute has `value` (null: all of them): [hits, count]. */
function accuracyWhere(
  dir: string,
  test: Dataset,
  indices: number[],
  values: Int32Array,
  value: number | null,
): [number, number] {
  const predicted = predictedClasses(dir, indices.length, test.classes);
  let hits = 0;
  let count = 0;
  indices.forEach((example, k) => {
    if (value !== null && values[example] !== value) return;
    count++;
    if (predicted[k] === test.y[example]) hits++;
  });
  return [hits, count];
}

/**
 * Re-computes each comparison's ER on one part restricted to one attribute value: the same baseline
 * checkpoints and arm copies (read from the fit-baseline and effective-robustness jobs' metric deps, which
 * come in (reference, part) pairs), with the part-side accuracy counted only over the matching examples.
 */
function describeEffectiveRobustness(plan: Plan, cache: string, split: Job, test: Dataset, parts: PartsFile): void {
  const byId = new Map(plan.jobs.map((job) => [job.id, job]));
  const referenceAccuracy = (metricId: string) => {
    const metrics = JSON.parse(
      readFileSync(join(cache, (byId.get(metricId) as Job).hash, 'metrics.json'), 'utf8'),
    ) as MetricsFile;
    return clipAccuracy({
      value: metrics.values.accuracy,
      count: metrics.count,
    }).value;
  };
  const pairs = (ids: string[]) => ids.flatMap((id, i) => (i % 2 === 0 ? [[id, ids[i + 1]] as const] : []));
  const onSplit = (id: string) => (byId.get(id) as Job).deps.includes(split.id);
  const erJobs = jobsOfKind(plan.jobs, 'effective-robustness').filter((job) => job.deps.some(onSplit));
  for (const [attribute, values] of Object.entries(test.attributes)) {
    console.log(
      `\n| comparison | part | ${attribute} | baseline r² (n) | baseline final accuracy | arm accuracy | ER per copy | ER mean [copies interval] |`,
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const erJob of erJobs) {
      const fitJob = byId.get(erJob.deps[0]) as Job;
      const part = ((byId.get(fitJob.deps[1]) as Job).spec as { part: string }).part;
      const indices = part === 'in_support' ? parts.inSupport : parts.outOfSupport;
      // The unrestricted row (all) re-derives the recorded ER, a check that the pairs are read right.
      for (const value of [null, ...[...new Set(Array.from(values))].sort((a, b) => a - b)]) {
        const point = ([referenceId, partId]: readonly [string, string]) => {
          const predict = byId.get((byId.get(partId) as Job).deps[0]) as Job;
          const [hits, count] = accuracyWhere(join(cache, predict.hash), test, indices, values, value);
          return {
            x: referenceAccuracy(referenceId),
            y: clipAccuracy({ value: hits / count, count }).value,
          };
        };
        const baseline = pairs(fitJob.deps).map(point);
        const arm = pairs(erJob.deps.slice(1)).map(point);
        const fit = fitBaseline(baseline, { scale: 'probit' });
        const ers = arm.map((copy) => effectiveRobustness(fit, copy).er);
        const summary = aggregateCopies(ers);
        const points = (ps: number[]) => ps.map((v) => (100 * v).toFixed(1)).join(', ');
        console.log(
          `| ${String(erJob.labels?.compare)}.${String(erJob.labels?.arm)} | ${part} | ${value ?? 'all'} | ${fit.r2.toFixed(3)} (${fit.n}) | ${points(baseline.slice(-1).map((p) => p.y))} | ${points(arm.map((p) => p.y))} | ${points(ers)} | ${(100 * summary.mean).toFixed(1)} [${(100 * summary.low).toFixed(1)}, ${(100 * summary.high).toFixed(1)}] |`,
        );
      }
    }
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { cache: { type: 'string', default: '.shiftlab/cache' } },
  });
  const plan = planOf(positionals[0] ?? 'split');
  const cache = join(root, values.cache);
  const byId = new Map(plan.jobs.map((job) => [job.id, job]));
  for (const split of plan.jobs.filter((job) => job.kind === 'support-split')) {
    // deps: [transform (reference), transform (shifted)]; the parts index the shifted test split.
    const shifted = byId.get(split.deps[1]) as Job;
    const parts = JSON.parse(readFileSync(join(cache, split.hash, 'parts.json'), 'utf8')) as PartsFile;
    const test = await readDataset(join(cache, shifted.hash, 'test'));
    console.log(
      `## ${split.id} (shifted side ${shifted.id}, domain AUROC ${parts.auroc.toFixed(3)}, threshold ${parts.threshold})`,
    );
    describePart(test, 'in_support', parts.inSupport);
    describePart(test, 'out_of_support', parts.outOfSupport);
    describeEffectiveRobustness(plan, cache, split, test, parts);
  }
}

main().catch((error: unknown) => {
  console.error(`split-parts: ${(error as Error).message}`);
  process.exitCode = 1;
});
