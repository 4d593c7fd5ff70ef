// Stages and sbatch scripts on a hand-made plan; the scripts are run by bash with a fake `sbatch` and a
// fake shiftlab that record their arguments, so quoting and chaining are checked by behaviour, not by text.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planStages, slurmScripts, type GeneratedFile, type SlurmScriptInput } from '../../compiler/slurm/index.ts';
import type { Job, Plan } from '../../runtime/plan.ts';

function job(id: string, deps: string[] = []): Job {
  return { id, kind: 'train', spec: {}, deps, hash: `h-${id}` };
}

// load → transform → two trains → metric over both, plus an independent load.
const plan: Plan = {
  formatVersion: 1,
  study: { name: 'tiny', file: 'tiny.study', seed: 0 },
  hash: 'f'.repeat(64),
  jobs: [
    job('load:digits'),
    job('transform:ref', ['load:digits']),
    job('train:a#0', ['transform:ref']),
    job('train:a#1', ['transform:ref']),
    job('metric:a', ['train:a#0', 'train:a#1', 'transform:ref']),
    job('load:other'),
  ],
};

const ids = (stages: ReturnType<typeof planStages>) => stages.map((stage) => stage.jobs.map((j) => j.id));

test('stages are topological levels, jobs in plan order', () => {
  assert.equal(ids(planStages(plan)), [
    ['load:digits', 'load:other'],
    ['transform:ref'],
    ['train:a#0', 'train:a#1'],
    ['metric:a'],
  ]);
  assert.equal(
    planStages(plan).map((stage) => stage.index),
    [0, 1, 2, 3],
  );
});

test('cached jobs are left out and do not hold their dependants back; empty stages vanish', () => {
  assert.equal(ids(planStages(plan, new Set(['load:digits', 'transform:ref', 'load:other']))), [
    ['train:a#0', 'train:a#1'],
    ['metric:a'],
  ]);
  assert.equal(ids(planStages(plan, new Set(['load:digits', 'transform:ref', 'train:a#0', 'load:other']))), [
    ['train:a#1'],
    ['metric:a'],
  ]);
  assert.equal(planStages(plan, new Set(plan.jobs.map((j) => j.id))), []);
});

test('a dependency on an unknown job or a cycle is an error', () => {
  assert.throws(() => planStages({ ...plan, jobs: [job('a', ['ghost'])] }), /'a' depends on 'ghost'/);
  assert.throws(() => planStages({ ...plan, jobs: [job('a', ['b']), job('b', ['a'])] }), /cycle/);
});

// ---------------------------------------------------------------- scripts

function generate(dir: string, cached: string[] = [], resources: SlurmScriptInput['resources'] = {}): GeneratedFile[] {
  const files = slurmScripts({
    plan,
    stages: planStages(plan, new Set(cached)),
    studyFile: join(dir, 'my study.study'),
    cacheDir: join(dir, "it's cache"),
    outDir: join(dir, 'out dir'),
    command: [join(dir, 'fake shiftlab')],
    resources,
  });
  mkdirSync(join(dir, 'out dir'), { recursive: true });
  for (const file of files) {
    writeFileSync(join(dir, 'out dir', file.path), file.content);
    if (file.executable) chmodSync(join(dir, 'out dir', file.path), 0o755);
  }
  return files;
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab slurm-'));
  // Fake shiftlab: prints each argument on its own line.
  writeFileSync(join(dir, 'fake shiftlab'), '#!/bin/bash\nprintf "%s\\n" "$@"\n');
  chmodSync(join(dir, 'fake shiftlab'), 0o755);
  // Fake sbatch: records its arguments (one per line, calls separated by ---) and prints "id;cluster".
  mkdirSync(join(dir, 'bin'));
  writeFileSync(
    join(dir, 'bin', 'sbatch'),
    '#!/bin/bash\nn=$(( $(cat "$FAKE_DIR/count" 2>/dev/null || echo 100) + 1 )); echo $n > "$FAKE_DIR/count"\n' +
      'printf "%s\\n" "$@" --- >> "$FAKE_DIR/calls"; echo "$n;ci"\n',
  );
  chmodSync(join(dir, 'bin', 'sbatch'), 0o755);
  return dir;
}

const file = (files: GeneratedFile[], path: string) => files.find((f) => f.path === path)?.content ?? '';

