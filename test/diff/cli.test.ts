import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot, runCli } from '../helpers/cli.ts';
import { base, edit } from './helpers.ts';

const changed = edit(
  base,
  ['copies 2\n', 'copies 3\n'],
  ['flipped = reference | vflip', 'flipped = reference | hflip'],
  ['interval 95%', 'interval 90%'],
  ['title "Spurious', 'title "A spurious'],
);

const cli = suite('shiftlab diff (CLI)');
let dir = '';
cli.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'shiftlab-diff-'));
  writeFileSync(join(dir, 'old.study'), base);
  writeFileSync(join(dir, 'new.study'), changed);
  writeFileSync(join(dir, 'same.study'), `// reformatted\n${base.replace(/\n\s*\n/g, '\n')}`);
  writeFileSync(join(dir, 'broken.study'), edit(base, ['lr 3e-4', 'lr fast']));
});
cli.after(() => rmSync(dir, { recursive: true, force: true }));

cli('markdown output matches the golden file (one row per change, pipes escaped)', () => {
  const result = runCli(['diff', 'old.study', 'new.study', '--format', 'markdown'], { cwd: dir });
  assert.is(result.status, 0, result.stderr);
  const golden = join(repoRoot, 'test/diff/golden/changes.md');
  if (process.env.UPDATE_GOLDEN) writeFileSync(golden, result.stdout);
  assert.fixture(result.stdout, readFileSync(golden, 'utf8'));
});

cli('json is versioned: formatVersion, changes with their impact, total impact', () => {
  const result = runCli(['diff', 'old.study', 'new.study', '--format', 'json'], { cwd: dir });
  assert.is(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assert.is(json.formatVersion, 1);
  assert.equal(Object.keys(json).sort(), ['changes', 'formatVersion', 'impact', 'new', 'old', 'semanticChange']);
  assert.is(json.changes.length, 4);
  const classes = Object.fromEntries(
    json.changes.map((c: { kind: string; impact: { class: string } }) => [c.kind, c.impact.class]),
  );
  assert.equal(classes, { study: 'cosmetic', distribution: 're-evaluates', baseline: 'retrains', compare: 'analysis' });
  const baseline = json.changes.find((c: { kind: string }) => c.kind === 'baseline');
  assert.equal(baseline.attributes, [{ attribute: 'copies', old: '2', new: '3' }]);
  // The training run and its checkpoints at epochs 4..11 (epoch 12 is the final model itself).
  assert.equal(baseline.impact.retrains, [{ model: 'from_scratch', jobs: 1 + 8, sampleEpochs: 12000 * 0.9 * 12 }]);
  assert.is(json.impact.class, 'retrains');
});

cli('text by default, no colour off a TTY; --exit-code 1 on changes, 0 without', () => {
  const result = runCli(['diff', 'old.study', 'new.study', '--exit-code'], { cwd: dir });
  assert.is(result.status, 1);
  assert.match(result.stdout, 'baseline from_scratch: copies 2 → 3');
  assert.match(result.stdout, 'retrains from_scratch (129,600 samples × epochs');
  assert.not.match(result.stdout, '\x1b[');
  const same = runCli(['diff', 'old.study', 'same.study', '--exit-code'], { cwd: dir });
  assert.is(same.status, 0, same.stderr);
  assert.match(same.stdout, 'no semantic change');
});

cli('a broken study gives its diagnostics and exit 2, not a crash', () => {
  for (const args of [
    ['old.study', 'broken.study'],
    ['broken.study', 'old.study'],
  ]) {
    const result = runCli(['diff', ...args, '--exit-code'], { cwd: dir });
    assert.is(result.status, 2);
    assert.match(result.stderr, /broken\.study:\d+:\d+: error S\d{4}/);
    assert.match(result.stderr, 'shiftlab: broken.study has errors');
    assert.not.match(result.stderr, '    at ');
  }
  assert.is(runCli(['diff', 'old.study'], { cwd: dir }).status, 2);
  assert.is(runCli(['diff', 'old.study', 'new.study', '--format', 'yaml'], { cwd: dir }).status, 2);
  assert.is(runCli(['diff', 'old.study', 'missing.study'], { cwd: dir }).status, 2);
});

cli.run();

const git = suite('shiftlab diff with git');
let repo = '';
const run = (args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1', HOME: repo },
  });
git.before(() => {
  repo = mkdtempSync(join(tmpdir(), 'shiftlab-diff-git-'));
  run(['init', '-q']);
  run(['config', 'user.email', 'test@example.com']);
  run(['config', 'user.name', 'test']);
  writeFileSync(join(repo, '.gitattributes'), '*.study diff=study\n');
  run(['config', 'diff.study.command', `"${process.execPath}" "${join(repoRoot, 'bin/shiftlab.mjs')}" diff`]);
  writeFileSync(join(repo, 'study.study'), base);
  run(['add', '.']);
  run(['commit', '-q', '-m', 'base']);
  writeFileSync(join(repo, 'study.study'), changed);
});
git.after(() => rmSync(repo, { recursive: true, force: true }));

git('a real `git diff` runs shiftlab as the external diff driver (7 arguments)', () => {
  const output = run(['diff']);
  assert.match(output, 'a/study.study → b/study.study: 4 changes');
  assert.match(output, 'baseline from_scratch: copies 2 → 3');
  assert.match(output, 'retrains from_scratch');
});

git('a file added in the working tree shows as a whole new study', () => {
  writeFileSync(join(repo, 'extra.study'), base);
  run(['add', 'extra.study']);
  const output = run(['diff', '--cached', '--', 'extra.study']);
  run(['rm', '-q', '--cached', 'extra.study']);
  rmSync(join(repo, 'extra.study'));
  assert.match(output, '/dev/null → b/extra.study: 1 change');
  assert.match(output, 'study tint_and_flip added');
});

git('--git REV compares the working tree against a revision', () => {
  const result = runCli(['diff', '--git', 'HEAD', '--format', 'json'], { cwd: repo });
  assert.is(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assert.is(json.files.length, 1);
  assert.is(json.files[0].old.file, 'HEAD:study.study');
  assert.is(json.files[0].changes.length, 4);
  const named = runCli(['diff', '--git', 'HEAD', '--exit-code', '--', 'study.study'], { cwd: repo });
  assert.is(named.status, 1);
  assert.match(named.stdout, 'HEAD:study.study → study.study: 4 changes');
  const bad = runCli(['diff', '--git', 'no-such-rev'], { cwd: repo });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, 'shiftlab: ');
});

git.run();
