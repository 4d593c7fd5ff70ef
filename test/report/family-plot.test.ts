// A comparison family gets a plot of ER (with its interval) against the index value, next to its members'
// per-shift plots. Checked on the spec's data (what the plot shows) and on the HTML and SVG the report embeds;
// report.test.ts looks at a page in Chromium where one is installed.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { comparisonFamilies, familyPlotSpec, renderReport } from '../../runtime/report/index.ts';
import { previousPlots } from '../../runtime/report/html.ts';
import type { ComparisonResult, Results } from '../../runtime/results.ts';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/results.json', import.meta.url), 'utf8')) as Results;
const template = fixture.comparisons[0]!;
const [arm] = Object.keys(template.arms);
const [shift] = template.shifts;

/** The fixture's first comparison as member `at[p]` of a family: arm `ft[p]`, shift `tint[p]`, its ER moved by `delta`. */
function member(p: number, delta: number): ComparisonResult {
  const result = template.arms[arm!]![shift!]!;
  const moved = { ...result, er: result.er + delta, low: result.low + delta, high: result.high + delta };
  return {
    ...template,
    name: `at[${p}]`,
    shifts: [`tint[${p}]`],
    baseline: { name: `scratch[${p}]`, byShift: { [`tint[${p}]`]: template.baseline.byShift[shift!]! } },
    arms: { [`ft[${p}]`]: { [`tint[${p}]`]: moved } },
  };
}

const members = [member(0.5, 0), member(0.7, 0.01), member(0.9, 0.03)];
const results: Results = { ...fixture, comparisons: [...members, ...fixture.comparisons] };

test('members are grouped by family name; a plain comparison is no family', () => {
  const families = comparisonFamilies(results.comparisons);
  assert.equal(
    families.map((family) => [family.name, family.members.map((m) => m.values)]),
    [['at', [['0.5'], ['0.7'], ['0.9']]]],
  );
});

test('the spec plots each member’s ER and interval at its index value, one series per arm on shift', () => {
  const spec = familyPlotSpec(comparisonFamilies(results.comparisons)[0]!) as { data: { values: unknown[] } };
  assert.equal(
    spec.data.values,
    members.map((m, i) => {
      const r = Object.values(m.arms)[0]![m.shifts[0]!]!;
      return {
        member: m.name,
        index: ['0.5', '0.7', '0.9'][i],
        value: [0.5, 0.7, 0.9][i],
        series: 'ft on tint',
        er: r.er,
        low: r.low,
        high: r.high,
      };
    }),
  );
  const encodings = JSON.stringify(spec);
  assert.match(encodings, '"field":"value","type":"quantitative"');
  assert.match(encodings, '"y2":{"field":"high"}');
});

test('the report draws the family plot before its members’ plots, and reuses it when nothing changed', async () => {
  const html = await renderReport(results);
  const family = html.indexOf('<section class="family" data-family="at">');
  const firstMember = html.indexOf('<h2>Comparison <code>at[0.5]</code>');
  assert.ok(family >= 0 && family < firstMember, 'family section first');
  const figure =
    /<figure class="plot family-plot" data-family="at" data-plot="([0-9a-f]{64})">(<svg[\s\S]*?<\/svg>)<\/figure>/.exec(
      html,
    );
  assert.ok(figure, 'an SVG family figure');
  assert.match(figure![2]!, 'effective robustness against the index');
  // One figure per member shift plus the fixture's own plots, plus the family plot.
  const plots = html.match(/<figure class="plot/g)!.length;
  assert.is(plots, members.length + fixture.comparisons.reduce((n, c) => n + c.shifts.length, 0) + 1);
  assert.is(previousPlots(html).get(figure![1]!), figure![2]);
});

test.run();
