import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createProgressReporter, describeEvent, progressMode } from '../../cli/progress.ts';
import type { ExecEvent } from '../../runtime/exec/index.ts';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY, columns: 120 },
  );
  return { stream, text: () => chunks.join('') };
}

const source = { file: 'toy.study', line: 7, column: 3, text: 'train broken on mnist' };
const run: ExecEvent[] = [
  { type: 'plan-start', total: 3, cached: 1, toRun: 2, workers: 2 },
  { type: 'job-done', jobId: 'load:mnist#0', kind: 'load', cached: true, seconds: 0 },
  { type: 'job-start', jobId: 'train:a#0', kind: 'train', worker: 0 },
  { type: 'job-progress', jobId: 'train:a#0', worker: 0, epoch: 2, epochs: 4, loss: 0.5 },
  { type: 'job-done', jobId: 'train:a#0', kind: 'train', cached: false, seconds: 1.25 },
  { type: 'job-start', jobId: 'train:b#0', kind: 'train', worker: 1 },
  { type: 'job-failed', jobId: 'train:b#0', kind: 'train', message: 'NaN loss', source },
  { type: 'plan-done', ran: 1, cached: 1, failed: 1, skipped: 0, seconds: 2, interrupted: false },
];

test('mode: --json wins, then --quiet or a non-terminal gives plain lines, else the live display', () => {
  assert.is(progressMode({ json: true, stream: sink(true).stream }), 'json');
  assert.is(progressMode({ quiet: true, stream: sink(true).stream }), 'plain');
  assert.is(progressMode({ stream: sink(false).stream }), 'plain');
  assert.is(progressMode({ stream: sink(true).stream }), 'live');
});

test('plain output: one line per event, cache hits summed up, failures quote their study line', () => {
  const out = sink(false);
  const reporter = createProgressReporter({ stream: out.stream });
  for (const event of run) reporter.onEvent(event);
  assert.equal(out.text().split('\n'), [
    'plan: 3 jobs, 1 cached, 2 to run on 2 workers',
    'start  train:a#0 (worker 0)',
    'epoch  train:a#0 2/4 loss 0.5000',
    'done   train:a#0 in 1.3s',
    'start  train:b#0 (worker 1)',
    'FAILED train:b#0 (train) at toy.study:7:3: NaN loss',
    '  7 | train broken on mnist',
    'finished with failures: 1 ran, 1 cached, 1 failed, 0 skipped in 2.0s',
    '',
  ]);
});

test('an interrupted run says how to resume; a corrupt entry says it re-runs', () => {
  assert.match(
    describeEvent({ type: 'plan-done', ran: 2, cached: 0, failed: 0, skipped: 3, seconds: 1, interrupted: true })!,
    'run again to resume',
  );
  assert.is(
    describeEvent({ type: 'cache-corrupt', jobId: 'train:a#0', hash: 'h', reason: 'weights.bin: checksum mismatch' }),
    'cache entry for train:a#0 is corrupt (weights.bin: checksum mismatch); re-running',
  );
});

test('json output: every event as one JSON line', () => {
  const out = sink(true);
  const reporter = createProgressReporter({ json: true, stream: out.stream });
  for (const event of run) reporter.onEvent(event);
  const lines = out.text().trim().split('\n');
  assert.equal(
    lines.map((line) => JSON.parse(line)),
    run,
  );
});

test('live display on a terminal shows overall counts and each worker with its epoch and loss', () => {
  const out = sink(true);
  const reporter = createProgressReporter({ stream: out.stream });
  assert.is(reporter.mode, 'live');
  for (const event of run.slice(0, 4)) reporter.onEvent(event);
  reporter.stop();
  const screen = out.text();
  assert.match(screen, '1/3 done, 1 running, 1 queued');
  assert.match(screen, /worker 0 .*train:a#0 {2}epoch 2\/4 {2}loss 0\.5000/);
  reporter.stop();
});

test('live display of a plan with nothing to run draws no bars, only the closing line', () => {
  const out = sink(true);
  const reporter = createProgressReporter({ stream: out.stream });
  reporter.onEvent({ type: 'plan-start', total: 3, cached: 3, toRun: 0, workers: 2 });
  reporter.onEvent({ type: 'job-done', jobId: 'load:mnist#0', kind: 'load', cached: true, seconds: 0 });
  reporter.onEvent({ type: 'plan-done', ran: 0, cached: 3, failed: 0, skipped: 0, seconds: 0.1, interrupted: false });
  reporter.stop();
  assert.is(out.text(), 'finished: 0 ran, 3 cached, 0 failed, 0 skipped in 0.1s\n');
});

test('live display shows elapsed time in whole seconds', async () => {
  const out = sink(true);
  const reporter = createProgressReporter({ stream: out.stream });
  reporter.onEvent(run[0]!);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  reporter.onEvent(run[2]!);
  reporter.stop();
  // A fractional 1.1 s once came out as "10s" (the bar library keeps the last two characters).
  assert.match(out.text(), /queued {2}\ds/);
  assert.not.match(out.text(), /queued {2}\d{2}s/);
});

test.run();
