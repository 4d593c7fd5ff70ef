// Input files are part of the cache key (issue 14): editing a CSV, IDX file, model.json or weight shard changes
// exactly the jobs that read it and those downstream; relative paths resolve against the study's folder, so the
// hashes do not depend on the current directory; `check` reports a missing file at its string; `plan` names the
// file whose content changed. Real files in a temp dir, the real CLI where a user would see the result.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';
import { planFile, planStudy } from '../../compiler/plan/index.ts';
import { FileDigests } from '../../runtime/exec/file-digest.ts';
import { buildModel, saveModel } from '../../runtime/models/index.ts';
import type { Plan } from '../../runtime/plan.ts';
import { runCli } from '../helpers/cli.ts';
import { useCpu } from '../models/setup.ts';

const root = mkdtempSync(join(tmpdir(), 'shiftlab-inputs-'));
const studies = join(root, 'studies');
const data = join(studies, 'data');
const studyFile = join(studies, 'inputs.study');
test.after(() => rmSync(root, { recursive: true, force: true }));

/** Sixteen rows of two features, labels alternating; `shift` moves the first feature of class 1. */
function csvText(seed: number, shift = 1): string {
  const rows = Array.from({ length: 16 }, (_, i) => {
    const label = i % 2;
    return `${(label * shift + ((i * 7 + seed) % 10) / 20).toFixed(3)},${(((i * 3 + seed) % 10) / 10).toFixed(1)},${label}`;
  });
  return ['u,v,y', ...rows, ''].join('\n');
}

/** An IDX file of unsigned bytes with the given dimensions. */
function idxBytes(dims: number[], values: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((side, i) => header.writeUInt32BE(side, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(values)]);
}

// Two CSV sources (one trains `on_a`, one `on_b`), an IDX pair, and a TF.js layers model trained on `b`.
const STUDY = `study inputs {
  seed 1
  data a = csv "data/a.csv" { label "y", test 0.25 }
  data b = csv "data/b.csv" { label "y", test 0.25 }
  data grid = idx "data/images.idx" "data/labels.idx" { test 0.25 }
  model lin = mlp { hidden [] }
  model mine = load "model/model.json"
  recipe fit { epochs 3 }
  baseline on_a { model lin, train a, recipe fit, checkpoints 1..3 }
  baseline on_b { model mine, train b, recipe fit, checkpoints 1..3 }
  baseline on_grid { model lin, train grid, recipe fit, checkpoints 1..3 }
}
`;

mkdirSync(data, { recursive: true });
writeFileSync(studyFile, STUDY);
writeFileSync(join(data, 'a.csv'), csvText(1));
writeFileSync(join(data, 'b.csv'), csvText(2));
// Twelve 2×2 images, pixel values by index; labels alternate.
writeFileSync(
  join(data, 'images.idx'),
  idxBytes(
    [12, 2, 2],
    Array.from({ length: 48 }, (_, j) => (j * 37) % 256),
  ),
);
writeFileSync(
  join(data, 'labels.idx'),
  idxBytes(
    [12],
    Array.from({ length: 12 }, (_, n) => n % 2),
  ),
);

test.before(async () => {
  await useCpu();
  const model = buildModel({ kind: 'mlp', hidden: [] }, [2], 2, 3);
  await saveModel(model, join(studies, 'model'));
  model.dispose();
});

const hashes = (plan: Plan) => new Map(plan.jobs.map((job) => [job.id, job.hash]));

/** The ids of `roots` and every job that depends on them, directly or not. */
function downstream(plan: Plan, roots: string[]): string[] {
  const reached = new Set(roots);
  for (const job of plan.jobs) if (job.deps.some((dep) => reached.has(dep))) reached.add(job.id);
  return [...reached].sort();
}

/** The ids whose hash differs between two plans of the same study. */
function changed(before: Plan, after: Plan): string[] {
  const old = hashes(before);
  return after.jobs
    .filter((job) => old.get(job.id) !== job.hash)
    .map((job) => job.id)
    .sort();
}

