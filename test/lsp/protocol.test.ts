// The language server over stdio, driven by a real JSON-RPC client (vscode-jsonrpc) against the real binary:
// every capability on the example studies and on broken ones.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import { CancellationTokenSource, LSPErrorCodes } from 'vscode-languageserver/node';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';
import { format } from '../../compiler/format/index.ts';
import { parse } from '../../grammar/index.ts';
import { repoRoot } from '../helpers/cli.ts';
import { bigStudy } from './big-study.ts';
import { Client, positionOf } from './client.ts';

type Hover = { contents: { value: string } } | null;
type Item = { label: string; documentation?: { value: string } };
type Edit = {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
};

const test = suite('lsp protocol');
const client = new Client();
const examples = readdirSync(join(repoRoot, 'examples'))
  .filter((f) => f.endsWith('.study'))
  .map((f) => join(repoRoot, 'examples', f));
const brokenPath = join(repoRoot, 'test/lsp/fixtures/broken.study');
const broken = readFileSync(brokenPath, 'utf8');
const tintPath = join(repoRoot, 'examples/tint_and_flip.study');
const tint = readFileSync(tintPath, 'utf8');
const sweepPath = join(repoRoot, 'examples/spurious_sweep.study');
const sweep = readFileSync(sweepPath, 'utf8');
let version = 1;
/** Opens text under a fresh URI beside the real files (so results lookup and docs behave as for a user's file). */
async function openText(text: string, name = `variant-${version}.study`, dir = join(repoRoot, 'test/lsp/fixtures')) {
  const uri = await client.open(join(dir, name), text, ++version);
  return { uri, published: await client.diagnostics(uri, version), td: { textDocument: { uri } } };
}
const hoverAt = (td: object, position: object) => client.request<Hover>('textDocument/hover', { ...td, position });
const completeAt = async (td: object, position: object) =>
  (await client.request<Item[]>('textDocument/completion', { ...td, position })).map((i) => i.label);
