// The cache form of a Dataset: a folder with `dataset.json` (shape, classes, size, attribute names,
// augmentation, subspace) and raw little-endian typed arrays: x.f32, y.i32 and one attr-<name>.i32 per
// attribute. Raw arrays make a 60k MNIST (188 MB of float32) a single write and read each.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { endianness } from 'node:os';
import type { Dataset } from './dataset.ts';
import { DataError } from './errors.ts';
import { exampleLength } from './ops.ts';

const FORMAT_VERSION = 1;
const HEADER = 'dataset.json';

interface Header {
  format: number;
  shape: number[];
  classes: number;
  size: number;
  attributes: string[];
  augmentation?: Dataset['augmentation'];
  subspace?: Dataset['subspace'];
}

if (endianness() !== 'LE') throw new Error('shiftlab dataset files are little-endian; this machine is big-endian');

const bytesOf = (array: Float32Array | Int32Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

export async function writeDataset(dir: string, ds: Dataset): Promise<void> {
  await mkdir(dir, { recursive: true });
  const attributes = Object.keys(ds.attributes).sort();
  const header: Header = {
    format: FORMAT_VERSION,
    shape: ds.shape,
    classes: ds.classes,
    size: ds.size,
    attributes,
    augmentation: ds.augmentation,
    subspace: ds.subspace,
  };
  await writeFile(join(dir, 'x.f32'), bytesOf(ds.x));
  await writeFile(join(dir, 'y.i32'), bytesOf(ds.y));
  for (const name of attributes) await writeFile(join(dir, `attr-${name}.i32`), bytesOf(ds.attributes[name]));
  // The header goes last: a folder without one was never finished.
  await writeFile(join(dir, HEADER), JSON.stringify(header));
}

async function readArray<T extends Float32Array | Int32Array>(
  file: string,
  make: new (buffer: ArrayBuffer, byteOffset: number, length: number) => T,
  length: number,
): Promise<T> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DataError(`${file}: cannot read (${error.code ?? error.message})`);
  });
  if (bytes.byteLength !== length * 4)
    throw new DataError(`${file}: holds ${bytes.byteLength} bytes, expected ${length * 4}`);
  // Typed arrays need 4-byte alignment: small reads may sit unaligned in Node's shared pool, so copy those.
  if (bytes.byteOffset % 4 === 0) return new make(bytes.buffer as ArrayBuffer, bytes.byteOffset, length);
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new make(copy, 0, length);
}

export async function readDataset(dir: string): Promise<Dataset> {
  const headerFile = join(dir, HEADER);
  let header: Header;
  try {
    header = JSON.parse(await readFile(headerFile, 'utf8')) as Header;
  } catch (error) {
    throw new DataError(`${headerFile}: cannot read dataset header (${(error as Error).message})`);
  }
  if (header.format !== FORMAT_VERSION)
    throw new DataError(`${headerFile}: dataset format ${header.format}, expected ${FORMAT_VERSION}`);
  const x = await readArray(join(dir, 'x.f32'), Float32Array, header.size * exampleLength(header.shape));
  const y = await readArray(join(dir, 'y.i32'), Int32Array, header.size);
  const attributes: Record<string, Int32Array> = {};
  for (const name of header.attributes)
    attributes[name] = await readArray(join(dir, `attr-${name}.i32`), Int32Array, header.size);
  const ds: Dataset = { shape: header.shape, classes: header.classes, size: header.size, x, y, attributes };
  if (header.augmentation) ds.augmentation = header.augmentation;
  if (header.subspace) ds.subspace = header.subspace;
  return ds;
}
