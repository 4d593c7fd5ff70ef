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
  | { status: 'hit'; dir: string; manifest: Manifest }
  | { status: 'missing' }
  | { status: 'corrupt'; reason: string };

/** A job's output directory being written, not yet visible in the cache. */
export interface PendingEntry {
  readonly hash: string;
  readonly dir: string;
}

// Checksums already verified in this process, keyed by file identity; a rewrite or truncation changes the
// size or mtime, so it is verified again.
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
    if (manifest.hash !== hash || !Array.isArray(manifest.files)) return { status: 'corrupt', reason: 'manifest does not describe this entry' };
    for (const file of manifest.files) {
      const problem = await checkFile(join(dir, file.path), file);
      if (problem) return { status: 'corrupt', reason: `${file.path}: ${problem}` };
    }
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

async function checkFile(path: string, expected: ManifestFile): Promise<string | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 'missing';
  }
  if (info.size !== expected.size) return `size ${info.size}, expected ${expected.size}`;
  const identity = `${path}\0${info.ino}\0${info.size}\0${info.mtimeMs}\0${expected.sha256}`;
  if (verified.has(identity)) return undefined;
  if ((await sha256File(path)) !== expected.sha256) return 'checksum mismatch';
  verified.add(identity);
  return undefined;
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
    entries.map((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))),
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