function applyEdits(text: string, edits: Edit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

let legend: { tokenTypes: string[]; tokenModifiers: string[] };
test.before(async () => {
  const { capabilities } = await client.initialize();
  legend = (capabilities.semanticTokensProvider as { legend: typeof legend }).legend;
  for (const capability of [
    'hoverProvider',
    'completionProvider',
    'definitionProvider',
    'referencesProvider',
    'renameProvider',
    'documentSymbolProvider',
    'foldingRangeProvider',
    'documentFormattingProvider',
    'codeActionProvider',
    'semanticTokensProvider',
  ]) {
    assert.ok(capabilities[capability], capability);
  }
});
test.after(async () => {
  assert.is(await client.close(), 0, client.stderr);
});

test("example studies: the checker's diagnostics, hover on every declared name, outline, tokens, folding, formatting", async () => {
  for (const path of examples) {
    const text = readFileSync(path, 'utf8');
    const uri = await client.open(path, text, 1);
    const td = { textDocument: { uri } };
    const published = await client.diagnostics(uri, 1);
    const expected = checkSource(text, path).diagnostics;
    assert.equal(
      published.diagnostics.map((d) => [d.code, d.range.start.line + 1]),
      expected.map((d) => [d.code, d.span.line]),
      path,
    );
    const study = parse(text, path).document.study!;
    const declared = study.items.filter((item) => item.kind !== 'Attribute' && item.kind !== 'Expect') as {
      kind: string;
      name: { name: string; span: { line: number; column: number } };
    }[];
    for (const declaration of declared) {
      const position = { line: declaration.name.span.line - 1, character: declaration.name.span.column };
      const hover = await hoverAt(td, position);
      assert.match(
        hover?.contents.value ?? '',
        `${declaration.kind.toLowerCase()} ${declaration.name.name}`,
        `${path}: ${declaration.name.name}`,
      );
    }
    const symbols = await client.request<{ children: { name: string }[] }[]>('textDocument/documentSymbol', td);
    for (const declaration of declared)
      assert.ok(
        symbols[0]!.children.some((c) => c.name === declaration.name.name),
        declaration.name.name,
      );
    const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', td);
    // At least one token per declared name, five numbers each.
    assert.ok(tokens.data.length >= declared.length * 5 && tokens.data.length % 5 === 0, path);
    const folds = await client.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', td);
    assert.ok(
      folds.some((f) => f.startLine === study.span.line - 1 && f.endLine === study.span.endLine - 1),
      `${path}: the study body folds`,
    );
    const edits = await client.request<Edit[]>('textDocument/formatting', {
      ...td,
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.is(applyEdits(text, edits), format(parse(text, path).document), path);
    assert.ok(edits.length <= 1);
  }
});

test("a resolved value: a distribution's full chain with defaults, a recipe with the arm's overrides applied", async () => {
  const text = tint.replace('    recipe finetune\n', '    recipe finetune { epochs 5 }\n');
  const { td, published } = await openText(text);
  assert.is(published.diagnostics.filter((d) => d.severity === 1).length, 0);
  const flipped = (await hoverAt(td, positionOf(text, 'flipped', 1)))!.contents.value;
  assert.match(
    flipped,
    /mnist \{ train 12000, test 2000, val 0\.1 \}\n {2}\| tint \{ strength 0\.25, spurious 0\.8 \}\n {2}\| vflip \{ p 1 \}/,
  );
  const inArm = (await hoverAt(td, positionOf(text, 'finetune {', 1, 1)))!.contents.value;
  assert.match(inArm, /as fine_tuned trains with it \(overrides applied\):[\s\S]*lr 0\.0003[\s\S]*epochs 5/);
  const attribute = (await hoverAt(td, positionOf(text, 'spurious', 1)))!.contents.value;
  assert.match(attribute, /type: a number\nrange: in \[0, 1\]\ndefault: 0\.5/);
  const source = (await hoverAt(td, positionOf(text, 'mnist {', 1)))!.contents.value;
  assert.match(source, /data source mnist[\s\S]*\*\*train\*\*/);
  const builtinDoc = (await hoverAt(td, positionOf(text, 'convnet', 1)))!.contents.value;
  assert.match(builtinDoc, /architecture convnet[\s\S]*\*\*channels\*\*[\s\S]*default: \[16, 32\]/);
});

test('broken study: codes, docs links to existing sections, related locations, quick fixes that apply', async () => {
  const docs = readFileSync(join(repoRoot, 'docs/diagnostics.md'), 'utf8');
  const uri = await client.open(brokenPath, broken, 1);
  const { diagnostics } = await client.diagnostics(uri, 1);
  assert.equal(
    diagnostics.map((d) => d.code),
    checkSource(broken, brokenPath).diagnostics.map((d) => d.code),
  );
  for (const d of diagnostics) {
    const href = d.codeDescription!.href;
    assert.is(fileURLToPath(href.split('#')[0]!), join(repoRoot, 'docs/diagnostics.md'));
    const anchor = href.split('#')[1]!;
    const heading = docs.split('\n').find((line) => line.startsWith(`## ${d.code} `))!;
    // GitHub's slug of the heading: lower case, punctuation dropped, spaces to '-'.
    assert.is(
      heading
        .slice(3)
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
      anchor,
    );
  }
  const td = { textDocument: { uri } };
  const at = positionOf(broken, 'refrence');
  const actions = await client.request<{ title: string; edit: { changes: Record<string, Edit[]> } }[]>(
    'textDocument/codeAction',
    { ...td, range: { start: at, end: at }, context: { diagnostics: [] } },
  );
  assert.is(actions[0]!.title, "Change to 'reference'");
  const fixed = applyEdits(broken, actions[0]!.edit.changes[uri]!);
  assert.not.ok(checkSource(fixed, brokenPath).diagnostics.some((d) => d.message.includes('refrence')));

  const duplicate = await openText(tint.replace('  model cnn =', '  model clothes ='));
  const related = duplicate.published.diagnostics.find((d) => d.code === 'S1002')!;
  const info = related.relatedInformation![0]!;
  assert.is(info.location.uri, duplicate.td.textDocument.uri);
  assert.equal((info.location.range as { start: object }).start, positionOf(tint, 'clothes'));
  assert.match(related.relatedInformation![0]!.message, 'first declared here');
});

test('quick fixes: a missing attribute is inserted, a contradicted shift kind becomes the inferred one', async () => {
  const missing = tint.replace('    baseline from_scratch\n', '');
  const m = await openText(missing);
  const s2003 = m.published.diagnostics.find((d) => d.code === 'S2003')!;
  const [add] = await client.request<{ title: string; edit: { changes: Record<string, Edit[]> } }[]>(
    'textDocument/codeAction',
    { ...m.td, range: s2003.range, context: { diagnostics: [s2003] } },
  );
  assert.is(add!.title, "Add 'baseline'");
  const added = applyEdits(missing, add!.edit.changes[m.td.textDocument.uri]!);
  assert.match(
    added,
    '    shifts [tint_bias, flip]\n    metric accuracy\n    scale probit\n    interval 95%\n    baseline from_scratch\n  }',
  );
  assert.not.ok(
    checkSource(added, 'x.study').diagnostics.some((d) => d.severity === 'error'),
    added,
  );

  const contradicted = tint.replace('shift tint_bias: in_support', 'shift tint_bias: out_of_support');
  const c = await openText(contradicted);
  const s5003 = c.published.diagnostics.find((d) => d.code === 'S5003')!;
  const [kind] = await client.request<{ edit: { changes: Record<string, Edit[]> } }[]>('textDocument/codeAction', {
    ...c.td,
    range: s5003.range,
    context: { diagnostics: [s5003] },
  });
  assert.is(applyEdits(contradicted, kind!.edit.changes[c.td.textDocument.uri]!), tint);
});

test('completion: attributes not yet present (with docs), names of accepted kinds, builtins after = and |, enum values', async () => {
  const text = tint
    .replace('    copies 2\n  }', '    copies 2\n    \n  }')
    .replace('  recipe finetune {', '  recipe tuned { optimizer  }\n  recipe finetune {');
  const { td } = await openText(text);
  const attributes = await client.request<Item[]>('textDocument/completion', {
    ...td,
    position: positionOf(text, '    \n  }', 4),
  });
  const labels = attributes.map((i) => i.label);
  assert.ok(labels.includes('limit') && labels.includes('balanced_by'), labels.join());
  for (const present of ['model', 'train', 'recipe', 'checkpoints', 'copies'])
    assert.not.ok(labels.includes(present), present);
  assert.match(attributes.find((i) => i.label === 'limit')!.documentation!.value, 'train on at most N examples');
  assert.equal(await completeAt(td, positionOf(text, 'optimizer  }', 10)), ['adam', 'sgd', 'adamw']);
  assert.equal(await completeAt(td, positionOf(text, 'model cnn\n', 6)), ['cnn']);
  assert.ok((await completeAt(td, positionOf(text, 'train reference\n', 6))).includes('random_tint'));
  assert.ok((await completeAt(td, positionOf(text, 'mnist {', 0))).includes('fashion_mnist'));
  assert.ok((await completeAt(td, positionOf(text, '| vflip', 2))).includes('rotate'));
  assert.ok((await completeAt(td, positionOf(text, 'convnet', 0))).includes('resnet'));
  assert.equal(await completeAt(td, positionOf(text, 'robustness.fine_tuned.flip', 'robustness.fine_tuned.'.length)), [
    'tint_bias',
    'flip',
  ]);
});

test('expect: completion of functions (signature, docs), trained models, splits and parts, by [..] attributes', async () => {
  const text = readFileSync(join(repoRoot, 'examples/complementary.study'), 'utf8');
  const claim = 'expect accuracy(pretrained, reference.test) > accuracy(scratch, reference.test) - 0.05';
  const withLine = (line: string, extra = '') => text.replace(claim, `${extra}${line}`);
  const at = async (line: string, extra = '') => {
    const edited = withLine(line, extra);
    const { td } = await openText(edited);
    return client.request<(Item & { detail?: string })[]>('textDocument/completion', {
      ...td,
      position: positionOf(edited, line, line.length),
    });
  };
  // A number operand: comparisons and every function of the one table, each with its signature and doc.
  const operand = await at('expect accuracy(pretrained, reference.test) > ');
  const labels = operand.map((item) => item.label);
  for (const name of ['gains', 'abs', 'min', 'max', 'accuracy', 'worst_group_accuracy', 'auroc'])
    assert.ok(labels.includes(name), name);
  const accuracy = operand.find((item) => item.label === 'accuracy')!;
  assert.is(accuracy.detail, 'accuracy(model, split)');
  assert.match(accuracy.documentation!.value, 'accuracy of a trained model on a split, averaged over its copies');
  assert.match(operand.find((item) => item.label === 'max')!.documentation!.value, 'takes 2 or more arguments');
  // The model argument: trained models only; the split argument: distributions (and support splits), then splits.
  assert.equal((await at('expect accuracy(')).map((item) => item.label).sort(), [
    'both',
    'broad',
    'dfr',
    'pretrained',
    'scratch',
  ]);
  const splitArgument = (await at('expect accuracy(dfr, ')).map((item) => item.label);
  assert.ok(splitArgument.includes('target') && !splitArgument.includes('dfr'), splitArgument.join());
  assert.equal(
    (await at('expect accuracy(dfr, target.')).map((item) => item.label),
    ['train', 'val', 'test'],
  );
  const parts = 'split parts = support(mixed) { classifier broad }\n  ';
  assert.equal(
    (await at('expect accuracy(dfr, parts.', parts)).map((item) => item.label),
    ['in_support', 'out_of_support'],
  );
  // After the split of a worst-group metric: `by`; inside `by [`: what the measured data records.
  assert.equal(
    (await at('expect worst_group_accuracy(both, target.test, ')).map((item) => item.label),
    ['by'],
  );
  const groups = (await at('expect worst_group_accuracy(both, target.test, by [')).map((item) => item.label);
  assert.ok(groups.includes('label') && groups.includes('tint'), groups.join());
  assert.not.ok(groups.includes('dfr'));
});

test('expect: hover on a function shows its signature, doc and arguments', async () => {
  const path = join(repoRoot, 'examples/complementary.study');
  const text = readFileSync(path, 'utf8');
  const { td } = await openText(text);
  const metric = await hoverAt(td, positionOf(text, 'worst_group_accuracy(dfr', 3));
  assert.match(metric!.contents.value, 'worst_group_accuracy(model, split)');
  assert.match(metric!.contents.value, 'takes 2 arguments');
  assert.match(metric!.contents.value, '`split`: a distribution split like `reference.test`');
  assert.match(metric!.contents.value, '`by [ATTRIBUTES]`');
  const max = await hoverAt(td, positionOf(text, 'max(gains', 1));
  assert.match(max!.contents.value, 'max(a, b, …)');
  assert.match(max!.contents.value, 'largest of two or more values');
  // Off the function's name, the claim's own hover (its recorded value or "not run yet").
  const claim = await hoverAt(td, positionOf(text, 'gains.dfr.mixed) - 0.01', 2));
  assert.not.match(claim!.contents.value, 'takes 2');
});

test('a file that does not parse: hover and completion from the recovered tree; formatting refused', async () => {
  const text = broken.replace('refrence | vflip', 'refrence | vflip |');
  const { td, published } = await openText(text);
  assert.ok(published.diagnostics.some((d) => d.code === 'S0002'));
  assert.match((await hoverAt(td, positionOf(text, 'cnn', 1, 1)))!.contents.value, 'model cnn');
  assert.match((await hoverAt(td, positionOf(text, 'tint', 1)))!.contents.value, 'transform tint');
  assert.ok((await completeAt(td, positionOf(text, 'vflip |', 7))).includes('rotate'));
  assert.ok((await completeAt(td, positionOf(text, '    train reference', 4))).includes('copies'));
  const refused = await client
    .request('textDocument/formatting', { ...td, options: { tabSize: 2, insertSpaces: true } })
    .then(
      () => 'formatted',
      (error: Error) => error.message,
    );
  assert.match(refused, /^cannot format: \d+ syntax errors? \(first on line \d+/);
});

test('definition, references and rename (refusing a clash), expect paths included', async () => {
  const { td, published } = await openText(tint);
  assert.is(published.diagnostics.length, checkSource(tint, tintPath).diagnostics.length);
  const use = positionOf(tint, 'fine_tuned.flip');
  const definition = await client.request<{ range: { start: { line: number } } }>('textDocument/definition', {
    ...td,
    position: use,
  });
  assert.is(definition.range.start.line, positionOf(tint, 'arm fine_tuned').line);
  const refs = await client.request<unknown[]>('textDocument/references', {
    ...td,
    position: use,
    context: { includeDeclaration: true },
  });
  assert.is(refs.length, tint.match(/\bfine_tuned\b/g)!.length);
  const renamed = await client.request<{ changes: Record<string, Edit[]> }>('textDocument/rename', {
    ...td,
    position: use,
    newName: 'pretrained',
  });
  const after = applyEdits(tint, renamed.changes[td.textDocument.uri]!);
  assert.is(after, tint.replace(/\bfine_tuned\b/g, 'pretrained'));
  assert.equal(checkSource(after, tintPath).diagnostics.length, checkSource(tint, tintPath).diagnostics.length);
  const clash = await client.request('textDocument/rename', { ...td, position: use, newName: 'from_scratch' }).then(
    () => 'renamed',
    (e: Error) => e.message,
  );
  assert.match(clash, "'from_scratch' is already declared");
  const keyword = await client.request('textDocument/rename', { ...td, position: use, newName: 'arm' }).then(
    () => 'renamed',
    (e: Error) => e.message,
  );
  assert.match(keyword, 'keyword');
});

test('hover on an expect: the recorded value and run date from results/<study>/results.json, else "not run yet"', async () => {
  const fixture = join(repoRoot, 'test/report/fixtures/results.json');
  const results = JSON.parse(readFileSync(fixture, 'utf8')) as {
    study: { source: string };
    createdAt: string;
    expectations: { source: string; value: number; passed: boolean }[];
  };
  const notRun = await openText(tint, 'never-run.study', mkdtempSync(join(tmpdir(), 'lsp-norun-')));
  assert.match((await hoverAt(notRun.td, positionOf(tint, 'expect robustness', 8)))!.contents.value, 'not run yet');

  const dir = mkdtempSync(join(tmpdir(), 'lsp-results-'));
  mkdirSync(join(dir, 'results/tint_and_flip'), { recursive: true });
  writeFileSync(join(dir, 'results/tint_and_flip/results.json'), readFileSync(fixture));
  const source = results.study.source;
  const ran = await openText(source, 'tint_and_flip.study', dir);
  const first = results.expectations[0]!;
  const value = (await hoverAt(ran.td, positionOf(source, first.source, 2)))!.contents.value;
  assert.match(value, results.createdAt.slice(0, 10));
  assert.match(value, first.passed ? 'holds' : 'fails');
  assert.match(value, `${first.value >= 0 ? '+' : ''}${first.value.toFixed(4)}`);
  assert.match(value, /ER [+-]\d\.\d{4} \[/);
  // A comparison member: the arm named in `arms [...]` shows its recorded ER on each shift.
  const full = await openText(tint, 'member.study', dir);
  const member = (await hoverAt(full.td, positionOf(tint, 'arms [', 6)))!.contents.value;
  assert.match(member, `last run ${results.createdAt.slice(0, 10)}`);
  const arm = tint.slice(tint.indexOf('arms [') + 6).match(/^\w+/)![0];
  assert.match(member, new RegExp(`- ${arm} on \\w+: [+-]\\d\\.\\d{4} \\[`));
  rmSync(dir, { recursive: true });
});

// ---------------------------------------------------------------- families

/** The members the checker expanded a family into, by its typed study (not by the server's own code). */
function membersOf(text: string, family: string): string[] {
  const typed = checkSource(text, sweepPath).study!;
  const named = [...typed.distributions, ...typed.shifts, ...typed.groups, ...typed.compares].map((d) => d.name);
  return named.filter((name) => name.startsWith(`${family}[`));
}
const rangeText = (text: string, range: Edit['range']) => {
  const lines = text.split('\n');
  return lines[range.start.line]!.slice(range.start.character, range.end.character);
};

test('families: hover on a family, on a member reference (literal, by index, unknown) and on an index', async () => {
  const text = sweep.replace(
    '\n  expect[p',
    '\n  compare late { arms [ft[0.9]], baseline scratch[0.9], shifts [tint[0.9]] }\n\n  expect[p',
  );
  const { td, published } = await openText(text, 'sweep-hover.study');
  assert.is(published.diagnostics.filter((d) => d.severity === 1).length, 0);
  const ft = membersOf(text, 'ft');
  assert.is(ft.length, 3);
  const family = (await hoverAt(td, positionOf(text, 'arm ft', 4)))!.contents.value;
  assert.match(family, `arm ft[p]`);
  assert.match(family, `a family of ${ft.length} members: ${ft.join(', ')}`);
  // Each member resolved: its training distribution's chain carries that member's p.
  for (const member of ft) assert.match(family, `**${member}**`);
  assert.match(family, /spurious 0\.5[\s\S]*spurious 0\.7[\s\S]*spurious 0\.9/);

  const literal = (await hoverAt(td, positionOf(text, 'arms [ft[0.9]]', 7)))!;
  assert.match(literal.contents.value, 'the member ft[0.9] of the family `ft[p]`');
  assert.match(literal.contents.value, /train:\n```shiftlab\n[^`]*spurious 0\.9/);
  assert.not.match(literal.contents.value, 'spurious 0.5');
  const range = (literal as unknown as { range: Edit['range'] }).range;
  assert.is(rangeText(text, range), 'ft[0.9]');

  const byIndex = (await hoverAt(td, positionOf(text, '= reference[p] ->', 3)))!.contents.value;
  assert.match(byIndex, 'distribution reference[p]');
  assert.match(byIndex, 'in each member of tint, the one with the same p');
  assert.match(byIndex, membersOf(text, 'reference').join(', '));

  const index = (await hoverAt(td, positionOf(text, 'spurious p', 9)))!.contents.value;
  assert.match(index, 'index p');
  assert.match(index, 'an index of distribution reference');
  assert.match(index, 'values: 0.5, 0.7, 0.9');

  const unknown = text.replace('arms [ft[0.9]]', 'arms [ft[0.95]]');
  const u = await openText(unknown, 'sweep-unknown.study');
  assert.ok(u.published.diagnostics.some((d) => d.message.includes("did you mean 'ft[0.9]'")));
  const missing = (await hoverAt(u.td, positionOf(unknown, 'ft[0.95]', 1)))!.contents.value;
  assert.match(missing, `no member ft[0.95]; the family's members: ${ft.join(', ')}`);
});

test('families: completion of member index values, members and expect paths through members', async () => {
  const inIndex = sweep.replace('arms [ft[p]]', 'arms [ft[]]');
  const a = await openText(inIndex, 'sweep-complete-1.study');
  const values = await completeAt(a.td, positionOf(inIndex, 'arms [ft[]]', 'arms [ft['.length));
  assert.equal(values, ['0.5', '0.7', '0.9', '*', 'p']);

  const inList = sweep.replace('arms [ft[p]]', 'arms []');
  const b = await openText(inList, 'sweep-complete-2.study');
  assert.equal(await completeAt(b.td, positionOf(inList, 'arms []', 'arms ['.length)), [
    'ft',
    ...membersOf(sweep, 'ft'),
  ]);

  const expect = sweep.replace('expect at[0.9].ft[0.9].tint[0.9] >', 'expect at[0.9]. >');
  const c = await openText(expect, 'sweep-complete-3.study');
  assert.equal(await completeAt(c.td, positionOf(expect, 'expect at[0.9]. >', 'expect at[0.9].'.length)), ['ft[0.9]']);
  const shift = sweep.replace('expect at[0.9].ft[0.9].tint[0.9] >', 'expect at[0.9].ft[0.9]. >');
  const d = await openText(shift, 'sweep-complete-4.study');
  assert.equal(
    await completeAt(d.td, positionOf(shift, 'expect at[0.9].ft[0.9]. >', 'expect at[0.9].ft[0.9].'.length)),
    ['tint[0.9]'],
  );
});

test('families: definition and references of members and indices; rename renames every member reference', async () => {
  const { td } = await openText(sweep, 'sweep-rename.study');
  const memberUse = positionOf(sweep, 'at[0.9].ft[0.9]', 'at[0.9].'.length);
  const definition = await client.request<{ range: Edit['range'] }>('textDocument/definition', {
    ...td,
    position: memberUse,
  });
  assert.equal(definition.range.start, positionOf(sweep, 'arm ft', 4));
  const refs = await client.request<{ range: Edit['range'] }[]>('textDocument/references', {
    ...td,
    position: memberUse,
    context: { includeDeclaration: true },
  });
  const written = sweep.match(/\bft\[/g)!.length;
  assert.is(refs.length, written);
  assert.ok(refs.every((r) => rangeText(sweep, r.range) === 'ft'));

  const renamed = await client.request<{ changes: Record<string, Edit[]> }>('textDocument/rename', {
    ...td,
    position: memberUse,
    newName: 'tuned',
  });
  const after = applyEdits(sweep, renamed.changes[td.textDocument.uri]!);
  assert.is(after, sweep.replace(/\bft\[/g, 'tuned['));
  assert.equal(checkSource(after, sweepPath).diagnostics, []);
  assert.equal(
    membersOf(after, 'tuned'),
    membersOf(sweep, 'ft').map((m) => m.replace('ft[', 'tuned[')),
  );

  for (const [newName, refusal] of [
    ['scratch', "'scratch' is already declared"],
    ['p', "'p' is a family index"],
  ]) {
    const message = await client.request('textDocument/rename', { ...td, position: memberUse, newName }).then(
      () => 'renamed',
      (e: Error) => e.message,
    );
    assert.match(message, refusal!);
  }

  // A plain declaration sharing a family's bare name (`recipe scratch`, `baseline scratch[p]`) renames alone.
  const recipe = await client.request<{ changes: Record<string, Edit[]> }>('textDocument/rename', {
    ...td,
    position: positionOf(sweep, 'recipe scratch {', 8),
    newName: 'from_scratch',
  });
  const recipeRenamed = applyEdits(sweep, recipe.changes[td.textDocument.uri]!);
  assert.is(recipeRenamed, sweep.replace(/\bscratch\b(?!\[)/g, 'from_scratch'));
  assert.equal(checkSource(recipeRenamed, sweepPath).diagnostics, []);

  // An index: defined in its own declaration, renamed there only.
  const indexUse = positionOf(sweep, 'train reference[p], recipe finetune', 'train reference['.length);
  const indexDefinition = await client.request<{ range: Edit['range'] }>('textDocument/definition', {
    ...td,
    position: indexUse,
  });
  assert.equal(indexDefinition.range.start, positionOf(sweep, 'arm ft[p', 7));
  const index = await client.request<{ changes: Record<string, Edit[]> }>('textDocument/rename', {
    ...td,
    position: indexUse,
    newName: 'q',
  });
  const armLine = sweep.split('\n').find((line) => line.startsWith('  arm ft['))!;
  const renamedIndex = applyEdits(sweep, index.changes[td.textDocument.uri]!);
  assert.is(renamedIndex, sweep.replace(armLine, armLine.replace(/\bp\b/g, 'q')));
  assert.equal(checkSource(renamedIndex, sweepPath).diagnostics, []);
});

test('families: a comparison member shows its recorded value with the run date', async () => {
  const fixture = JSON.parse(readFileSync(join(repoRoot, 'test/report/fixtures/results.json'), 'utf8')) as {
    study: { name: string };
    createdAt: string;
    comparisons: { name: string; arms: Record<string, Record<string, { er: number }>> }[];
  };
  // The fixture's first recorded result, filed under the family's member names (the schema is the real one).
  const [first] = fixture.comparisons;
  const [arm] = Object.values(first!.arms);
  const result = Object.values(arm!)[0]!;
  const results = {
    ...fixture,
    study: { ...fixture.study, name: 'spurious_sweep' },
    comparisons: [{ ...first, name: 'at[0.9]', arms: { 'ft[0.9]': { 'tint[0.9]': result } } }],
    expectations: [],
  };
  const dir = mkdtempSync(join(tmpdir(), 'lsp-sweep-'));
  mkdirSync(join(dir, 'results/spurious_sweep'), { recursive: true });
  writeFileSync(join(dir, 'results/spurious_sweep/results.json'), JSON.stringify(results));
  const ran = await openText(sweep, 'spurious_sweep.study', dir);
  const value = (await hoverAt(ran.td, positionOf(sweep, 'arms [ft[p]]', 7)))!.contents.value;
  assert.match(value, `last run ${fixture.createdAt.slice(0, 10)}`);
  const signed = `${result.er >= 0 ? '+' : ''}${result.er.toFixed(4)}`;
  assert.match(value, `- at[0.9]: ft[0.9] on tint[0.9]: ${signed} [`);
  rmSync(dir, { recursive: true });
});

test('semantic tokens: each declared name by its kind, declarations marked, in the legend the server announced', async () => {
  const { td } = await openText(tint);
  const { data } = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', td);
  const tokens: { line: number; character: number; length: number; type: string; declaration: boolean }[] = [];
  for (let i = 0, line = 0, character = 0; i < data.length; i += 5) {
    line += data[i]!;
    character = data[i]! === 0 ? character + data[i + 1]! : data[i + 1]!;
    tokens.push({
      line,
      character,
      length: data[i + 2]!,
      type: legend.tokenTypes[data[i + 3]!]!,
      declaration: (data[i + 4]! & (1 << legend.tokenModifiers.indexOf('declaration'))) !== 0,
    });
  }
  const at = (needle: string, delta: number, nth = 0) => {
    const p = positionOf(tint, needle, delta, nth);
    return tokens.find((t) => t.line === p.line && t.character === p.character);
  };
  assert.equal(at('model cnn', 6), {
    ...positionOf(tint, 'model cnn', 6),
    length: 3,
    type: 'class',
    declaration: true,
  });
  assert.equal(at('recipe finetune', 7)?.type, 'function');
  assert.is(at('recipe finetune', 7)?.declaration, true);
  // A use: the same kind, not a declaration.
  const use = at('model cnn', 6, 1)!;
  assert.equal([use.type, use.declaration], ['class', false]);
});

test('a crashing request is answered with an error and the server keeps serving; an unopened file is an error too', async () => {
  const { td } = await openText(tint);
  const crashed = await client.request('textDocument/hover', { ...td, position: null }).then(
    () => 'answered',
    (e: Error) => e.message,
  );
  assert.match(crashed, 'shiftlab hover failed');
  const missing = await client
    .request('textDocument/hover', {
      textDocument: { uri: pathToFileURL('/nowhere.study').href },
      position: { line: 0, character: 0 },
    })
    .then(
      () => 'answered',
      (e: Error) => e.message,
    );
  assert.match(missing, 'document not open');
  assert.match((await hoverAt(td, positionOf(tint, 'cnn', 1, 1)))!.contents.value, 'model cnn');
});

test('a 1 MB study is checked off the connection: a small file answers meanwhile, cancellation answers, only the latest version publishes', async () => {
  const big = bigStudy({ bytes: 1_000_000 });
  assert.ok(big.length >= 1_000_000);
  const edited = big.replace('    model cnn_7\n', '    model cnn_oops\n');
  assert.is.not(edited, big);
  const small = await openText(tint, 'small-beside-big.study');
  const path = join(repoRoot, 'test/lsp/fixtures/big.study');
  const uri = await client.open(path, big, 1);
  const td = { textDocument: { uri } };
  const events: string[] = [];
  // Answered once version 1 is analysed; meanwhile a hover on the small file must not wait for it.
  const bigSymbols = client
    .request<{ children: unknown[] }[]>('textDocument/documentSymbol', td)
    .then((symbols) => (events.push('big outline'), symbols));
  const smallHover = hoverAt(small.td, positionOf(tint, 'cnn', 1, 1)).then(
    (hover) => (events.push('small hover'), hover),
  );
  await client.change(uri, 2, edited);
  const bigPublished = client.diagnostics(uri, 2).then((published) => (events.push('big diagnostics'), published));
  assert.match((await smallHover)!.contents.value, 'model cnn');
  assert.ok((await bigSymbols)[0]!.children.length > 1000);

  const published = await bigPublished;
  assert.equal(events, ['small hover', 'big outline', 'big diagnostics']);
  // Whether version 1's analysis finishes before the edit arrives depends on the machine; what must hold is
  // that nothing stale is published once version 2 is: version 1 at most once, and only before it.
  const versions = client.publishedFor(uri).map((p) => p.version);
  assert.ok(['2', '1,2'].includes(versions.join(',')), `published versions ${versions.join(', ')}`);
  const errors = published.diagnostics.filter((d) => d.severity === 1);
  assert.equal(
    errors.map((d) => [d.code, d.range.start.line]),
    checkSource(edited, path)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => [d.code, d.span.line - 1]),
  );
  assert.ok(errors.some((d) => d.message.includes('cnn_oops')));

  // A request on a new version, cancelled at once, is answered as cancelled: that version is not analysed yet.
  await client.change(uri, 3, big);
  const source = new CancellationTokenSource();
  const cancelled = client.request('textDocument/documentSymbol', td, source.token).then(
    () => 'answered',
    (error: { code?: number }) => error.code,
  );
  source.cancel();
  assert.is(await cancelled, LSPErrorCodes.RequestCancelled);
  const fixed = await client.diagnostics(uri, 3);
  assert.is(fixed.diagnostics.filter((d) => d.severity === 1).length, 0);
  // Requests on the big file are answered from the latest version.
  const symbols = await client.request<{ children: unknown[] }[]>('textDocument/documentSymbol', td);
  assert.ok(symbols[0]!.children.length > 1000);
  assert.match((await hoverAt(td, positionOf(big, 'cnn_500', 1)))!.contents.value, 'model cnn_500');
  // And a change to the small file is still checked.
  await client.change(small.td.textDocument.uri, ++version, broken.replace('refrence', 'reference'));
  const after = await client.diagnostics(small.td.textDocument.uri, version);
  assert.not.ok(after.diagnostics.some((d) => d.message.includes('refrence')));
});

test.run();
