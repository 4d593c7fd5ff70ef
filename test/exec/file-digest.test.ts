import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../runtime/data/errors.ts';
import { DIGEST_MEMO_FILE, FileDigests, type ByteReader } from '../../runtime/exec/file-digest.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-digest-'));
  const reads: string[] = [];
  const read: ByteReader = (path) => {
    reads.push(path);
    return createReadStream(path);
  };
  return { dir, cache: join(dir, 'cache'), reads, read };
}

// A whole second, so that setting it again restores the mtime exactly (Date has only millisecond precision).
const STAMP = 1_700_000_000;

/** Writes `file` with a known mtime. */
function writeStamped(file: string, content: string) {
  writeFileSync(file, content);
  utimesSync(file, STAMP, STAMP);
}

/** Rewrites `file` in place with `content` and puts its mtime back: same path, size, mtime and inode. */
function rewriteKeepingStat(file: string, content: string) {
  const before = statSync(file);
  assert.is(Buffer.byteLength(content), before.size, 'the trick needs content of the same size');
  writeStamped(file, content);
  const after = statSync(file);
  assert.is(after.ino, before.ino);
  assert.is(after.mtimeMs, before.mtimeMs);
}

test('digest is the sha256 of the bytes', async () => {
  const { dir, cache } = fresh();
  const file = join(dir, 'a.csv');
  writeFileSync(file, 'x,label\n1,0\n');
  const digests = new FileDigests(cache);
  const digest = await digests.digest(file);
  assert.is(digest.sha256, sha('x,label\n1,0\n'));
  assert.is(digest.size, 12);
});

test('a memo hit does not re-read the file, in this process or the next', async () => {
  const { dir, cache, reads, read } = fresh();
  const file = join(dir, 'a.csv');
  writeStamped(file, 'x,label\n1,0\n');
  const first = new FileDigests(cache, { read });
  const original = (await first.digestAll([file])).files[0].sha256;
  assert.equal(reads, [file]);
  // Same stat, other bytes: a reader would see the change, the memo (by design) does not.
  rewriteKeepingStat(file, 'x,label\n2,1\n');
  assert.is((await first.digest(file)).sha256, original);
  const next = new FileDigests(cache, { read });
  assert.is((await next.digest(file)).sha256, original, 'the memo was persisted under the cache directory');
  assert.equal(reads, [file], 'no second read');
  assert.ok(statSync(join(cache, DIGEST_MEMO_FILE)).isFile());
});

test("the synchronous path (the planner's) shares the memo both ways and sees edits", async () => {
  const { dir, cache } = fresh();
  const file = join(dir, 'a.csv');
  writeStamped(file, 'x,label\n1,0\n');
  const sync = new FileDigests(cache);
  const original = sync.digestSync(file).sha256;
  assert.is(original, sha('x,label\n1,0\n'));
  sync.saveSync();
  // Same stat, other bytes: only a memo hit can still give the old digest, in either direction.
  rewriteKeepingStat(file, 'x,label\n2,1\n');
  assert.is((await new FileDigests(cache).digest(file)).sha256, original);
  assert.is(new FileDigests(cache).digestSync(file).sha256, original);
  writeFileSync(file, 'x,label\n3,1\n4,0\n');
  assert.is(new FileDigests(cache).digestSync(file).sha256, sha('x,label\n3,1\n4,0\n'));
  assert.throws(
    () => new FileDigests(cache).digestSync(join(dir, 'missing.csv')),
    /missing\.csv: cannot read input file \(ENOENT\)/,
  );
});

test('a fresh process digesting many files at once reads none of them when nothing changed', async () => {
  const { dir, cache, reads, read } = fresh();
  const files = Array.from({ length: 20 }, (_, i) => join(dir, `img${i}.png`));
  files.forEach((file, i) => writeFileSync(file, `image ${i}`));
  const first = await new FileDigests(cache).digestAll(files);
  // Concurrent digests must all wait for the memo to load, not race past it.
  const again = await new FileDigests(cache, { read, concurrency: 8 }).digestAll(files);
  assert.equal(reads, []);
  assert.is(again.sha256, first.sha256);
});

test('an edit changes the digest (mtime or size moves)', async () => {
  const { dir, cache, reads, read } = fresh();
  const file = join(dir, 'a.csv');
  writeFileSync(file, 'x,label\n1,0\n');
  const digests = new FileDigests(cache, { read });
  const before = await digests.digest(file);
  writeFileSync(file, 'x,label\n1,1\n');
  const stamp = new Date(statSync(file).mtimeMs + 5000);
  utimesSync(file, stamp, stamp);
  const after = await digests.digest(file);
  assert.is.not(after.sha256, before.sha256);
  assert.is(after.sha256, sha('x,label\n1,1\n'));
  writeFileSync(file, 'x,label\n1,0\n2,1\n');
  assert.is((await digests.digest(file)).sha256, sha('x,label\n1,0\n2,1\n'));
  assert.is(reads.length, 3);
});

test('a set digest covers every file and their relative names; duplicates count once', async () => {
  const { dir, cache } = fresh();
  const a = join(dir, 'model.json');
  const b = join(dir, 'group1-shard1of1.bin');
  writeFileSync(a, '{}');
  writeFileSync(b, 'weights');
  const digests = new FileDigests(cache);
  const set = await digests.digestAll([b, a, a], dir);
  assert.equal(
    set.files.map((file) => file.path),
    [b, a].sort(),
  );
  const renamed = join(dir, 'group1-shard1of2.bin');
  writeFileSync(renamed, 'weights');
  const other = await digests.digestAll([renamed, a], dir);
  assert.is.not(other.sha256, set.sha256, 'same bytes under another name is another input set');
  assert.is((await digests.digestAll([a, b], dir)).sha256, set.sha256);
});

test('a missing file is a DataError naming it', async () => {
  const { dir, cache } = fresh();
  const present = join(dir, 'model.json');
  writeFileSync(present, '{}');
  const missing = join(dir, 'group1-shard2of2.bin');
  try {
    await new FileDigests(cache).digestAll([present, missing]);
    assert.unreachable('expected a missing file to be rejected');
  } catch (error) {
    assert.instance(error, DataError);
    assert.match((error as Error).message, missing);
    assert.match((error as Error).message, /ENOENT/);
  }
});

test('a torn or foreign memo file is ignored and replaced', async () => {
  const { dir, cache, reads, read } = fresh();
  const file = join(dir, 'a.csv');
  writeFileSync(file, 'abc');
  const memo = join(cache, DIGEST_MEMO_FILE);
  await new FileDigests(cache).digestAll([file]);
  writeFileSync(memo, readFileSync(memo, 'utf8').slice(0, 20));
  const digests = new FileDigests(cache, { read });
  assert.is((await digests.digestAll([file])).files[0].sha256, sha('abc'));
  assert.is(reads.length, 1);
  assert.ok(JSON.parse(readFileSync(memo, 'utf8')).files[file], 'rewritten whole');
});

test('two processes storing digests keep both (merge on save)', async () => {
  const { dir, cache } = fresh();
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  writeFileSync(a, 'a');
  writeFileSync(b, 'b');
  const one = new FileDigests(cache);
  const two = new FileDigests(cache);
  await one.digest(a);
  await two.digest(b);
  await one.save();
  await two.save();
  const files = JSON.parse(readFileSync(join(cache, DIGEST_MEMO_FILE), 'utf8')).files;
  assert.equal(Object.keys(files).sort(), [a, b]);
});

test.run();
