// `shiftlab compile`: the emitted script builds the planner's plan (every example), runs to the same
// results as `shiftlab run`, keeps hostile study strings inert, type-checks, and the committed compiled
// example matches what `compile` produces now.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Node, Project, SyntaxKind } from 'ts-morph';
import { format, resolveConfig } from 'prettier';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateStudy } from '../../bench/lib/generated-study.ts';
import { compileSource } from '../../compiler/emit/index.ts';
import { planSource } from '../../compiler/plan/index.ts';
import type { Plan } from '../../runtime/plan.ts';
import type { Results } from '../../runtime/results.ts';
import { repoRoot, runCli } from '../helpers/cli.ts';

const examples = join(repoRoot, 'examples');
const tiny = join(repoRoot, 'test/emit/fixtures/tiny.study');

/** A scratch ES-module package where `shiftlab/runtime` resolves as in a user's project (node_modules/shiftlab → this repo). */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-emit-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules/shiftlab'), 'dir');
  return dir;
}
const scratch = workspace();
test.after(() => rmSync(scratch, { recursive: true, force: true }));

/** Compiled for a script saved in `scriptDir` (default: the scratch package, where importScript writes it). */
async function compile(source: string, file: string, scriptDir = scratch): Promise<string> {
  const { code, diagnostics } = await compileSource(source, file, { scriptDir });
  assert.ok(code, diagnostics.map((d) => d.message).join('\n'));
  return code!;
}

/** Writes the script and imports it (importing builds `plan` and runs nothing). */
async function importScript(code: string, name: string): Promise<{ plan: Plan }> {
  const path = join(scratch, `${name}.ts`);
  writeFileSync(path, code);
  return (await import(pathToFileURL(path).href)) as { plan: Plan };
}

