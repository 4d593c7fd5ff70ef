// The generated part of docs/results.md: one section per study, from studies/results/<study>.json, or
// "not run yet" with the plan's training cost. Text outside the markers is hand-written and kept as is.
import type { SupportSweepPart, SupportSweepResult } from '../runtime/results.ts';
import type { ComparisonRecord, GroupAccuracy, StudyRecord } from './record.ts';

/** The paper's studies, in the order docs/results.md presents their claims; other .study files follow. */
export const PAPER_STUDIES = [
  'theorem',
  'tint_in_support',
  'out_of_support',
  'label_shift',
  'split',
  'complementary',
  'small_debiased',
];

export const BEGIN_MARKER = '<!-- studies:generated:begin (npm run studies rewrites this part) -->';
export const END_MARKER = '<!-- studies:generated:end -->';

export interface PendingStudy {
  study: string;
  title: string;
  trainingCost: number;
}

export type StudyEntry = { kind: 'recorded'; record: StudyRecord } | { kind: 'pending'; pending: PendingStudy };

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const signedPct = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)}`;
const thousands = (value: number) => value.toLocaleString('en-US');

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(0)} s`;
  const whole = Math.round(seconds); // rounded first, so 119.6 s reads 2 min 0 s, not 1 min 60 s
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

export function renderGenerated(entries: StudyEntry[]): string {
  const overview = [
    '| study | status | expectations held | wall time | backend |',
    '|---|---|---|---|---|',
    ...entries.map((entry) => {
      if (entry.kind === 'pending')
        return `| [${entry.pending.study}](#${entry.pending.study}) | not run yet | – | – | – |`;
      const { record } = entry;
      const held = record.expectations.filter((expectation) => expectation.passed).length;
      return `| [${record.study}](#${record.study}) | run | ${held} of ${record.expectations.length} | ${duration(record.wallSeconds)} | ${record.backend} |`;
    }),
  ];
  const sections = entries.map((entry) =>
    entry.kind === 'pending' ? pendingSection(entry.pending) : recordedSection(entry.record),
  );
  return [BEGIN_MARKER, '', ...overview, '', ...sections, END_MARKER].join('\n');
}

function pendingSection(pending: PendingStudy): string {
  return [
    `### ${pending.study}`,
    '',
    `_${pending.title}_ — [studies/${pending.study}.study](../studies/${pending.study}.study)`,
    '',
    `**Not run yet.** Estimated training: ${thousands(pending.trainingCost)} samples × epochs (from \`shiftlab plan\`).`,
    '',
  ].join('\n');
}

function recordedSection(record: StudyRecord): string {
  const lines = [
    `### ${record.study}`,
    '',
    `_${record.title}_ — [studies/${record.study}.study](../studies/${record.study}.study)` +
      (record.report ? ` · [full report](${record.report})` : ''),
    '',
    `Backend **${record.backend}**, ${record.workers} worker${record.workers === 1 ? '' : 's'}, wall time **${duration(record.wallSeconds)}**, ` +
      `${record.jobs.ran} jobs run, ${record.jobs.cached} cached, training ${thousands(record.trainingCost)} samples × epochs; ` +
      `run ${record.ranAt.slice(0, 16).replace('T', ' ')} UTC, plan \`${record.planHash.slice(0, 12)}\`, exit code ${record.exitCode}.`,
    '',
    ...poolLine(record),
    '| expectation | value | held |',
    '|---|---|---|',
    ...record.expectations.map(
      (expectation) =>
        `| \`${expectation.source}\` | ${operandsText(expectation.operands, expectation.value)} | ${expectation.passed ? 'yes' : '**no**'} |`,
    ),
    '',
  ];
  for (const comparison of record.comparisons) lines.push(...comparisonSection(comparison));
  if (record.splits.length) lines.push(...splitSection(record));
  lines.push(...groupSection(record.groups));
  return lines.join('\n');
}

function operandsText(operands: Record<string, number>, value: number): string {
  const parts = Object.entries(operands).map(([path, operand]) => `${path} = ${operand.toFixed(4)}`);
  return parts.length === 1 && Object.values(operands)[0] === value
    ? parts[0]
    : [...parts, `value = ${value.toFixed(4)}`].join('; ');
}

function comparisonSection(comparison: ComparisonRecord): string[] {
  const lines = [
    `Compare \`${comparison.name}\`: ${comparison.metric}, ${comparison.scale} line of baseline \`${comparison.baseline}\`, ` +
      `${Math.round(comparison.interval * 100)}% intervals. ER in points of ${comparison.metric}.`,
    '',
    '| shift | baseline r² (n) | arm | reference | shifted | ER [interval] | copies |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of comparison.shifts) {
    for (const arm of row.arms) {
      lines.push(
        `| ${row.shift} | ${row.fit.r2.toFixed(3)} (${row.fit.n}) | ${arm.arm} | ${pct(arm.reference)} | ${pct(arm.shifted)} | ` +
          `${signedPct(arm.er)} [${signedPct(arm.low)}, ${signedPct(arm.high)}]${arm.clipped ? ' (clipped)' : ''} | ${arm.copies} (${arm.intervalKind}) |`,
      );
    }
  }
  lines.push('');
  const plots = comparison.shifts.filter((row) => row.plot);
  if (plots.length) {
    lines.push(plots.map((row) => `![${comparison.name}: ${row.shift}](${row.plot})`).join(' '), '');
  }
  for (const sweep of comparison.supportSweeps ?? []) lines.push(...supportSweepSection(comparison, sweep));
  return lines;
}

