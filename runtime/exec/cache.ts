// Content-addressed job cache: `<cacheDir>/<hash>/` holds one job's artifacts plus `manifest.json` (sizes and
// sha256 of every file). Entries are built in `<cacheDir>/.tmp/` and renamed into place, so a reader sees a
// complete entry or none, a killed run leaves only temp debris, and two writers of the same hash never mix
// files: the first rename wins and the loser discards its copy (a job's output depends only on its hash).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export const MANIFEST_FILE = 'manifest.json';
const MANIFEST_VERSION = 1;
const TEMP_DIR = '.tmp';

export interface ManifestFile {
  /** Relative to the entry directory, with '/' separators. */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  manifestVersion: number;
  jobId: string;
  kind: string;
  hash: string;
  files: ManifestFile[];
  createdAt: string;
}

export type CacheLookup =
  { status: 'hit'; dir: string; manifest: Manifest } | { status: 'missing' } | { status: 'corrupt'; reason: string };

/** A job's output directory being written, not yet visible in the cache. */
export interface PendingEntry {
  readonly hash: string;
  readonly dir: string;
}

// Checksums already verified, keyed by file identity (path, inode, size, mtime, ctime, expected sha256): in this
// process, and across processes in `<cacheDir>/.verified/<hash>.json`, so a re-run does not re-read every artifact.
// Sound because any write to a file (or a rename over it) changes its mtime or inode, and ctime cannot be set
// back: `touch -d` or utimes() restoring an old mtime still moves ctime to now. A manifest that changes its
// checksum changes the key too. What this does not catch is a change below the filesystem (disk bit rot).
const VERIFIED_DIR = '.verified';
const verified = new Set<string>();

export class Cache {
  constructor(readonly dir: string) {}

  entryDir(hash: string): string {
    return join(this.dir, hash);
  }

  /** A valid entry, or why there is none. A corrupt entry is left in place; `commit` replaces it. */
  async lookup(hash: string): Promise<CacheLookup> {
    const dir = this.entryDir(hash);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    } catch (error) {
      if (isNotFound(error) && !(await exists(dir))) return { status: 'missing' };
      return { status: 'corrupt', reason: `unreadable ${MANIFEST_FILE}` };
    }
    if (manifest.hash !== hash || !Array.isArray(manifest.files))
      return { status: 'corrupt', reason: 'manifest does not describe this entry' };
    const memoFile = join(this.dir, VERIFIED_DIR, `${hash}.json`);
    const memo = await readMemo(memoFile);
    const identities: string[] = [];
    for (const file of manifest.files) {
      const checked = await checkFile(join(dir, file.path), file, memo);
      if (checked.problem) return { status: 'corrupt', reason: `${file.path}: ${checked.problem}` };
      identities.push(checked.identity);
    }
    if (identities.some((identity) => !memo.has(identity))) await writeMemo(this.dir, memoFile, identities);
    return { status: 'hit', dir, manifest };
  }

  /** A fresh, empty directory for a job to write its artifacts into. */
  async begin(hash: string): Promise<PendingEntry> {
    const root = join(this.dir, TEMP_DIR);
    await mkdir(root, { recursive: true });
    return { hash, dir: await mkdtemp(join(root, `${hash.slice(0, 16)}-`)) };
  }

  /**
   * Seals a pending entry (writes its manifest) and renames it into place. Returns 'existing' when another
   * writer got there first with a valid entry; ours is then discarded.
   */
  async commit(pending: PendingEntry, job: { id: string; kind: string }): Promise<'stored' | 'existing'> {
    const files = await describeFiles(pending.dir);
    const manifest: Manifest = {
      manifestVersion: MANIFEST_VERSION,
      jobId: job.id,
      kind: job.kind,
      hash: pending.hash,
      files,
      createdAt: new Date().toISOString(),
    };
    await writeFile(join(pending.dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const target = this.entryDir(pending.hash);
    // Two attempts: the second after moving a corrupt entry out of the way.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await rename(pending.dir, target);
        return 'stored';
      } catch (error) {
        if (!isTargetTaken(error)) throw error;
      }
      if ((await this.lookup(pending.hash)).status === 'hit') {
        await this.discard(pending);
        return 'existing';
      }
      await this.evict(pending.hash);
    }
    await this.discard(pending);
    if ((await this.lookup(pending.hash)).status === 'hit') return 'existing';
    throw new Error(`cannot store cache entry ${pending.hash} in ${this.dir}`);
  }

  async discard(pending: PendingEntry): Promise<void> {
    await rm(pending.dir, { recursive: true, force: true });
  }

  /** Moves an entry aside atomically (so no reader sees it half-deleted), then deletes it. */
  async evict(hash: string): Promise<void> {
    const root = join(this.dir, TEMP_DIR);
    await mkdir(root, { recursive: true });
    const trash = await mkdtemp(join(root, `evict-${hash.slice(0, 16)}-`));
    try {
      await rename(this.entryDir(hash), join(trash, 'entry'));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await rm(trash, { recursive: true, force: true });
  }

  /** Deletes temp directories older than `maxAgeMs`, left behind by killed runs. */
  async sweepTemp(maxAgeMs: number): Promise<void> {
    const root = join(this.dir, TEMP_DIR);
    const names = await readdir(root).catch(() => [] as string[]);
    const cutoff = Date.now() - maxAgeMs;
    for (const name of names) {
      const info = await stat(join(root, name)).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await rm(join(root, name), { recursive: true, force: true });
    }
  }
}

async function checkFile(
  path: string,
  expected: ManifestFile,
  memo: Set<string>,
): Promise<{ problem?: string; identity: string }> {
  let info;
  try {
    info = await stat(path, { bigint: true });
  } catch {
    return { problem: 'missing', identity: '' };
  }
  if (info.size !== BigInt(expected.size))
    return { problem: `size ${info.size}, expected ${expected.size}`, identity: '' };
  // Nanosecond times (bigint stat), so two writes within one millisecond still differ.
  const identity = [expected.path, info.ino, info.size, info.mtimeNs, info.ctimeNs, expected.sha256].join(':');
  const key = `${path}\0${identity}`;
  if (verified.has(key) || memo.has(identity)) return { identity };
  if ((await sha256File(path)) !== expected.sha256) return { problem: 'checksum mismatch', identity };
  verified.add(key);
  return { identity };
}

/** The identities of an entry's files whose checksums were verified earlier (empty when unknown or unreadable). */
async function readMemo(file: string): Promise<Set<string>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { verified?: unknown };
    return new Set(Array.isArray(parsed.verified) ? parsed.verified.filter((item) => typeof item === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Best effort (a read-only cache just verifies again next time); written whole and renamed into place. */
async function writeMemo(cacheDir: string, file: string, identities: string[]): Promise<void> {
  try {
    await mkdir(join(cacheDir, VERIFIED_DIR), { recursive: true });
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(temp, `${JSON.stringify({ verified: identities })}\n`);
    await rename(temp, file);
  } catch {
    // Not worth failing a lookup over.
  }
}

async function describeFiles(root: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const path of await listFiles(root)) {
    const rel = relative(root, path).split(sep).join('/');
    if (rel === MANIFEST_FILE) continue;
    files.push({ path: rel, size: (await stat(path)).size, sha256: await sha256File(path) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]),
    ),
  );
  return nested.flat();
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

function isTargetTaken(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EISDIR' || code === 'EPERM';
}