test('one job list and array script per stage, plus submit.sh; array ranges match the job lists', () => {
  const dir = scratch();
  const files = generate(dir);
  assert.equal(
    files.map((f) => f.path),
    [
      'stage-0.jobs',
      'stage-0.sbatch',
      'stage-1.jobs',
      'stage-1.sbatch',
      'stage-2.jobs',
      'stage-2.sbatch',
      'stage-3.jobs',
      'stage-3.sbatch',
      'submit.sh',
    ],
  );
  assert.is(file(files, 'stage-2.jobs'), 'train:a#0\ntrain:a#1\n');
  assert.match(file(files, 'stage-0.sbatch'), /^#SBATCH --array=0-1$/m);
  assert.match(file(files, 'stage-1.sbatch'), /^#SBATCH --array=0-0$/m);
  assert.match(file(files, 'stage-2.sbatch'), /^#SBATCH --kill-on-invalid-dep=yes$/m);
});

test('resources become #SBATCH directives, only when given', () => {
  const dir = scratch();
  const plain = file(generate(dir), 'stage-0.sbatch');
  assert.not.match(plain, /--partition|--cpus-per-task|--mem|--time|--gres/);
  const rich = file(
    generate(dir, [], {
      partition: 'gpu',
      cpus: 4,
      mem: '8G',
      time: '01:00:00',
      gres: 'gpu:1',
    }),
    'stage-0.sbatch',
  );
  for (const line of ['--partition=gpu', '--cpus-per-task=4', '--mem=8G', '--time=01:00:00', '--gres=gpu:1']) {
    assert.match(rich, new RegExp(`^#SBATCH ${line}$`, 'm'));
  }
});

test('a task runs the job on its line, with paths containing spaces and quotes intact', () => {
  const dir = scratch();
  generate(dir);
  const result = spawnSync('bash', [join(dir, 'out dir', 'stage-2.sbatch')], {
    encoding: 'utf8',
    env: { ...process.env, SLURM_ARRAY_TASK_ID: '1' },
  });
  assert.is(result.status, 0, result.stderr);
  const args = result.stdout.split('\n').filter((line) => !line.startsWith('shiftlab: '));
  assert.equal(args.slice(0, 9), [
    'run',
    join(dir, 'my study.study'),
    '--job',
    'train:a#1',
    '--cache',
    join(dir, "it's cache"),
    '--workers',
    '0',
    '--quiet',
  ]);
});

test('a task past the end of its job list fails', () => {
  const dir = scratch();
  generate(dir);
  const result = spawnSync('bash', [join(dir, 'out dir', 'stage-1.sbatch')], {
    encoding: 'utf8',
    env: { ...process.env, SLURM_ARRAY_TASK_ID: '1' },
  });
  assert.is(result.status, 1);
  assert.match(result.stderr, /no job on line 2/);
});

test('submit.sh submits the stages in order, each afterok on the previous, and prints their ids', () => {
  const dir = scratch();
  generate(dir, ['load:digits', 'load:other']); // the first level is cached: three stages remain
  const result = spawnSync('bash', [join(dir, 'out dir', 'submit.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      FAKE_DIR: dir,
    },
  });
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stdout, 'stage-0 101\nstage-1 102\nstage-2 103\n');
  const calls = readFileSync(join(dir, 'calls'), 'utf8')
    .split('---\n')
    .filter(Boolean)
    .map((call) => call.trimEnd().split('\n'));
  assert.is(calls.length, 3);
  assert.equal(calls[0], [
    '--parsable',
    `--chdir=${join(dir, 'out dir')}`,
    `--output=${join(dir, 'out dir', 'logs', 'stage-0_%A_%a.out')}`,
    join(dir, 'out dir', 'stage-0.sbatch'),
  ]);
  assert.ok(calls[1]!.includes('--dependency=afterok:101'));
  assert.ok(calls[2]!.includes('--dependency=afterok:102'));
  assert.is(calls[2]!.at(-1), join(dir, 'out dir', 'stage-2.sbatch'));
  assert.is(readFileSync(join(dir, 'out dir', 'stage-0.jobs'), 'utf8'), 'transform:ref\n');
});

test('with everything cached, submit.sh submits nothing and says so', () => {
  const dir = scratch();
  const files = generate(
    dir,
    plan.jobs.map((j) => j.id),
  );
  assert.equal(
    files.map((f) => f.path),
    ['submit.sh'],
  );
  const result = spawnSync('bash', [join(dir, 'out dir', 'submit.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      FAKE_DIR: dir,
    },
  });
  assert.is(result.status, 0);
  assert.is(result.stdout, '');
  assert.match(result.stderr, /nothing to submit/);
});

test('a literal % in the output directory is escaped in the log pattern', () => {
  const files = slurmScripts({
    plan,
    stages: planStages(plan),
    studyFile: '/s.study',
    cacheDir: '/c',
    outDir: '/runs/100%',
    command: ['shiftlab'],
    resources: {},
  });
  assert.match(file(files, 'submit.sh'), /--output=\/runs\/100%%\/logs\/stage-0_%A_%a\.out/);
});

test.run();