/** The script's type errors under the repository tsconfig, as `line: message` (checked in memory, never written). */
function typeErrors(code: string, name: string): string[] {
  const project = new Project({ tsConfigFilePath: join(repoRoot, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  const file = project.createSourceFile(join(repoRoot, `examples/__compiled_${name}__.ts`), code, { overwrite: true });
  return file.getPreEmitDiagnostics().map((d) => `${d.getLineNumber()}: ${JSON.stringify(d.getMessageText())}`);
}

/** The script builds the planner's plan of `source` (same jobs, ids, hashes) and has no type errors. */
async function assertPlansAndTypeChecks(code: string, source: string, file: string, name: string): Promise<void> {
  const { plan } = await importScript(code, `${name}_compiled`);
  assert.equal(plan, planSource(source, file).plan!);
  assert.equal(typeErrors(code, name), []);
}

// The emitter lays out code itself (one prettier call per shape of section); prettier with the repository's
// options must find nothing to change, for every example, every study, hostile strings and the 1,000-arm study.
const prettierOptions = resolveConfig(join(repoRoot, 'examples/compiled.ts')).then((options) => ({
  ...options,
  parser: 'typescript',
}));

async function assertPrettierLayout(code: string): Promise<void> {
  assert.ok(code === (await format(code, await prettierOptions)), 'prettier changes the compiled script');
}

for (const name of readdirSync(examples).filter((file) => file.endsWith('.study'))) {
  test(`compiled ${name} builds the planner's plan (same jobs, ids, hashes) and is already prettier's layout`, async () => {
    const file = `examples/${name}`;
    const source = readFileSync(join(repoRoot, file), 'utf8');
    const code = await compile(source, file);
    await assertPrettierLayout(code);
    const { plan } = await importScript(code, name.replace('.study', ''));
    const expected = planSource(source, file).plan!;
    assert.is(plan.hash, expected.hash);
    assert.equal(plan, expected);
  });
}

test("a compiled script saved elsewhere reads the study's input files from the study's folder", async () => {
  const folder = mkdtempSync(join(tmpdir(), 'shiftlab-emit-study-'));
  mkdirSync(join(folder, 'data'));
  writeFileSync(join(folder, 'data/points.csv'), 'u,y\n0.1,0\n0.9,1\n0.2,0\n0.8,1\n0.3,0\n0.7,1\n');
  const file = join(folder, 'points.study');
  const source = [
    'study points {',
    '  data points = csv "data/points.csv" { label "y", test 2 }',
    '  model lin = mlp { hidden [] }',
    '  recipe fit { epochs 3 }',
    '  baseline line { model lin, train points, recipe fit, checkpoints 1..3 }',
    '}',
    '',
  ].join('\n');
  writeFileSync(file, source);
  const expected = planSource(source, file).plan;
  assert.ok(
    expected?.jobs.some((job) => job.inputs?.[0]?.path === 'data/points.csv'),
    'the study reads the CSV',
  );
  const code = await compile(source, file);
  assert.match(code, "new URL('../");
  const { plan } = await importScript(code, 'points');
  assert.equal(plan, expected);
  rmSync(folder, { recursive: true, force: true });
});

test('the committed examples/tint_and_flip.ts is what compile produces now (no drift)', async () => {
  const source = readFileSync(join(examples, 'tint_and_flip.study'), 'utf8');
  const committed = readFileSync(join(examples, 'tint_and_flip.ts'), 'utf8');
  assert.ok(
    committed === (await compile(source, 'examples/tint_and_flip.study', examples)),
    'regenerate: shiftlab compile examples/tint_and_flip.study -o examples/tint_and_flip.ts',
  );
});

test('the script imports only node: modules and shiftlab/runtime', async () => {
  const code = await compile(readFileSync(tiny, 'utf8'), 'tiny.study');
  const project = new Project({ useInMemoryFileSystem: true });
  const modules = project
    .createSourceFile('script.ts', code)
    .getImportDeclarations()
    .map((d) => d.getModuleSpecifierValue());
  assert.ok(
    modules.every((module) => module === 'shiftlab/runtime' || module.startsWith('node:')),
    modules.join(', '),
  );
});

// A title and comments no script may be broken by: quotes, backticks, ${…}, */, a newline, a U+2028.
const HOSTILE = 'A "quoted" `tick` ${process.exit(3)} */ end\nsecond line \u2028 third\\';
const hostileStudy = readFileSync(tiny, 'utf8')
  .replace('title "Tiny: compiled vs run"', `title ${JSON.stringify(HOSTILE).replace('\\u2028', '\\u{2028}')}`)
  .replace('seed 3', 'seed 3 // */ ${process.exit(4)} `\u2028 process.exit(5)');

test('hostile strings stay literals: the title round-trips exactly and no statement is added', async () => {
  const plain = await compile(readFileSync(tiny, 'utf8'), 'tiny.study');
  const code = await compile(hostileStudy, 'tiny.study');
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('hostile.ts', code);
  assert.equal(
    file.getPreEmitDiagnostics().filter((d) => d.getCategory() === 1 && d.getCode() < 2000),
    [],
  );
  assert.is(file.getStatements().length, project.createSourceFile('plain.ts', plain).getStatements().length);
  const builder = file
    .getDescendantsOfKind(SyntaxKind.NewExpression)
    .find((node) => node.getExpression().getText() === 'StudyBuilder')!;
  const title = builder
    .getArguments()[0]!
    .asKindOrThrow(SyntaxKind.ObjectLiteralExpression)
    .getPropertyOrThrow('title');
  const initializer = title.asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerOrThrow();
  assert.ok(Node.isStringLiteral(initializer));
  assert.is(initializer.getLiteralValue(), HOSTILE);
  // The study text itself comes back whole, and importing the script runs none of it.
  const { plan } = await importScript(code, 'hostile');
  assert.is(plan.hash, planSource(hostileStudy, 'tiny.study').plan!.hash);
});

// Prettier's layout for the cases the examples' test above does not compile.
const prettierCases: [string, () => string][] = [
  ...readdirSync(join(repoRoot, 'studies'))
    .filter((file) => file.endsWith('.study'))
    .map((file): [string, () => string] => [
      `studies/${file}`,
      () => readFileSync(join(repoRoot, 'studies', file), 'utf8'),
    ]),
  ['tiny.study', () => hostileStudy],
  // Lists short enough for one line: the span table and the source are left to prettier whole.
  ['short.study', () => 'study short {\n  data d = mnist { train 100, test 50 }\n}\n'],
  ['bench/generated.study', () => generateStudy(1000)],
];
for (const [file, source] of prettierCases)
  test(`compiled ${file} is already prettier's layout (the repository's options)`, async () => {
    await assertPrettierLayout(await compile(source(), file));
  });

test('the emitted script type-checks under the repository tsconfig', async () => {
  const code = await compile(hostileStudy, 'tiny.study');
  assert.equal(typeErrors(code, 'check'), []);
});

test('compile CLI: stdout, -o, errors exit 1, missing file exit 2, --help', () => {
  const stdout = runCli(['compile', 'test/emit/fixtures/tiny.study']);
  assert.is(stdout.status, 0, stdout.stderr);
  assert.match(stdout.stdout, "from 'shiftlab/runtime'");
  const out = join(scratch, 'cli.ts');
  assert.is(runCli(['compile', 'test/emit/fixtures/tiny.study', '-o', out]).status, 0);
  // They differ only in where the script finds the study's folder: from the current directory (stdout), or from -o's.
  const dirLine = /\n\s*dir: fileURLToPath\(new URL\('([^']*)', import\.meta\.url\)\),/;
  assert.is(stdout.stdout.match(dirLine)?.[1], 'test/emit/fixtures/');
  assert.is(
    readFileSync(out, 'utf8').match(dirLine)?.[1],
    `${relative(scratch, join(repoRoot, 'test/emit/fixtures'))}/`,
  );
  assert.is(readFileSync(out, 'utf8').replace(dirLine, ''), stdout.stdout.replace(dirLine, ''));
  const broken = join(scratch, 'broken.study');
  writeFileSync(broken, readFileSync(tiny, 'utf8').replace('model net, train', 'model nett, train'));
  const errors = runCli(['compile', broken]);
  assert.is(errors.status, 1);
  assert.match(errors.stderr, 'nett');
  assert.is(errors.stdout, '');
  assert.is(runCli(['compile', join(scratch, 'missing.study')]).status, 2);
  const help = runCli(['compile', '--help']);
  assert.is(help.status, 0);
  assert.match(help.stdout, '-o, --output');
});

test('running the compiled script gives the same results.json as shiftlab run (same seed and backend)', async () => {
  const script = join(scratch, 'tiny_run.ts');
  writeFileSync(script, await compile(readFileSync(tiny, 'utf8'), tiny));
  const common = ['--backend', 'cpu', '--workers', '2'];
  const viaRun = runCli([
    'run',
    tiny,
    '--cache',
    join(scratch, 'cache-run'),
    '--out',
    join(scratch, 'out-run'),
    '--quiet',
    ...common,
  ]);
  assert.is(viaRun.status, 0, viaRun.stderr);
  const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
  const viaScript = spawnSync(
    process.execPath,
    [tsx, script, '--cache', join(scratch, 'cache-script'), '--out', join(scratch, 'out-script'), ...common],
    {
      cwd: scratch,
      encoding: 'utf8',
    },
  );
  assert.is(viaScript.status, 0, viaScript.stderr);
  const read = (dir: string) => {
    const results = JSON.parse(readFileSync(join(scratch, dir, 'results.json'), 'utf8')) as Results;
    return { ...results, createdAt: null, pool: null };
  };
  const [a, b] = [read('out-run'), read('out-script')];
  assert.ok(a.expectations.length > 0 && a.comparisons.length > 0);
  assert.equal(b, a);
});

test('a runtime error in the compiled script names the .study line of the failing job', async () => {
  const diverging = readFileSync(tiny, 'utf8').replace(
    'recipe fit { epochs 1 }',
    'recipe fit { optimizer sgd, lr 1e30 }',
  );
  const script = join(scratch, 'tiny_diverging.ts');
  writeFileSync(script, await compile(diverging, tiny));
  const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
  const result = spawnSync(
    process.execPath,
    [
      tsx,
      script,
      '--cache',
      join(scratch, 'cache-diverging'),
      '--out',
      join(scratch, 'out-diverging'),
      '--backend',
      'cpu',
      '--workers',
      '0',
    ],
    {
      cwd: scratch,
      encoding: 'utf8',
    },
  );
  assert.is(result.status, 1, result.stderr);
  const armLine = diverging.split('\n').findIndex((line) => line.includes('arm tuned')) + 1;
  assert.match(result.stderr, `${tiny}:${armLine}: arm tuned { init broad`);
  assert.match(result.stderr, /train:tuned#0 failed: training diverged/);
});

test('a family compiles to one call in a loop over its values (same plan), and the script type-checks', async () => {
  const file = 'examples/spurious_sweep.study';
  const source = readFileSync(join(repoRoot, file), 'utf8');
  const code = await compile(source, file);
  // One call per family, not one per member: reference, scratch, ft, at over p, and the claims over [0.5, 0.7].
  for (const method of ['distribution', 'baseline', 'arm', 'compare'])
    assert.is(code.match(new RegExp(`study\\.${method}\\(\\s*\`[a-z_]+\\[\\$\\{p\\}\\]\``, 'g'))?.length, 1, method);
  assert.is(code.match(/for \(const p of \[0\.5, 0\.7, 0\.9\]\)/g)?.length, 4);
  assert.match(code, 'for (const p of [0.5, 0.7])');
  assert.not.match(code, "'ft[0.7]', {");
  // A member named outside its family's loop is read from the family's record.
  assert.match(code, 'compare: at_[0.9]');
  await assertPlansAndTypeChecks(code, source, file, 'loops');
});

test('a grid family and an index in every value position compile to loops (same plan), and the script type-checks', async () => {
  const source = [
    'study grid {',
    '  data digits = mnist { train 300, test 100 }',
    '  data sized[n in [200, 300]] = mnist { train n, test 100 }',
    '  distribution small_ref[n] = sized[n] | tint { strength 0.25, spurious 0.5 }',
    '  distribution reference[p in [0.5, 0.9]] = digits | tint { strength 0.25, spurious p }',
    '  distribution random_tint = digits | tint { strength 0.25, spurious 0 }',
    '  shift tint[p]: in_support = reference[p] -> random_tint',
    '  model net[w in [8, 16]] = mlp { hidden [w, w] }',
    '  recipe fit { epochs 3 }',
    '  baseline scratch[p] { model net[8], train reference[p], recipe fit, checkpoints 1..3 }',
    '  baseline small[n] { model net[8], train small_ref[n], recipe fit, checkpoints 1..3 }',
    '  arm g[p in [0.5, 0.9], e in [1, 2]] { model net[16], train reference[p], recipe fit { epochs e }, copies e }',
    '  arm wide[w] { model net[w], train reference[0.5], recipe fit }',
    '  compare c[p] { arms [g[p, *]], baseline scratch[p], shifts [tint[p]] }',
    '  compare all { arms [g[*, *], wide[*]], baseline scratch[0.5], shifts [tint[*]] }',
    '  expect[p in [0.5, 0.9], e in [1, 2]] c[p].g[p, e].tint[p] > -1',
    '  expect all.wide[16].tint[0.9] > all.wide[8].tint[0.9] - 1',
    '}',
  ].join('\n');
  const code = await compile(source, 'grid.study');
  // The grid: nested loops, first index outermost, its record keyed as its members are named.
  assert.match(
    code,
    'for (const p of [0.5, 0.9])\n  for (const e of [1, 2])\n    g[`${p}, ${e}`] = study.arm(\n      `g[${p}, ${e}]`',
  );
  // The index in a recipe override, an attribute, a list and a source parameter.
  assert.match(code, 'recipe: recipe({ epochs: e })');
  assert.match(code, 'copies: e,');
  assert.match(code, 'hidden: [w, w]');
  assert.match(code, "study.data(`sized[${n}]`, { kind: 'mnist', params: { train: n, test: 100 } }");
  // Members of the grid: at the loop's index, at fixed values, and every member (`g[*, *]`).
  assert.match(code, 'arms: [g[`${p}, 1`], g[`${p}, 2`]]');
  assert.match(code, "arms: [g['0.5, 1'], g['0.5, 2'], g['0.9, 1'], g['0.9, 2'], wide[8], wide[16]]");
  assert.match(code, 'for (const p of [0.5, 0.9])\n  for (const e of [1, 2])\n    study.expect(');
  // No member is a builder call of its own (a call's first argument is the name it declares).
  for (const member of ['g[0.5, 1]', 'c[0.9]', 'wide[8]', 'sized[200]', 'small_ref[300]'])
    assert.not.ok(code.includes(`(\n  '${member}',`) || code.includes(`('${member}',`), `${member} is written out`);
  await assertPlansAndTypeChecks(code, source, 'grid.study', 'grid');
});

test('model, recipe and shift families compile to records built in loops (same plan), and the script type-checks', async () => {
  const source = [
    'study specs {',
    '  data digits = mnist { train 300, test 100 }',
    '  distribution reference[p in [0.5, 0.9]] = digits | tint { strength 0.25, spurious p }',
    '  distribution random_tint = digits | tint { strength 0.25, spurious 0 }',
    '  shift tint[p]: in_support = reference[p] -> random_tint',
    '  model net[w in [8, 16]] = convnet { channels [w], dense 32 }',
    '  recipe r[e in [3, 4]] { epochs e, lr 0.01 }',
    '  baseline scratch[p] { model net[8], train reference[p], recipe r[3], checkpoints 1..3 }',
    '  arm wide[w] { model net[w], train reference[0.5], recipe r[4] }',
    '  arm long[e] { model net[16], train reference[0.9], recipe r[e] }',
    '  arm plain { model net[16], train reference[0.5], recipe r[3] }',
    '  compare all { arms [wide[*], long[*], plain], baseline scratch[0.5], shifts [tint[*]] }',
    '  expect all.plain.tint[0.9] > all.wide[8].tint[0.9] - 1',
    '}',
  ].join('\n');
  const code = await compile(source, 'specs.study');
  // Each family is one record, built by a loop over its values, and its members are read from it.
  assert.match(code, "for (const w of [8, 16]) net[w] = { kind: 'convnet', channels: [w], dense: 32 };");
  assert.match(code, 'for (const e of [3, 4]) r[e] = recipe({ lr: 0.01, epochs: e });');
  assert.match(
    code,
    'for (const p of [0.5, 0.9]) tint[p] = { name: `tint[${p}]`, from: reference[p], to: random_tint };',
  );
  for (const member of ['model: net[8]', 'model: net[16]', 'recipe: r[3]', 'recipe: r[4]', 'shift: tint[0.9]'])
    assert.match(code, member);
  // Inside a loop, a member at the loop's index is written in place as before.
  assert.match(code, "model: { kind: 'convnet', channels: [w], dense: 32 }");
  // No constant per member (`net_8_`, `r_3_`, `tint_0_5_`).
  assert.not.match(code, /\b(net|r|tint)_\d/);
  await assertPlansAndTypeChecks(code, source, 'specs.study', 'specs');
});

test('members that differ in more than the index stay written out one by one', async () => {
  // `interval q` with q in [90%, 95%] reaches the builder as 0.9 and 0.95, which a loop over q cannot write.
  const source = [
    'study s {',
    '  data digits = mnist { train 300, test 100 }',
    '  distribution reference[p in [0.5, 0.9]] = digits | tint { strength 0.25, spurious p }',
    '  distribution random_tint = digits | tint { strength 0.25, spurious 0 }',
    '  shift tint: in_support = reference[0.5] -> random_tint',
    '  model net = mlp { hidden [8] }',
    '  recipe fit { epochs 3 }',
    '  baseline scratch { model net, train reference[0.5], recipe fit, checkpoints 1..3 }',
    '  arm ft[p in [0.5, 0.9]] { model net, train reference[p], recipe fit }',
    '  compare c[q in [90%, 95%]] { arms [ft[*]], baseline scratch, shifts [tint], interval q }',
    '}',
  ].join('\n');
  const code = await compile(source, 's.study');
  assert.is(code.match(/for \(const p of \[0\.5, 0\.9\]\)/g)?.length, 2);
  assert.match(code, "study.compare(\n  'c[90%]'");
  assert.match(code, "study.compare(\n  'c[95%]'");
  const { plan } = await importScript(code, 'loops_fallback');
  assert.equal(plan, planSource(source, 's.study').plan!);
});

test.run();
