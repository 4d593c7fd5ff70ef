// `objective …` on arms, end to end through the language: planned from a .study, run in-process, and judged
// by the worst group of the target (the misaligned examples), which each objective must raise over ERM.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TrainJobSpec } from '../../runtime/jobs/specs.ts';
import { runStudy } from '../../runtime/study/run.ts';
import { plannedFixture } from '../helpers/planned.ts';

const { plan, source, dir, cache, job } = plannedFixture(
  fileURLToPath(new URL('./fixtures/objectives.study', import.meta.url)),
  'shiftlab-objectives-',
);
const worstGroup = (arm: string) =>
  (
    JSON.parse(
      readFileSync(join(cache, job(`metric:${arm}#0 on target.test by aligned`).hash, 'metrics.json'), 'utf8'),
    ) as {
      values: { worst_group_accuracy: number };
    }
  ).values.worst_group_accuracy;

/** The margin each objective must clear over ERM's worst group (ERM ≈ 0.16 here; the objectives reach 0.4–0.5). */
const MARGIN = 0.15;

test('each arm trains with its objective, every parameter defaulted in the hashed spec; ERM has none', () => {
  const spec = (arm: string) => job(`train:${arm}#0`).spec as unknown as TrainJobSpec;
  assert.is(spec('erm').objective, undefined);
  assert.equal(spec('reweighted').objective, { kind: 'group_reweighting', params: { groups: ['aligned'] } });
  assert.equal(spec('dro').objective, {
    kind: 'group_dro',
    params: { groups: ['label', 'aligned'], eta: 0.01, adjustment: 0 },
  });
  assert.equal(spec('jtt').objective, { kind: 'jtt', params: { epochs: 1, upweight: 20 } });
});

test('the study runs in-process', async () => {
  const outcome = await runStudy(plan, {
    cacheDir: cache,
    outDir: join(dir, 'out'),
    workers: 0,
    meta: { source: source },
  });
  assert.ok(outcome.ok, outcome.failedJobs.map((failure) => failure.message).join('\n'));
});

test('ERM fails the misaligned examples (the premise)', () => {
  assert.ok(worstGroup('erm') < 0.3, `ERM worst group ${worstGroup('erm')}`);
});

for (const arm of ['reweighted', 'dro', 'jtt']) {
  test(`objective of arm ${arm} raises the target's worst group over ERM by ≥ ${MARGIN}`, () => {
    assert.ok(worstGroup(arm) >= worstGroup('erm') + MARGIN, `${arm} ${worstGroup(arm)} vs ERM ${worstGroup('erm')}`);
  });
}

test.run();
