import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Cache, MANIFEST_FILE, type Manifest } from '../../runtime/exec/index.ts';

const HASH = 'a'.repeat(64);
const job = { id: 'train:x#0', kind: 'train' };

function freshCache(): Cache {
  return new Cache(join(mkdtempSync(join(tmpdir(), 'shiftlab-cache-')), 'cache'));
}

async function store(cache: Cache, files: Record<string, string>, hash = HASH) {
  const pending = await cache.begin(hash);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(pending.dir, name, '..'), { recursive: true });
    writeFileSync(join(pending.dir, name), content);
  }
  return cache.commit(pending, job);
}

test('a committed entry is found, with a manifest of sizes and checksums', async () => {
  const cache = freshCache();
  assert.equal(await cache.lookup(HASH), { status: 'missing' });
  assert.is(await store(cache, { 'weights/model.json': '{"w":1}', 'metrics.json': '{}' }), 'stored');
  const found = await cache.lookup(HASH);
  assert.is(found.status, 'hit');
  const manifest = JSON.parse(readFileSync(join(cache.entryDir(HASH), MANIFEST_FILE), 'utf8')) as Manifest;
  assert.is(manifest.jobId, job.id);
  assert.is(manifest.hash, HASH);
  assert.equal(
    manifest.files.map((file) => [file.path, file.size]),
    [
      ['metrics.json', 2],
      ['weights/model.json', 7],
    ],
  );
  assert.is(manifest.files[0].sha256, '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
});

test('a changed byte, a truncated file or a missing file makes the entry corrupt', async () => {
  const cache = freshCache();
  await store(cache, { 'a.bin': 'abcdef', 'b.bin': 'xyz' });
  assert.is((await cache.lookup(HASH)).status, 'hit');
  const a = join(cache.entryDir(HASH), 'a.bin');
  writeFileSync(a, 'abcdeX');
  assert.equal(await cache.lookup(HASH), { status: 'corrupt', reason: 'a.bin: checksum mismatch' });
  writeFileSync(a, 'abcdef');
  assert.is((await cache.lookup(HASH)).status, 'hit');
  truncateSync(a, 3);
  assert.equal(await cache.lookup(HASH), { status: 'corrupt', reason: 'a.bin: size 3, expected 6' });
  writeFileSync(a, 'abcdef');
  rmSync(join(cache.entryDir(HASH), 'b.bin'));
  assert.equal(await cache.lookup(HASH), { status: 'corrupt', reason: 'b.bin: missing' });
  rmSync(join(cache.entryDir(HASH), MANIFEST_FILE));
  assert.is((await cache.lookup(HASH)).status, 'corrupt');
});

test('first writer wins: a second commit of the same hash keeps the first entry', async () => {
  const cache = freshCache();
  const first = await cache.begin(HASH);
  const second = await cache.begin(HASH);
  writeFileSync(join(first.dir, 'out.txt'), 'first');
  writeFileSync(join(second.dir, 'out.txt'), 'second');
  assert.is(await cache.commit(first, job), 'stored');
  assert.is(await cache.commit(second, job), 'existing');
  assert.is(readFileSync(join(cache.entryDir(HASH), 'out.txt'), 'utf8'), 'first');
  assert.is((await cache.lookup(HASH)).status, 'hit');
});

test('a commit replaces a corrupt entry', async () => {
  const cache = freshCache();
  await store(cache, { 'out.txt': 'good' });
  writeFileSync(join(cache.entryDir(HASH), 'out.txt'), 'bad!');
  assert.is((await cache.lookup(HASH)).status, 'corrupt');
  assert.is(await store(cache, { 'out.txt': 'good' }), 'stored');
  assert.is((await cache.lookup(HASH)).status, 'hit');
  assert.is(readFileSync(join(cache.entryDir(HASH), 'out.txt'), 'utf8'), 'good');
});

test('many concurrent writers of one hash leave exactly one valid entry', async () => {
  const cache = freshCache();
  const outcomes = await Promise.all(
    Array.from({ length: 8 }, (_, i) => store(cache, { 'out.txt': `writer ${i}`, 'big.bin': 'x'.repeat(100_000 + i) })),
  );
  assert.is(outcomes.filter((outcome) => outcome === 'stored').length, 1);
  assert.is((await cache.lookup(HASH)).status, 'hit');
});

test('sweepTemp removes only temp dirs older than the limit', async () => {
  const cache = freshCache();
  const old = await cache.begin(HASH);
  const recent = await cache.begin(HASH);
  const weekAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
  utimesSync(old.dir, weekAgo, weekAgo);
  await cache.sweepTemp(7 * 24 * 3600 * 1000);
  assert.not.ok(existsSync(old.dir));
  assert.ok(existsSync(recent.dir));
});

/** `cache.lookup(hash)` in a fresh process, which has only the on-disk memo of earlier verifications. */
function lookupInFreshProcess(cache: Cache): string {
  const script = join(cache.dir, '..', 'lookup.mts');
  const runtime = new URL('../../runtime/exec/index.ts', import.meta.url).href;
  writeFileSync(
    script,
    `import { Cache } from ${JSON.stringify(runtime)};\nconsole.log(JSON.stringify(await new Cache(${JSON.stringify(cache.dir)}).lookup(${JSON.stringify(HASH)})));\n`,
  );
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  assert.is(child.status, 0, child.stderr);
  return (JSON.parse(child.stdout) as { status: string; reason?: string }).reason ?? 'hit';
}

test('checksums verified once are remembered across processes, but a rewrite that restores size and mtime is still caught', async () => {
  const cache = freshCache();
  await store(cache, { 'a.bin': 'abcdef' });
  assert.is((await cache.lookup(HASH)).status, 'hit');
  assert.ok(existsSync(join(cache.dir, '.verified', `${HASH}.json`)), 'the verification is recorded');
  assert.is(lookupInFreshProcess(cache), 'hit');
  const a = join(cache.entryDir(HASH), 'a.bin');
  const { atime, mtime } = statSync(a);
  writeFileSync(a, 'abcdeX');
  utimesSync(a, atime, mtime);
  assert.is(lookupInFreshProcess(cache), 'a.bin: checksum mismatch');
  assert.equal(await cache.lookup(HASH), { status: 'corrupt', reason: 'a.bin: checksum mismatch' });
});

test.run();
