// A comparison family (`compare at[p in [0.5, 0.7, 0.9]]`) reads as one experiment: effective robustness as the
// index grows. Its members reach results as comparisons named `at[0.5]`, `at[0.7]`, …; this groups them by their
// family name and plots each arm × shift's ER, with its interval, against the index value (the paper's "effective
// robustness as the spurious correlation grows" figure). Built as a Vega-Lite spec, like the per-member plots.
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../results.ts';
import { erPlotSpec, intervalLevel, type ErPlotX } from './er-plot.ts';

export interface FamilyMember {
  comparison: ComparisonResult;
  /** The member's index values as written in its name (`['0.5']`, `['0.5', '0.25']` for a grid). */
  values: string[];
}

export interface ComparisonFamily {
  /** The family's name: `at` for `at[0.5]`, `at[0.7]`. */
  name: string;
  members: FamilyMember[];
}

/** `at[0.5, 0.25]` → { name: 'at', values: ['0.5', '0.25'] }; a plain name → null. */
export function memberOf(name: string): { name: string; values: string[] } | null {
  const match = /^(.+?)\[(.+)\]$/.exec(name);
  return match ? { name: match[1]!, values: match[2]!.split(/,\s*/) } : null;
}

/** Comparisons that are members of one family, in result order; a family of one member is no sweep. */
export function comparisonFamilies(comparisons: readonly ComparisonResult[]): ComparisonFamily[] {
  const families = new Map<string, ComparisonFamily>();
  for (const comparison of comparisons) {
    const member = memberOf(comparison.name);
    if (!member) continue;
    const family = families.get(member.name) ?? { name: member.name, members: [] };
    family.members.push({ comparison, values: member.values });
    families.set(member.name, family);
  }
  return [...families.values()].filter((family) => family.members.length > 1);
}

/** An arm or shift of a member without its member index: `ft[0.5]` → `ft`; the other index values stay. */
function seriesName(name: string, values: readonly string[]): string {
  const member = memberOf(name);
  if (!member) return name;
  const rest = member.values.filter((value) => value !== values[0]);
  return rest.length ? `${member.name}[${rest.join(', ')}]` : member.name;
}

/** One row per member × arm × shift: the index value, the ER and its interval. */
export function familyRows(family: ComparisonFamily) {
  return family.members.flatMap(({ comparison, values }) =>
    Object.entries(comparison.arms).flatMap(([arm, byShift]) =>
      comparison.shifts
        .filter((shift) => byShift[shift])
        .map((shift) => {
          const result = byShift[shift]!;
          const others = values.slice(1);
          return {
            member: comparison.name,
            index: values[0]!,
            value: Number(values[0]),
            series: `${seriesName(arm, values)} on ${seriesName(shift, values)}${others.length ? ` [·, ${others.join(', ')}]` : ''}`,
            er: result.er,
            low: result.low,
            high: result.high,
          };
        }),
    ),
  );
}

export function familyPlotSpec(family: ComparisonFamily): TopLevelSpec {
  const rows = familyRows(family);
  // Numbers are placed by value; any other index (names, strings) in member order.
  const numeric = rows.every((row) => Number.isFinite(row.value));
  const first = family.members[0]!.comparison;
  const x: ErPlotX = numeric
    ? {
        field: 'value',
        type: 'quantitative',
        scale: { zero: false, nice: false, padding: 12 },
        axis: { title: 'index value', values: [...new Set(rows.map((row) => row.value))] },
      }
    : {
        field: 'index',
        type: 'ordinal',
        sort: [...new Set(rows.map((row) => row.index))],
        axis: { title: 'index value' },
      };
  return erPlotSpec({
    title: `${family.name}[…]: effective robustness against the index (${intervalLevel(first.interval)} intervals)`,
    rows,
    x,
    metric: first.metric,
    scale: first.scale,
    color: { field: 'series', title: 'arm on shift' },
    tooltip: [
      { field: 'member', title: 'comparison' },
      { field: 'series', title: 'arm on shift' },
    ],
  });
}
