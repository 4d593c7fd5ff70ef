// Image folders with a metadata CSV: real PNG/JPEG files written by sharp in a temp folder, decoded back.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../runtime/data/errors.ts';
import {
  loadImageFolder,
  parseCsv,
  splitDatasets,
  toDataset,
  type ImageFolderSpec,
} from '../../runtime/data/image-folder/index.ts';
import { Cache } from '../../runtime/exec/cache.ts';
import { DIGEST_MEMO_FILE } from '../../runtime/exec/file-digest.ts';

let folders = 0;
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), `shiftlab-images-${folders++}-`));
  mkdirSync(join(dir, 'img'));
  return dir;
}

/** A solid image: every pixel `rgb` (or one grey value), `height × width`. */
function solid(height: number, width: number, rgb: number[]): Sharp {
  const channels = rgb.length as 1 | 3;
  const raw = Buffer.alloc(height * width * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = rgb[i % channels];
  return sharp(raw, { raw: { width, height, channels } });
}

/** A deterministic pattern (different at every pixel), to check layout and order exactly. */
function pattern(height: number, width: number, seed: number): { raw: Buffer; image: Sharp } {
  const raw = Buffer.alloc(height * width * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + seed * 101) % 256;
  return { raw, image: sharp(raw, { raw: { width, height, channels: 3 } }) };
}

async function png(dir: string, name: string, image: Sharp): Promise<void> {
  await image.png().toFile(join(dir, name));
}

/** The load must fail with a DataError whose message contains every `part`. */
async function rejects(spec: ImageFolderSpec, parts: (string | RegExp)[], cache?: Cache) {
  try {
    await loadImageFolder(spec, { cache });
  } catch (error) {
    assert.instance(error, DataError);
    const message = (error as Error).message;
    for (const part of parts) {
      if (typeof part === 'string') assert.ok(message.includes(part), `"${message}" should name ${part}`);
      else assert.match(message, part);
    }
    return message;
  }
  assert.unreachable(`expected ${spec.csv} to be rejected`);
}

/** Entries in the cache directory other than the digest memo and an empty temp dir: must be none after a failure. */
function cacheEntries(cache: Cache): string[] {
  if (!existsSync(cache.dir)) return [];
  const names = readdirSync(cache.dir).filter((name) => name !== DIGEST_MEMO_FILE);
  const temp = names.includes('.tmp') ? readdirSync(join(cache.dir, '.tmp')) : [];
  return [...names.filter((name) => name !== '.tmp'), ...temp.map((name) => `.tmp/${name}`)];
}

test('CSV: BOM, CRLF, quoted cells with commas, quotes and line breaks; line numbers count physical lines', () => {
  const text = '\ufeffimg,"label"\r\n"a,b.png",1\r\n\r\n"say ""hi""",0\r\n"two\nlines",1\r\nlast.png,0';
  const table = parseCsv(text, 'meta.csv');
  assert.equal(table.header, ['img', 'label']);
  assert.equal(
    table.records.map((r) => r.cells[0]),
    ['a,b.png', 'say "hi"', 'two\nlines', 'last.png'],
  );
  assert.equal(
    table.records.map((r) => r.line),
    [2, 4, 5, 7],
  );
});

test('CSV: a row of the wrong width and an unclosed quote name the file and line', () => {
  assert.throws(
    () => parseCsv('a,b\n1,2\n3\n', 'm.csv'),
    (e: Error) => e instanceof DataError && /m\.csv:3: has 1 cells, the header has 2/.test(e.message),
  );
  assert.throws(
    () => parseCsv('a,b\n1,"2\n', 'm.csv'),
    (e: Error) => e instanceof DataError && /m\.csv:2: a quoted cell is not closed/.test(e.message),
  );
});

test('a Waterbirds-like folder: labels, split, attributes and exact pixels (BOM + CRLF metadata)', async () => {
  const dir = folder();
  const images = [pattern(4, 5, 0), pattern(4, 5, 1), pattern(4, 5, 2), pattern(4, 5, 3)];
  for (const [i, { image }] of images.entries()) await png(dir, `img/${i}.png`, image);
  const rows = [
    ['img/0.png', 'waterbird', 'train', 'land'],
    ['img/1.png', 'landbird', 'val', 'water'],
    ['img/2.png', 'waterbird', 'test', 'water'],
    ['img/3.png', 'landbird', 'train', 'land'],
  ];
  const csv = join(dir, 'metadata.csv');
  writeFileSync(
    csv,
    `\ufeffimg_filename,y,split,place\r\n${rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\r\n')}\r\n`,
  );
  const loaded = await loadImageFolder({
    csv,
    file: 'img_filename',
    label: 'y',
    split: 'split',
    attributes: ['place'],
  });
  assert.equal(loaded.shape, [4, 5, 3], 'the first image gives the size');
  assert.is(loaded.table.classes, 2);
  assert.equal(loaded.table.labelNames, ['landbird', 'waterbird']);
  assert.equal([...loaded.table.labels], [1, 0, 1, 0]);
  assert.equal([...loaded.table.split!], [0, 1, 2, 0]);
  assert.equal(loaded.table.attributeValues.place, ['land', 'water']);
  assert.equal([...loaded.table.attributes.place], [0, 1, 1, 0]);
  for (const [i, { raw }] of images.entries()) {
    assert.equal(
      Buffer.from(loaded.pixels.subarray(i * 60, (i + 1) * 60)),
      raw,
      `image ${i} decoded exactly, in row order`,
    );
  }
  const dataset = toDataset(loaded, [2, 0]);
  assert.equal(dataset.shape, [4, 5, 3]);
  assert.equal([...dataset.y], [1, 1]);
  assert.equal([...dataset.attributes.place], [1, 0]);
  assert.ok(
    Math.abs(dataset.x[0] - images[2].raw[0] / 255) < 1e-7 &&
      Math.abs(dataset.x[60 + 7] - images[0].raw[7] / 255) < 1e-7,
  );
  const parts = splitDatasets(loaded);
  assert.equal([parts.train.size, parts.val.size, parts.test.size], [2, 1, 1]);
  assert.equal([...parts.train.attributes.place], [0, 0]);
});

test('many images decoded in parallel land in their own rows', async () => {
  const dir = folder();
  const count = 40;
  const lines = ['file,label'];
  for (let i = 0; i < count; i++) {
    await png(dir, `img/${i}.png`, solid(3, 3, [i * 6, 255 - i * 6, (i * 50) % 256]));
    lines.push(`img/${i}.png,${i % 3}`);
  }
  const csv = join(dir, 'meta.csv');
  writeFileSync(csv, lines.join('\n'));
  const loaded = await loadImageFolder({ csv, file: 'file', label: 'label' }, { concurrency: 7 });
  for (let i = 0; i < count; i++)
    assert.equal([...loaded.pixels.subarray(i * 27, i * 27 + 3)], [i * 6, 255 - i * 6, (i * 50) % 256]);
  assert.equal([...loaded.table.labels.slice(0, 4)], [0, 1, 2, 0]);
});

test('size resizes every image (mixed sizes); channels 1 turns colour grey and 3 turns grey into RGB', async () => {
  const dir = folder();
  await png(dir, 'img/big.png', solid(10, 8, [200, 200, 200]));
  await png(dir, 'img/small.png', solid(2, 3, [40]));
  const csv = join(dir, 'meta.csv');
  writeFileSync(csv, 'file,label\nimg/big.png,0\nimg/small.png,1\n');
  const rgb = await loadImageFolder({ csv, file: 'file', label: 'label', size: [6, 4] });
  assert.equal(rgb.shape, [6, 4, 3]);
  assert.ok(rgb.pixels.subarray(0, 72).every((v) => v === 200));
  assert.ok(
    rgb.pixels.subarray(72).every((v) => v === 40),
    'grey replicated to three channels',
  );
  const grey = await loadImageFolder({ csv, file: 'file', label: 'label', channels: 1 });
  assert.equal(grey.shape, [10, 8, 1], 'default size: the first image');
  assert.is(grey.pixels.length, 2 * 80);
  assert.ok(grey.pixels.subarray(80).every((v) => v === 40));
});

test('root: image paths relative to another folder', async () => {
  const dir = folder();
  await png(dir, 'img/a.png', solid(2, 2, [1, 2, 3]));
  mkdirSync(join(dir, 'meta'));
  const csv = join(dir, 'meta', 'm.csv');
  writeFileSync(csv, 'file,label\na.png,0\na.png,1\n');
  const loaded = await loadImageFolder({ csv, file: 'file', label: 'label', root: join(dir, 'img') });
  assert.equal([...loaded.pixels.subarray(0, 3)], [1, 2, 3]);
});

test('labels and attributes: whole numbers as given, declared classes, CelebA-style -1/1 numbered in order', async () => {
  const dir = folder();
  await png(dir, 'img/a.png', solid(2, 2, [9, 9, 9]));
  const csv = join(dir, 'm.csv');
  writeFileSync(csv, 'image_id,Blond_Hair,Male\nimg/a.png,1,-1\nimg/a.png,-1,1\nimg/a.png,1,1\n');
  const loaded = await loadImageFolder({ csv, file: 'image_id', label: 'Blond_Hair', attributes: ['Male'] });
  assert.equal([...loaded.table.labels], [1, 0, 1]);
  assert.equal(loaded.table.labelNames, ['-1', '1']);
  assert.equal([...loaded.table.attributes.Male], [0, 1, 1]);
  const csv2 = join(dir, 'm2.csv');
  writeFileSync(csv2, 'file,y\nimg/a.png,0\nimg/a.png,2\n');
  const declared = await loadImageFolder({ csv: csv2, file: 'file', label: 'y', classes: 4 });
  assert.is(declared.table.classes, 4);
  assert.is((await loadImageFolder({ csv: csv2, file: 'file', label: 'y' })).table.classes, 3, 'default: max + 1');
});

test('a label outside the declared classes names the file and row', async () => {
  const dir = folder();
  await png(dir, 'img/a.png', solid(2, 2, [9, 9, 9]));
  const csv = join(dir, 'm.csv');
  writeFileSync(csv, 'file,y\nimg/a.png,0\nimg/a.png,1\nimg/a.png,2\n');
  await rejects({ csv, file: 'file', label: 'y', classes: 2 }, [`${csv}:4:`, "label '2'", 'declared 2 classes']);
  const named = join(dir, 'named.csv');
  writeFileSync(named, 'file,y\nimg/a.png,cat\nimg/a.png,dog\nimg/a.png,emu\n');
  await rejects({ csv: named, file: 'file', label: 'y', classes: 2 }, [`${named}:4:`, "label 'emu'", 'cat, dog, emu']);
});

test('an unknown split value names the file and row', async () => {
  const dir = folder();
  await png(dir, 'img/a.png', solid(2, 2, [9, 9, 9]));
  const csv = join(dir, 'm.csv');
  writeFileSync(csv, 'file,y,split\nimg/a.png,0,train\nimg/a.png,1,id_val\n');
  await rejects({ csv, file: 'file', label: 'y', split: 'split' }, [`${csv}:3:`, "split value 'id_val'", 'train, val']);
});

test('a missing column lists the columns there are', async () => {
  const dir = folder();
  const csv = join(dir, 'm.csv');
  writeFileSync(csv, 'img_filename,y\nimg/a.png,0\nimg/a.png,1\n');
  await rejects({ csv, file: 'img_filename', label: 'label' }, [csv, "no label column 'label'", 'img_filename, y']);
  await rejects({ csv, file: 'path', label: 'y' }, [csv, "no file column 'path'"]);
  await rejects({ csv, file: 'img_filename', label: 'y', attributes: ['place'] }, [csv, "no attribute column 'place'"]);
  await rejects({ csv, file: 'img_filename', label: 'y', split: 'split' }, [csv, "no split column 'split'"]);
});

test('an empty CSV, a header without rows and a missing CSV are clean errors', async () => {
  const dir = folder();
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '\ufeff\r\n');
  await rejects({ csv: empty, file: 'f', label: 'y' }, [empty, 'empty']);
  const header = join(dir, 'header.csv');
  writeFileSync(header, 'f,y\r\n');
  await rejects({ csv: header, file: 'f', label: 'y' }, [header, 'no rows']);
  await rejects({ csv: join(dir, 'nope.csv'), file: 'f', label: 'y' }, [join(dir, 'nope.csv'), 'ENOENT']);
});