function plan(): Plan {
  const planned = planFile(studyFile);
  assert.ok(planned.plan, planned.diagnostics.map((d) => d.message).join('\n'));
  return planned.plan!;
}

/** Plans, applies `edit`, plans again, restores the file; returns both plans. */
function acrossEdit(file: string, edit: (bytes: Buffer) => Buffer): [Plan, Plan] {
  const original = readFileSync(file);
  const before = plan();
  writeFileSync(file, edit(Buffer.from(original)));
  try {
    return [before, plan()];
  } finally {
    writeFileSync(file, original);
  }
}

test('the jobs that read user files record each file and its digest; the others record none', () => {
  const jobs = new Map(plan().jobs.map((job) => [job.id, job]));
  assert.equal(
    jobs.get('load:a')!.inputs!.map((input) => input.path),
    ['data/a.csv'],
  );
  assert.equal(
    jobs.get('load:grid')!.inputs!.map((input) => input.path),
    ['data/images.idx', 'data/labels.idx'],
  );
  // A layers model reads its model.json and the weight shard the manifest names.
  assert.equal(
    jobs.get('train:on_b#0')!.inputs!.map((input) => input.path),
    ['model/model.json', 'model/weights.bin'],
  );
  for (const id of ['transform:a', 'train:on_a#0', 'checkpoint:on_b#0@2'])
    assert.is(jobs.get(id)!.inputs, undefined, `${id} reads no user file`);
});

test('editing one CSV value changes exactly the jobs that read the file and those downstream', () => {
  const [before, after] = acrossEdit(join(data, 'a.csv'), (bytes) =>
    Buffer.from(bytes.toString('utf8').replace('\n0.050,', '\n0.060,')),
  );
  assert.ok(changed(before, after).length > 0);
  assert.equal(changed(before, after), downstream(before, ['load:a']));
  assert.ok(!changed(before, after).includes('load:b'));
});

test('editing one byte of an IDX file changes exactly the jobs that read it and those downstream', () => {
  const [before, after] = acrossEdit(join(data, 'images.idx'), (bytes) => {
    bytes[bytes.length - 1] ^= 1;
    return bytes;
  });
  assert.equal(changed(before, after), downstream(before, ['load:grid']));
});

test("editing a layers model's weight shard or model.json changes exactly the jobs that build it and those downstream", () => {
  const [before, after] = acrossEdit(join(studies, 'model', 'weights.bin'), (bytes) => {
    bytes[0] ^= 1;
    return bytes;
  });
  assert.equal(changed(before, after), downstream(before, ['train:on_b#0']));
  const [beforeJson, afterJson] = acrossEdit(join(studies, 'model', 'model.json'), (bytes) =>
    Buffer.from(bytes.toString('utf8').replace('"generatedBy":"shiftlab"', '"generatedBy":"someone else"')),
  );
  assert.equal(changed(beforeJson, afterJson), downstream(beforeJson, ['train:on_b#0']));
});

test('rewriting a file with the same content changes no hash', () => {
  const [before, after] = acrossEdit(join(data, 'b.csv'), (bytes) => bytes);
  assert.equal(changed(before, after), []);
});

interface PlanJson {
  status: Record<string, string>;
  changedInputs: Record<string, string[]>;
  plan: Plan;
}

function planJson(args: string[], cwd: string): PlanJson {
  const result = runCli(['plan', ...args, '--json'], { cwd });
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as PlanJson;
}

test('CLI: the study planned from its parent folder and from its own folder has the same hashes', () => {
  const fromParent = planJson(['studies/inputs.study', '--cache', join(root, 'cache-a')], root);
  const fromInside = planJson(['inputs.study', '--cache', join(root, 'cache-b')], studies);
  assert.equal(hashes(fromParent.plan), hashes(fromInside.plan));
  assert.is(fromParent.plan.hash, fromInside.plan.hash);
  assert.equal(hashes(fromParent.plan), hashes(plan()));
});

