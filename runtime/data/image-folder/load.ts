// Loading an image folder, decoded once: the uint8 tensor is a cache entry keyed by the content of the CSV
// and of every image it names (plus the decode settings), so a second run, in this directory or any other,
// only stats the files and reads one array back. The entry is written after every image decoded, through
// the cache's temp-dir-and-rename, so a bad image leaves no partial entry.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cache } from '../../exec/cache.ts';
import { FileDigests, InputFileError } from '../../exec/file-digest.ts';
import { DataError } from '../errors.ts';
import { decodeImages } from './decode.ts';
import type { ImageFolder } from './folder.ts';
import { readMetadata, type ImageFolderSpec, type ImageTable } from './metadata.ts';

/** Bumped when the decoded bytes for the same inputs would differ (resize kernel, colour handling). */
const DECODE_VERSION = 1;
const PIXELS_FILE = 'pixels.u8';
const SHAPE_FILE = 'shape.json';

export interface LoadImageFolderOptions {
  /** Where the decoded tensor is kept; without it every load decodes. */
  cache?: Cache;
  /** The file-digest memo (default: one under the cache's directory). */
  digests?: FileDigests;
  /** Images decoded at once. */
  concurrency?: number;
}

export interface LoadedImageFolder extends ImageFolder {
  /** The cache key of the decoded tensor: changes when the CSV, any image or a decode setting does. */
  key: string;
  /** Whether the pixels came from the cache. */
  cached: boolean;
}

export async function loadImageFolder(
  spec: ImageFolderSpec,
  options: LoadImageFolderOptions = {},
): Promise<LoadedImageFolder> {
  const channels = spec.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new DataError(`${spec.csv}: channels must be 1 or 3, got ${channels}`);
  const table = readMetadata(spec);
  const digests = options.digests ?? new FileDigests(options.cache?.dir);
  const key = await folderKey(table, spec, channels, digests);
  const cached = options.cache ? await readEntry(options.cache, key, table.files.length) : undefined;
  if (cached) return { table, ...cached, size: table.files.length, key, cached: true };
  const decoded = await decodeImages(table.files, {
    size: spec.size,
    channels,
    concurrency: options.concurrency,
    origin: (i) => `${table.csv}:${table.lines[i]}`,
  });
  if (options.cache) await writeEntry(options.cache, key, decoded);
  return { table, ...decoded, size: table.files.length, key, cached: false };
}

/** sha256 of the decode settings and the digest of the CSV plus every image (paths relative to the root). */
async function folderKey(
  table: ImageTable,
  spec: ImageFolderSpec,
  channels: number,
  digests: FileDigests,
): Promise<string> {
  let files;
  try {
    files = await digests.digestAll([table.csv, ...table.files], table.root);
  } catch (error) {
    // Name the row too, as the decoder does.
    const row = error instanceof InputFileError ? table.files.indexOf(error.path) : -1;
    if (row < 0) throw error;
    const { path, reason } = error as InputFileError;
    throw new DataError(
      `${table.csv}:${table.lines[row]}: image ${path} ${/ENOENT/.test(reason) ? 'is missing' : reason}`,
    );
  }
  const settings = { decode: DECODE_VERSION, size: spec.size ?? null, channels };
  return createHash('sha256').update(JSON.stringify(settings)).update(files.sha256).digest('hex');
}

async function readEntry(
  cache: Cache,
  key: string,
  count: number,
): Promise<Pick<ImageFolder, 'pixels' | 'shape'> | undefined> {
  const lookup = await cache.lookup(key);
  if (lookup.status !== 'hit') return undefined;
  const shape = JSON.parse(await readFile(join(lookup.dir, SHAPE_FILE), 'utf8')) as [number, number, number];
  const bytes = await readFile(join(lookup.dir, PIXELS_FILE));
  if (bytes.length !== count * shape[0] * shape[1] * shape[2]) return undefined;
  return { shape, pixels: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
}

async function writeEntry(cache: Cache, key: string, decoded: Pick<ImageFolder, 'pixels' | 'shape'>): Promise<void> {
  const pending = await cache.begin(key);
  try {
    await writeFile(join(pending.dir, PIXELS_FILE), decoded.pixels);
    await writeFile(join(pending.dir, SHAPE_FILE), JSON.stringify(decoded.shape));
    await cache.commit(pending, { id: `images:${key.slice(0, 12)}`, kind: 'image-folder' });
  } catch (error) {
    await cache.discard(pending);
    throw error;
  }
}
