// Renders results.json as one self-contained HTML page: inline SVG plots and inline CSS, no scripts,
// fonts or other external resources, so it works opened straight from disk and offline.
import type { TopLevelSpec } from 'vega-lite';
import type {
  ComparisonResult,
  ExpectationResult,
  Results,
  SplitResult,
  SupportSweepPart,
  SupportSweepResult,
} from '../results.ts';
import { plotKey, renderSvg, shiftPlotSpec } from './comparison-plot.ts';
import { intervalLevel } from './er-plot.ts';
import { comparisonFamilies, familyPlotSpec, type ComparisonFamily } from './family-plot.ts';
import { highlightStudy } from './highlight.ts';
import { supportSweepPlotSpec } from './sweep-plot.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const percent = (value: number, sign = false) => `${sign && value > 0 ? '+' : ''}${(value * 100).toFixed(2)}%`;

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.2rem; } .meta { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8rem 0 1.5rem; } th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.7rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; } figure.plot { margin: 0; }
.pass { color: #17803d; font-weight: 600; } .fail { color: #b42318; font-weight: 600; }
.flag { color: #a15c00; } pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; }`;

/**
 * `previous`: SVG of plots already drawn, by plotKey (see previousPlots); a plot found there is not redrawn.
 * `resultsKey`: what the page is drawn from (see writeReport), kept in a meta tag for resultsKeyOf.
 */
export async function renderReport(
  results: Results,
  previous: ReadonlyMap<string, string> = new Map(),
  resultsKey?: string,
): Promise<string> {
  const { study } = results;
  const sections = [];
  const families = comparisonFamilies(results.comparisons);
  for (const comparison of results.comparisons) {
    // A family's ER-against-index plot goes just before its first member's per-shift plots.
    const family = families.find((f) => f.members[0]!.comparison === comparison);
    if (family) sections.push(await familySection(family, previous));
    sections.push(await comparisonSection(comparison, previous));
  }
  const source = (await highlightStudy(study.source)) ?? `<pre>${escapeHtml(study.source)}</pre>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${resultsKey ? `<meta name="shiftlab-results" content="${resultsKey}">\n` : ''}<title>${escapeHtml(study.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(study.title)}</h1>
<p class="meta">study <code>${escapeHtml(study.name)}</code> from <code>${escapeHtml(study.file)}</code> ·
backend <strong>${escapeHtml(results.backend)}</strong> · plan <code>${escapeHtml(results.planHash.slice(0, 12))}</code> ·
${escapeHtml(results.createdAt)}</p>
${expectationsSection(results.expectations)}
${sections.join('\n')}
${splitsSection(results.splits)}
<h2>Study source</h2>
${source}
</body>
</html>
`;
}

/** Each kind of plot figure and its CSS class. The kind names the figure's data attribute (`data-shift` …),
 *  which previousPlots reads back. */
const PLOT_CLASSES = { shift: 'plot', family: 'plot family-plot', sweep: 'plot sweep-plot' } as const;

/** A plot's figure, its SVG reused from `previous` when its key is there. */
async function plotFigure(
  spec: TopLevelSpec,
  kind: keyof typeof PLOT_CLASSES,
  name: string,
  previous: ReadonlyMap<string, string>,
): Promise<string> {
  const key = plotKey(spec);
  return `<figure class="${PLOT_CLASSES[kind]}" data-${kind}="${escapeHtml(name)}" data-plot="${key}">${previous.get(key) ?? (await renderSvg(spec))}</figure>`;
}

async function familySection(family: ComparisonFamily, previous: ReadonlyMap<string, string>): Promise<string> {
  const members = family.members.map(({ comparison }) => `<code>${escapeHtml(comparison.name)}</code>`).join(', ');
  return `<section class="family" data-family="${escapeHtml(family.name)}">
<h2>Family <code>${escapeHtml(family.name)}[…]</code></h2>
<p>Effective robustness of each arm on each shift against the index value, over ${members}; bars: each ER's interval.</p>
<div class="plots">${await plotFigure(familyPlotSpec(family), 'family', family.name, previous)}</div>
</section>`;
}

async function comparisonSection(comparison: ComparisonResult, previous: ReadonlyMap<string, string>): Promise<string> {
  const plots = [];
  const fitRows = [];
  const erRows = [];
  for (const shift of comparison.shifts) {
    const baseline = comparison.baseline.byShift[shift];
    plots.push(await plotFigure(shiftPlotSpec(comparison, shift), 'shift', shift, previous));
    const { fit } = baseline;
    const clippedPoints = baseline.points.filter((point) => point.clipped);
    const clippedCell = clippedPoints.length
      ? `<span class="flag" title="${escapeHtml(clippedPoints.map((point) => point.label).join(', '))}: an accuracy of 0 or 1 was clipped">${clippedPoints.length} clipped</span>`
      : '';
    fitRows.push(
      `<tr class="fit-row"><td>${escapeHtml(shift)}</td><td class="num">${fit.n}</td><td>${baseline.pointRule === 'mean_of_copies' ? 'mean of copies' : 'per copy'}</td>` +
        `<td class="num">${fit.slope.toFixed(3)}</td><td class="num">${fit.intercept.toFixed(3)}</td><td class="num">${fit.r2.toFixed(4)}</td><td>${clippedCell}</td></tr>`,
    );
  }
  for (const [arm, byShift] of Object.entries(comparison.arms)) {
    for (const shift of comparison.shifts) {
      const r = byShift[shift];
      const clipped = r.clipped
        ? ' <span class="flag" title="an accuracy of 0 or 1 was clipped to [1/(2N), 1 − 1/(2N)]">clipped</span>'
        : '';
      erRows.push(
        `<tr class="er-row"><td>${escapeHtml(arm)}</td><td>${escapeHtml(shift)}</td><td class="num">${percent(r.er, true)}</td>` +
          `<td class="num">[${percent(r.low, true)}, ${percent(r.high, true)}]</td><td>${r.intervalKind}</td>` +
          `<td class="num">${r.copies.length}</td><td class="num">${percent(r.x)}</td><td class="num">${percent(r.y)}</td><td>${clipped}</td></tr>`,
      );
    }
  }
  const level = intervalLevel(comparison.interval);
  const sweeps = [];
  for (const sweep of comparison.supportSweeps ?? [])
    sweeps.push(await supportSweepSection(comparison, sweep, previous));
  return `<section class="comparison">
<h2>Comparison <code>${escapeHtml(comparison.name)}</code></h2>
<p>${escapeHtml(comparison.metric)}, ${comparison.scale} scale, ${level} intervals; baseline <code>${escapeHtml(comparison.baseline.name)}</code>.
Grey band: the baseline line's confidence band; dashed: y = x; diamonds: arms (mean of copies, bars span the copies).</p>
<div class="plots">${plots.join('\n')}</div>
<h3>Effective robustness</h3>
<table class="er"><thead><tr><th>arm</th><th>shift</th><th>ER</th><th>${level} interval</th><th>interval from</th><th>copies</th><th>reference</th><th>shifted</th><th></th></tr></thead>
<tbody>${erRows.join('\n')}</tbody></table>
<h3>Baseline fits (${comparison.scale} scale)</h3>
<table class="fits"><thead><tr><th>shift</th><th>n</th><th>points</th><th>slope</th><th>intercept</th><th>r²</th><th></th></tr></thead>
<tbody>${fitRows.join('\n')}</tbody></table>
${sweeps.join('\n')}
</section>`;
}

/**
 * ER of every arm on both parts of a split at each ε, with the part sizes (the paper's code's sweep): a plot of
 * ER against ε when some part has an ER, and the table.
 */
async function supportSweepSection(
  comparison: ComparisonResult,
  sweep: SupportSweepResult,
  previous: ReadonlyMap<string, string>,
): Promise<string> {
  const arms = Object.keys(comparison.arms);
  const cell = (part: SupportSweepPart | null, arm: string) => {
    const r = part?.arms[arm];
    if (!r || r.er === null) return '<td class="num">–</td>';
    const interval = r.low === null || r.high === null ? '' : ` [${percent(r.low, true)}, ${percent(r.high, true)}]`;
    return `<td class="num">${percent(r.er, true)}${interval}${r.clipped ? ' <span class="flag">clipped</span>' : ''}</td>`;
  };
  const rows = sweep.rows.map(
    (row) =>
      `<tr class="sweep-row"><td class="num">${row.epsilon}</td><td class="num">${row.inSupport}</td><td class="num">${row.outOfSupport}</td>` +
      arms.map((arm) => cell(row.in_support, arm) + cell(row.out_of_support, arm)).join('') +
      '</tr>',
  );
  const heads = arms.map((arm) => `<th>${escapeHtml(arm)} in-support</th><th>${escapeHtml(arm)} out-of-support</th>`);
  const spec = supportSweepPlotSpec(comparison, sweep);
  return `<h3>ER on the parts of <code>${escapeHtml(sweep.split)}</code> at each ε</h3>
<p>Out-of-support when the density ratio is ≥ 1/ε; at each ε the baseline line is refitted on each part.
In the plot, solid lines: in-support, dashed: out-of-support; bars: each ER's interval; a part without an ER is left out.</p>
${spec ? `<div class="plots">${await plotFigure(spec, 'sweep', sweep.split, previous)}</div>\n` : ''}<table class="support-sweep"><thead><tr><th>ε</th><th>in-support</th><th>out-of-support</th>${heads.join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function splitsSection(splits: SplitResult[]): string {
  if (splits.length === 0) return '';
  const rows = splits.map(
    (s) =>
      `<tr class="split-row"><td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.shift)}</td><td class="num">${s.inSupport}</td>` +
      `<td class="num">${s.outOfSupport}</td><td class="num">${s.auroc.toFixed(3)}</td><td class="num">${s.folds}</td><td class="num">${s.threshold}</td></tr>`,
  );
  return `<h2>Support splits</h2>
<table class="splits"><thead><tr><th>split</th><th>shift</th><th>in-support</th><th>out-of-support</th><th>AUROC (2·AUC − 1)</th><th>folds</th><th>ε</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${splits.map(splitDetails).join('\n')}`;
}

/** Per split: each classifier candidate's held-out AUROC (the chosen one marked) and the part sizes per ε. */
function splitDetails(s: SplitResult): string {
  const candidates = s.candidates.map(
    (c, i) =>
      `<tr class="candidate-row${i === s.chosen ? ' chosen' : ''}"><td>${c.value === null ? 'the recipe' : c.value}</td>` +
      `<td class="num">${c.auroc.toFixed(3)}</td><td>${i === s.chosen ? 'chosen' : ''}</td></tr>`,
  );
  const sweep = s.sweep.map(
    (p) =>
      `<tr class="epsilon-row${p.threshold === s.threshold ? ' chosen' : ''}"><td class="num">${p.threshold}</td>` +
      `<td class="num">${p.inSupport}</td><td class="num">${p.outOfSupport}</td></tr>`,
  );
  return `<h3>${escapeHtml(s.name)}: domain classifier candidates and ε sweep</h3>
<table class="split-candidates"><thead><tr><th>candidate</th><th>held-out AUROC</th><th></th></tr></thead>
<tbody>${candidates.join('\n')}</tbody></table>
<table class="split-sweep"><thead><tr><th>ε</th><th>in-support</th><th>out-of-support</th></tr></thead>
<tbody>${sweep.join('\n')}</tbody></table>`;
}

function expectationsSection(expectations: ExpectationResult[]): string {
  if (expectations.length === 0) return '';
  const rows = expectations.map((e) => {
    const operands = Object.entries(e.operands)
      .map(([path, value]) => `${escapeHtml(path)} = ${value.toFixed(4)}`)
      .join(', ');
    const verdict = e.passed ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>';
    return `<tr class="expect-row"><td>${verdict}</td><td class="num">${e.line}</td><td><code>${escapeHtml(e.source)}</code></td><td>${operands}</td></tr>`;
  });
  const failed = expectations.filter((e) => !e.passed).length;
  return `<h2>Expectations: ${expectations.length - failed} of ${expectations.length} hold</h2>
<table class="expectations"><thead><tr><th></th><th>line</th><th>expect</th><th>values</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

/** The key of the results a report was drawn from (renderReport's `resultsKey`), if it has one. */
export function resultsKeyOf(html: string): string | undefined {
  return /<meta name="shiftlab-results" content="([0-9a-f]{64})">/.exec(html)?.[1];
}

const PLOT_FIGURE = new RegExp(
  `<figure class="plot[^"]*" data-(?:${Object.keys(PLOT_CLASSES).join('|')})="[^"]*" data-plot="([0-9a-f]{64})">(<svg[\\s\\S]*?<\\/svg>)<\\/figure>`,
  'g',
);

/** The plots of an earlier report, by the key each figure carries. */
export function previousPlots(html: string): Map<string, string> {
  const plots = new Map<string, string>();
  for (const match of html.matchAll(PLOT_FIGURE)) {
    plots.set(match[1]!, match[2]!);
  }
  return plots;
}