/** Issue 17's figures: how busy the worker pool was, and how far the estimate made before the run was off. */
function poolLine(record: StudyRecord): string[] {
  const { pool } = record;
  if (!pool) return [];
  const estimate =
    pool.estimatedSeconds === undefined
      ? 'no estimate before the run'
      : `estimated ${duration(pool.estimatedSeconds)} before the run, ` +
        `error ${signedPct(pool.estimatedSeconds / pool.seconds - 1)}% of the measured ${duration(pool.seconds)}`;
  return [
    `Pool: utilisation **${pct(pool.utilisation)}** (${pool.busySeconds.toFixed(0)} busy worker-seconds of ` +
      `${pool.workers} × ${pool.seconds.toFixed(0)} s); ${estimate}.`,
    '',
  ];
}

/** ER of every arm on both parts of a split at each ε (in-support / out-of-support), with the part sizes. */
function supportSweepSection(comparison: ComparisonRecord, sweep: SupportSweepResult): string[] {
  const arms = comparison.shifts[0]?.arms.map((arm) => arm.arm) ?? [];
  const cell = (part: SupportSweepPart | null, arm: string) => {
    const r = part?.arms[arm];
    if (!r || r.er === null) return '–';
    const interval = r.low === null || r.high === null ? '' : ` [${signedPct(r.low)}, ${signedPct(r.high)}]`;
    return `${signedPct(r.er)}${interval}${r.clipped ? ' (clipped)' : ''}`;
  };
  return [
    `ER of \`${comparison.name}\` on the parts of \`${sweep.split}\` at each ε (out of support when the density ratio ` +
      `is ≥ 1/ε; the line refitted on each part; in-support / out-of-support):`,
    '',
    `| ε | in support | out of support | ${arms.map((arm) => `${arm} in | ${arm} out`).join(' | ')} |`,
    `|---|---|---|${arms.map(() => '---|---|').join('')}`,
    ...sweep.rows.map(
      (row) =>
        `| ${row.epsilon} | ${row.inSupport} | ${row.outOfSupport} | ` +
        `${arms.map((arm) => `${cell(row.in_support, arm)} | ${cell(row.out_of_support, arm)}`).join(' | ')} |`,
    ),
    '',
  ];
}

function splitSection(record: StudyRecord): string[] {
  return [
    '| split | shift | in support | out of support | domain AUROC (2·AUC − 1) | folds | ε |',
    '|---|---|---|---|---|---|---|',
    ...record.splits.map(
      (split) =>
        `| ${split.name} | ${split.shift} | ${split.inSupport} | ${split.outOfSupport} | ${split.auroc.toFixed(3)} | ${split.folds} | ${split.threshold} |`,
    ),
    '',
  ];
}

/** Final metrics of every model group on every evaluated split. */
function groupSection(groups: GroupAccuracy[]): string[] {
  const columns = [
    ...new Set(
      groups.flatMap((group) =>
        Object.entries(group.metrics).flatMap(([split, metrics]) =>
          Object.keys(metrics).map((name) => `${split} ${name}`),
        ),
      ),
    ),
  ];
  const cell = (group: GroupAccuracy, column: string) => {
    const [split, name] = column.split(' ');
    const value = group.metrics[split]?.[name];
    return value === undefined ? '–' : pct(value);
  };
  return [
    '<details><summary>Final metrics of every model group (means over copies; baselines at their last checkpoint)</summary>',
    '',
    `| group | copies | ${columns.join(' | ')} |`,
    `|---|---|${columns.map(() => '---|').join('')}`,
    ...groups.map(
      (group) =>
        `| ${group.group}${group.checkpoint !== null ? ` @${group.checkpoint}` : ''} | ${group.copies} | ${columns.map((column) => cell(group, column)).join(' | ')} |`,
    ),
    '',
    '</details>',
    '',
  ];
}

/** `page` with its generated part replaced (or appended when the markers are missing). */
export function replaceGenerated(page: string, generated: string): string {
  const begin = page.indexOf(BEGIN_MARKER);
  const end = page.indexOf(END_MARKER);
  if (begin < 0 || end < begin) return `${page.trimEnd()}\n\n${generated}\n`;
  return page.slice(0, begin) + generated + page.slice(end + END_MARKER.length);
}
