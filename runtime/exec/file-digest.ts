// Content digests of the files a job reads (CSV, IDX, images, model.json and its weight shards), so that
// editing an input changes the job's hash. Reading every image of a 200k-image folder on every `plan` would
// be slow, so, like DVC's state database, a memo maps a file's identity (path, size, mtime, inode) to the
// sha256 of its bytes: a file whose identity is unchanged is not read again. An edit always changes the
// mtime (and usually the size); a replaced file gets a new inode. The memo lives in
// `<cacheDir>/file-digests.json` and is written atomically (temp file + rename), merged with what other
// processes stored meanwhile, so a killed run or two concurrent runs never leave a torn memo.
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DataError } from '../data/errors.ts';

export const DIGEST_MEMO_FILE = 'file-digests.json';
const MEMO_VERSION = 1;

/** Streams a file's bytes; injectable so tests can count reads. */
export type ByteReader = (path: string) => AsyncIterable<Uint8Array>;

const streamFile: ByteReader = (path) => createReadStream(path);

interface MemoEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

interface MemoFile {
  version: number;
  files: Record<string, MemoEntry>;
}

/** An input file that cannot be digested; `path` lets a caller say which row or shard named it. */
export class InputFileError extends DataError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

export interface FileDigest {
  /** Absolute path. */
  path: string;
  size: number;
  sha256: string;
}

export interface FileSetDigest {
  /** One entry per distinct file, sorted by path. */
  files: FileDigest[];
  /** sha256 over every file's (path relative to `base`, sha256): the set's identity. */
  sha256: string;
}

export interface FileDigestsOptions {
  /** How bytes are read; defaults to a file stream. */
  read?: ByteReader;
  /** Files hashed at once by `digestAll` (bounded so a huge folder does not open every file together). */
  concurrency?: number;
}

export class FileDigests {
  private memo = new Map<string, MemoEntry>();
  private loading: Promise<void> | undefined;
  private dirty = false;
  private readonly read: ByteReader;
  private readonly concurrency: number;

  /** `cacheDir` undefined keeps the memo in this process only. */
  constructor(
    readonly cacheDir: string | undefined,
    options: FileDigestsOptions = {},
  ) {
    this.read = options.read ?? streamFile;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
  }

  get memoPath(): string | undefined {
    return this.cacheDir === undefined ? undefined : join(this.cacheDir, DIGEST_MEMO_FILE);
  }

  /** The sha256 of one file's bytes; `path` resolves against the current directory. */
  async digest(path: string): Promise<FileDigest> {
    await this.load();
    const absolute = resolve(path);
    let info;
    try {
      info = await stat(absolute, { bigint: false });
    } catch (error) {
      throw new InputFileError(absolute, `cannot read input file (${errorCode(error)})`);
    }
    return this.known(absolute, info) ?? this.remember(absolute, info, await this.hashBytes(absolute));
  }

  /**
   * `digest` without waiting: the study builder makes plans synchronously (compiled scripts build theirs at
   * import). Same memo; call `saveSync` afterwards to keep it.
   */
  digestSync(path: string): FileDigest {
    this.loadSync();
    const absolute = resolve(path);
    let info;
    try {
      info = statSync(absolute);
    } catch (error) {
      throw new InputFileError(absolute, `cannot read input file (${errorCode(error)})`);
    }
    return this.known(absolute, info) ?? this.remember(absolute, info, hashBytesSync(absolute));
  }

  /** The memo's digest when the file's identity is unchanged; throws for what is not a regular file. */
  private known(absolute: string, info: Stats): FileDigest | undefined {
    if (!info.isFile()) throw new InputFileError(absolute, 'input is not a regular file');
    const known = this.memo.get(absolute);
    if (known && known.size === info.size && known.mtimeMs === info.mtimeMs && known.ino === info.ino) {
      return { path: absolute, size: info.size, sha256: known.sha256 };
    }
    return undefined;
  }