test('CLI: after a CSV edit, plan says "data changed" and run re-runs exactly the jobs downstream of it', () => {
  const cache = join(root, 'cache-run');
  // One run of the study with `mode` ('--quiet' or '--json'); the JSON events list the jobs it ran.
  const runIn = (mode: '--quiet' | '--json') => {
    const args = ['run', 'studies/inputs.study', '--cache', cache, '--out', join(root, 'out')];
    const result = runCli([...args, '--workers', '0', '--backend', 'cpu', mode], { cwd: root });
    assert.is(result.status, 0, result.stderr);
    return result;
  };
  const run = () => runIn('--quiet');
  const ranJobs = () => {
    const result = runIn('--json');
    return result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; jobId?: string; cached?: boolean })
      .filter((event) => event.type === 'job-done' && event.cached === false)
      .map((event) => event.jobId!)
      .sort();
  };
  run();
  const file = join(data, 'a.csv');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, original.replace('\n0.050,', '\n0.070,'));
  try {
    const text = runCli(['plan', 'studies/inputs.study', '--cache', cache], { cwd: root });
    assert.is(text.status, 0, text.stderr);
    assert.match(text.stdout, 'data changed: data/a.csv (read by load:a)');
    assert.not.match(text.stdout, 'data/b.csv');
    const json = planJson(['studies/inputs.study', '--cache', cache], root);
    assert.equal(json.changedInputs, { 'load:a': ['data/a.csv'] });
    const expected = downstream(json.plan, ['load:a']);
    assert.equal(
      Object.keys(json.status)
        .filter((id) => json.status[id] === 'run')
        .sort(),
      expected,
    );
    assert.equal(ranJobs(), expected);
  } finally {
    writeFileSync(file, original);
  }
});

test('CLI: check reports a missing input file at its string, with the resolved path, and exits 1', () => {
  const moved = join(data, 'b.csv');
  const keep = readFileSync(moved);
  rmSync(moved);
  try {
    const result = runCli(['check', 'inputs.study'], { cwd: studies });
    assert.is(result.status, 1, result.stderr);
    assert.match(result.stdout, `inputs.study:4:16: error S6001: input file not found: ${moved}`);
    const lines = result.stdout.split('\n');
    const at = lines.findIndex((line) => line.includes('data b = csv "data/b.csv"'));
    assert.ok(at >= 0, result.stdout);
    // The caret line underlines the string, quotes included.
    const column = lines[at]!.indexOf('"data/b.csv"');
    assert.is(lines[at + 1]!.indexOf('^'), column);
    assert.is(lines[at + 1]!.trim(), `^${'~'.repeat('"data/b.csv"'.length - 1)}`);
    assert.match(result.stdout, `relative paths resolve against the study file's folder, ${studies}`);
  } finally {
    writeFileSync(moved, keep);
  }
});

test("CLI: check reports a missing weight shard at the model's string, naming its model.json", () => {
  const shard = join(studies, 'model', 'weights.bin');
  const keep = readFileSync(shard);
  rmSync(shard);
  try {
    const result = runCli(['check', studyFile]);
    assert.is(result.status, 1, result.stderr);
    assert.match(result.stdout, `error S6001: input file not found: ${shard}`);
    assert.match(result.stdout, 'model mine = load "model/model.json"');
    assert.match(result.stdout, 'hint: model/model.json names it');
  } finally {
    writeFileSync(shard, keep);
  }
});