test('a missing image names the image and the row, and leaves no cache entry', async () => {
  const dir = folder();
  await png(dir, 'img/a.png', solid(2, 2, [9, 9, 9]));
  const csv = join(dir, 'm.csv');
  writeFileSync(csv, 'file,y\nimg/a.png,0\nimg/gone.png,1\n');
  const cache = new Cache(join(dir, 'cache'));
  await rejects({ csv, file: 'file', label: 'y' }, [`${csv}:3:`, join(dir, 'img/gone.png'), 'missing'], cache);
  assert.equal(cacheEntries(cache), []);
  await rejects({ csv, file: 'file', label: 'y' }, [`${csv}:3:`, join(dir, 'img/gone.png'), 'missing']);
});

test('corrupt, truncated PNG and truncated JPEG name the image and the row, and leave no cache entry', async () => {
  const dir = folder();
  const { image } = pattern(16, 16, 5);
  await png(dir, 'img/good.png', image.clone());
  const pngBytes = readFileSync(join(dir, 'img/good.png'));
  const jpegBytes = await image.clone().jpeg().toBuffer();
  const cases: [string, Buffer][] = [
    ['corrupt.png', Buffer.from('this is not a PNG file at all')],
    ['truncated.png', pngBytes.subarray(0, Math.floor(pngBytes.length / 2))],
    ['truncated.jpg', jpegBytes.subarray(0, Math.floor(jpegBytes.length / 2))],
  ];
  for (const [name, bytes] of cases) {
    writeFileSync(join(dir, 'img', name), bytes);
    const csv = join(dir, `${name}.csv`);
    writeFileSync(csv, `file,y\nimg/good.png,0\nimg/good.png,1\nimg/${name},1\n`);
    const cache = new Cache(join(dir, `cache-${name}`));
    // The failing image is not the first one, so the size comes from a good image and decoding is what fails.
    await rejects({ csv, file: 'file', label: 'y' }, [`${csv}:4:`, join(dir, 'img', name), 'cannot be decoded'], cache);
    assert.equal(cacheEntries(cache), [], `${name}: no partial cache entry`);
  }
});