  private remember(absolute: string, info: Stats, sha256: string): FileDigest {
    this.memo.set(absolute, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, sha256 });
    this.dirty = true;
    return { path: absolute, size: info.size, sha256 };
  }

  /**
   * Digests of every file in `paths` (duplicates once) and one digest of the whole set, whose paths count
   * relative to `base` (default: the current directory) so that moving a dataset's folder as a whole keeps
   * its identity while renaming one image inside it does not. Saves the memo afterwards.
   */
  async digestAll(paths: readonly string[], base = '.'): Promise<FileSetDigest> {
    const unique = [...new Set(paths.map((path) => resolve(path)))].sort();
    const files = new Array<FileDigest>(unique.length);
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const at = next++;
        files[at] = await this.digest(unique[at]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, unique.length) }, worker));
    await this.save();
    const root = resolve(base);
    const whole = createHash('sha256');
    for (const file of files) whole.update(`${relative(root, file.path).split(sep).join('/')}\0${file.sha256}\n`);
    return { files, sha256: whole.digest('hex') };
  }

  /** Writes the memo if it changed: merged with the file on disk, then renamed over it. */
  async save(): Promise<void> {
    const memoPath = this.memoPath;
    if (!memoPath || !this.dirty) return;
    const content = this.merged(await readMemo(memoPath));
    await mkdir(dirname(memoPath), { recursive: true });
    const temp = tempName(memoPath);
    try {
      await writeFile(temp, content);
      await rename(temp, memoPath);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    this.dirty = false;
  }

  /** `save` without waiting. */
  saveSync(): void {
    const memoPath = this.memoPath;
    if (!memoPath || !this.dirty) return;
    const content = this.merged(readMemoSync(memoPath));
    mkdirSync(dirname(memoPath), { recursive: true });
    const temp = tempName(memoPath);
    try {
      writeFileSync(temp, content);
      renameSync(temp, memoPath);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // Nothing was written.
      }
      throw error;
    }
    this.dirty = false;
  }

  /** The memo file's text: what is on disk, with this process's entries over it. */
  private merged(onDisk: Record<string, MemoEntry>): string {
    const content: MemoFile = { version: MEMO_VERSION, files: { ...onDisk, ...Object.fromEntries(this.memo) } };
    return JSON.stringify(content);
  }

  /** Reads the memo once; concurrent callers share the one read (none may see it half-loaded). */
  private load(): Promise<void> {
    this.loading ??= this.readFromDisk();
    return this.loading;
  }

  private async readFromDisk(): Promise<void> {
    const memoPath = this.memoPath;
    if (memoPath) this.adopt(await readMemo(memoPath));
  }

  /** Reads the memo now unless a load already started (what it adds never overrides fresher entries). */
  private loadSync(): void {
    if (this.loading) return;
    const memoPath = this.memoPath;
    if (memoPath) this.adopt(readMemoSync(memoPath));
    this.loading = Promise.resolve();
  }

  private adopt(entries: Record<string, MemoEntry>): void {
    for (const [path, entry] of Object.entries(entries)) if (!this.memo.has(path)) this.memo.set(path, entry);
  }

  private async hashBytes(path: string): Promise<string> {
    const hash = createHash('sha256');
    try {
      for await (const chunk of this.read(path)) hash.update(chunk);
    } catch (error) {
      throw new InputFileError(path, `cannot read input file (${errorCode(error)})`);
    }
    return hash.digest('hex');
  }
}

/** The memo on disk; an unreadable or foreign one counts as empty (it is only a speed-up). */
async function readMemo(path: string): Promise<Record<string, MemoEntry>> {
  return parseMemo(await readFile(path, 'utf8').catch(() => ''));
}

function readMemoSync(path: string): Record<string, MemoEntry> {
  try {
    return parseMemo(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

function parseMemo(text: string): Record<string, MemoEntry> {
  try {
    const parsed = JSON.parse(text) as MemoFile;
    if (parsed.version !== MEMO_VERSION || typeof parsed.files !== 'object' || parsed.files === null) return {};
    return Object.fromEntries(Object.entries(parsed.files).filter(([, entry]) => isEntry(entry)));
  } catch {
    return {};
  }
}

const tempName = (path: string) => `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;

/** sha256 of a file read in 1 MiB chunks (model files can be large). */
function hashBytesSync(path: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } catch (error) {
    throw new InputFileError(path, `cannot read input file (${errorCode(error)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return hash.digest('hex');
}

function isEntry(entry: unknown): entry is MemoEntry {
  const e = entry as MemoEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.size === 'number' &&
    typeof e.mtimeMs === 'number' &&
    typeof e.ino === 'number' &&
    typeof e.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(e.sha256)
  );
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}