test('check reports an input path naming a folder as unreadable (S6002), at its string', () => {
  const source = STUDY.replace('idx "data/images.idx"', 'idx "data"');
  const { diagnostics } = checkSource(source, studyFile);
  const found = diagnostics.filter((d) => d.code === 'S6002');
  assert.is(found.length, 1, diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  assert.is(found[0]!.message, `cannot read input file ${data}: it is not a regular file`);
  assert.is(source.slice(found[0]!.span.start, found[0]!.span.end), '"data"');
});

test("a missing input file is reported beside the study's other errors, not only once they are fixed", () => {
  // An unknown name (S1001) and a wrong value type (S2002) elsewhere; the missing CSV and model still show.
  const source = STUDY.replace('data/a.csv', 'data/absent.csv')
    .replace('model/model.json', 'model/absent.json')
    .replace('train grid, recipe fit', 'train gird, recipe fit')
    .replace('model lin = mlp { hidden [] }', 'model lin = mlp { hidden "wide" }');
  const diagnostics = checkSource(source, studyFile).diagnostics.filter((d) => d.severity === 'error');
  const codes = diagnostics.map((d) => d.code).sort();
  assert.equal(codes, ['S1001', 'S2002', 'S6001', 'S6001'], diagnostics.map((d) => d.message).join('\n'));
  const missing = diagnostics.filter((d) => d.code === 'S6001').map((d) => source.slice(d.span.start, d.span.end));
  assert.equal(missing.sort(), ['"data/absent.csv"', '"model/absent.json"']);
});

/** A digest memo that counts how often each file is looked at. */
class CountingDigests extends FileDigests {
  readonly looks = new Map<string, number>();
  override digestSync(path: string) {
    this.looks.set(path, (this.looks.get(path) ?? 0) + 1);
    return super.digestSync(path);
  }
}

const checked = (source: string) => {
  const { study, diagnostics } = checkSource(source, studyFile);
  assert.ok(study, diagnostics.map((d) => d.message).join('\n'));
  return study!;
};

test('within one plan each input file is looked at once, however many jobs read it', () => {
  // Three copies of on_b each build the layers model from its files: three jobs read model.json and its shard.
  const source = STUDY.replace('train b, recipe fit,', 'train b, recipe fit, copies 3,');
  const digests = new CountingDigests(undefined);
  const planned = planStudy(checked(source), source, { digests });
  const readers = planned.jobs.filter((job) => job.inputs?.some((input) => input.path === 'model/model.json'));
  assert.is(readers.length, 3);
  assert.ok(digests.looks.size >= 6, [...digests.looks.keys()].join(', '));
  assert.equal([...new Set(digests.looks.values())], [1]);
});

test("a plan with the cache's digest memo does not re-read a file whose (path, size, mtime, inode) is unchanged", () => {
  const cache = mkdtempSync(join(tmpdir(), 'shiftlab-inputs-memo-'));
  const study = checked(STUDY);
  const hashOf = (digests: FileDigests) =>
    planStudy(study, STUDY, { digests }).jobs.find((job) => job.id === 'load:a')!.hash;
  // A whole-second mtime, so that it can be put back exactly after the edit below.
  const file = join(data, 'a.csv');
  const original = readFileSync(file);
  const second = 1_700_000_000;
  utimesSync(file, second, second);
  const first = hashOf(new FileDigests(cache));
  // Other bytes of the same length, in place (same inode), with the same mtime: only a read could tell.
  const edited = Buffer.from(original);
  edited[edited.length - 2] = edited[edited.length - 2] === 0x30 ? 0x31 : 0x30;
  writeFileSync(file, edited);
  utimesSync(file, second, second);
  try {
    assert.is(hashOf(new FileDigests(cache)), first, 'the memo answered: the file was not read');
    assert.is.not(hashOf(new FileDigests(undefined)), first, 'without the memo the edit is read');
  } finally {
    writeFileSync(file, original);
    rmSync(cache, { recursive: true, force: true });
  }
});

test('CLI: diff of two identical study texts that read files is still cosmetic', () => {
  const copy = join(studies, 'copy.study');
  cpSync(studyFile, copy);
  const result = runCli(['diff', studyFile, copy]);
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, 'no semantic change');
  rmSync(copy);
});

test.run();
