// One reporter per code: every checker rule declares the codes it reports (checkDocument throws when a rule
// reports another), no two rules declare the same code, and every code of the registry has its reporter.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rules, studyRules } from '../../compiler/check/index.ts';
import { allDefinitions, Diagnostics } from '../../compiler/diagnostics/index.ts';
import { familyExpansionReports } from '../../compiler/families/index.ts';
import { check, study } from './helpers.ts';

// Family expansion runs before binding: a pass with its own codes, reported nowhere else.
const all = [...rules, ...studyRules, { name: 'family-expansion', reports: familyExpansionReports }];

test('no two rules report the same code', () => {
  const owners = new Map<string, string[]>();
  for (const rule of all)
    for (const { code } of rule.reports) owners.set(code, [...(owners.get(code) ?? []), rule.name]);
  const shared = [...owners]
    .filter(([, names]) => names.length > 1)
    .map(([code, names]) => `${code}: ${names.join(', ')}`);
  assert.equal(shared, []);
});

test('every non-syntax code has a reporting rule, and rules have distinct names', () => {
  const reported = new Set(all.flatMap((rule) => rule.reports.map((definition) => definition.code)));
  const syntax = new Set([Diagnostics.lexerError.code, Diagnostics.syntaxError.code]);
  assert.equal(
    allDefinitions.filter((d) => !syntax.has(d.code) && !reported.has(d.code)).map((d) => d.code),
    [],
  );
  assert.equal(new Set(all.map((rule) => rule.name)).size, all.length);
});

test('a rule that reports a code it does not declare is a checker bug, not a diagnostic', () => {
  const rule = rules.find((r) => r.name === 'duplicate-name')!;
  const original = rule.run;
  // The real rule, reporting its own finding under another rule's code.
  (rule as { run: typeof original }).run = (context) =>
    original({ ...context, report: (d) => context.report({ ...d, code: Diagnostics.unknownName.code }) });
  try {
    assert.throws(
      () => check(study('recipe fit { epochs 7 }')),
      /rule duplicate-name reported S1001, which it does not declare/,
    );
  } finally {
    (rule as { run: typeof original }).run = original;
  }
  assert.equal(
    check(study('recipe fit { epochs 7 }')).diagnostics.map((d) => d.code),
    ['S1002'],
  );
});

test.run();