test('the decoded tensor is cached by content: a second load decodes nothing; an edited image is decoded again', async () => {
  const dir = folder();
  await png(dir, 'img/a.png', solid(3, 3, [10, 20, 30]));
  await png(dir, 'img/b.png', solid(3, 3, [40, 50, 60]));
  // A whole second, so that it can be set again exactly (Date has only millisecond precision).
  const STAMP = 1_700_000_000;
  utimesSync(join(dir, 'img/b.png'), STAMP, STAMP);
  const csv = join(dir, 'm.csv');
  writeFileSync(csv, 'file,y\nimg/a.png,0\nimg/b.png,1\n');
  const spec = { csv, file: 'file', label: 'y' };
  const cache = new Cache(join(dir, 'cache'));
  const first = await loadImageFolder(spec, { cache });
  assert.is(first.cached, false);
  assert.equal(cacheEntries(cache), [first.key]);
  // Same bytes length, same mtime, same inode, other pixels: only a decode would see the change, so seeing
  // the old pixels proves the second load read the cache entry and decoded nothing.
  const b = join(dir, 'img/b.png');
  const before = statSync(b);
  const swapped = await solid(3, 3, [41, 50, 60]).png().toBuffer();
  assert.is(swapped.length, before.size, 'the trick needs a file of the same size');
  writeFileSync(b, swapped);
  utimesSync(b, STAMP, STAMP);
  assert.is(statSync(b).ino, before.ino);
  const second = await loadImageFolder(spec, { cache });
  assert.is(second.cached, true);
  assert.is(second.key, first.key);
  assert.equal(second.pixels, first.pixels);
  // A real edit (new mtime) changes the key and is decoded.
  await png(dir, 'img/b.png', solid(3, 3, [70, 80, 90]));
  const third = await loadImageFolder(spec, { cache });
  assert.is(third.cached, false);
  assert.is.not(third.key, first.key);
  assert.equal([...third.pixels.subarray(27, 30)], [70, 80, 90]);
  // So does a decode setting, and an edit of the CSV alone.
  assert.is.not((await loadImageFolder({ ...spec, size: [2, 2] }, { cache })).key, third.key);
  writeFileSync(csv, 'file,y\nimg/b.png,0\nimg/a.png,1\n');
  const reordered = await loadImageFolder(spec, { cache });
  assert.is.not(reordered.key, third.key);
  assert.equal([...reordered.pixels.subarray(0, 3)], [70, 80, 90]);
});

test('the split column must give every part', async () => {
  const dir = folder();
  await png(dir, 'img/a.png', solid(2, 2, [9, 9, 9]));
  const csv = join(dir, 'm.csv');
  writeFileSync(csv, 'file,y,split\nimg/a.png,0,0\nimg/a.png,1,2\n');
  const loaded = await loadImageFolder({ csv, file: 'file', label: 'y', split: 'split' });
  assert.throws(
    () => splitDatasets(loaded),
    (e: Error) => e instanceof DataError && e.message.includes(csv) && /no 'val' rows/.test(e.message),
  );
});

test.run();
