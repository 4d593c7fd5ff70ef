// Pins the job hash of every job of every study, example and bench study. A refactor must leave these
// identical (the cache stays valid); a change that means to alter what a job computes updates the golden
// file with UPDATE_GOLDEN=1 and says why in its commit.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planFile } from '../../compiler/plan/index.ts';
import { repoRoot } from '../helpers/cli.ts';

const golden = join(repoRoot, 'test/plan/golden/hashes.json');
const folders = ['examples', 'studies', 'bench/studies'];

function currentHashes(): Record<string, Record<string, string>> {
  const hashes: Record<string, Record<string, string>> = {};
  for (const folder of folders) {
    for (const name of readdirSync(join(repoRoot, folder))
      .filter((entry) => entry.endsWith('.study'))
      .sort()) {
      const planned = planFile(join(repoRoot, folder, name));
      assert.ok(planned.plan, `${folder}/${name}: ${planned.diagnostics.map((d) => d.message).join('; ')}`);
      hashes[`${folder}/${name}`] = Object.fromEntries(planned.plan!.jobs.map((job) => [job.id, job.hash]));
    }
  }
  return hashes;
}

test('every job of every study plans to its pinned hash', () => {
  const hashes = currentHashes();
  if (process.env.UPDATE_GOLDEN) writeFileSync(golden, `${JSON.stringify(hashes, null, 1)}\n`);
  const pinned = JSON.parse(readFileSync(golden, 'utf8')) as typeof hashes;
  assert.equal(Object.keys(hashes), Object.keys(pinned), 'the set of pinned studies');
  for (const [study, jobs] of Object.entries(pinned)) {
    const changed = Object.entries(jobs)
      .filter(([id, hash]) => hashes[study]![id] !== hash)
      .map(([id]) => id);
    const added = Object.keys(hashes[study]!).filter((id) => !(id in jobs));
    assert.equal({ changed, added }, { changed: [], added: [] }, `${study}: jobs whose hash moved or that are new`);
  }
});

test.run();
