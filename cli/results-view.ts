// The end-of-run summary a researcher reads first: effective robustness per arm × shift with its interval,
// the baseline fit behind it, and which expectations hold. The full picture is in report.html.
import type { ComparisonResult, Results } from '../runtime/results.ts';
import { formatOperand } from '../runtime/study/defaults.ts';
import { clippingWarnings } from '../runtime/study/results.ts';

const percent = (value: number, signed = false) => `${signed && value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}%`;

/** Rows of cells as a left-aligned text table, columns two spaces apart. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}

function comparisonLines(comparison: ComparisonResult): string[] {
  const level = Math.round(comparison.interval * 100);
  const header = `${comparison.name}: effective robustness (${comparison.metric}, ${comparison.scale} scale, ${level}% interval) vs baseline ${comparison.baseline.name}`;
  const rows = [['arm', 'shift', 'ER', 'interval', 'baseline fit']];
  const intervalNote = (kind: string) => (kind === 'copies' ? ' (copies)' : '');
  for (const [arm, byShift] of Object.entries(comparison.arms)) {
    for (const shift of comparison.shifts) {
      const result = byShift[shift];
      const fit = comparison.baseline.byShift[shift]?.fit;
      if (!result) continue;
      rows.push([
        arm,
        shift,
        percent(result.er, true),
        `[${percent(result.low, true)}, ${percent(result.high, true)}]${intervalNote(result.intervalKind)}${result.clipped ? ' (clipped)' : ''}`,
        fit
          ? `n ${fit.n}, slope ${fit.slope.toFixed(2)}, r² ${fit.r2.toFixed(3)}${clippedNote(comparison, shift)}`
          : '',
      ]);
    }
  }
  return [header, ...table(rows).map((line) => `  ${line}`)];
}

/** ", 2 clipped" when that many of the line's points were clipped. */
function clippedNote(comparison: ComparisonResult, shift: string): string {
  const clipped = comparison.baseline.byShift[shift]?.points.filter((point) => point.clipped).length ?? 0;
  return clipped ? `, ${clipped} clipped` : '';
}

export function renderSummary(results: Results): string {
  const lines = results.comparisons.flatMap((comparison) => [...comparisonLines(comparison), '']);
  for (const warning of clippingWarnings(results)) lines.push(`warning: ${warning}`);
  const backends = Object.entries(results.backendsUsed ?? {});
  if (backends.length > 1) {
    const counts = backends.map(([name, jobs]) => `${name} ${jobs} jobs`).join(', ');
    lines.push(
      `note: cached jobs were computed by several backends (${counts}); numbers can differ slightly between backends`,
    );
  }
  if (results.expectations.length) {
    const held = results.expectations.filter((expectation) => expectation.passed).length;
    lines.push(`expectations: ${held} of ${results.expectations.length} hold`);
    // Each claim with the values it compared, so a pass or a failure can be read without the report.
    for (const expectation of results.expectations) {
      lines.push(`  ${expectation.passed ? 'holds ' : 'FAILS '} line ${expectation.line}: ${expectation.source}`);
      for (const [name, value] of Object.entries(expectation.operands))
        lines.push(`          ${name} = ${formatOperand(value)}`);
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
