// The lock file records what was actually installed: the revision and, per file, the size and the
// sha256 that was checked (and against what). `verify` re-hashes against it, and the catalog trusts
// a model as installed only when its lock agrees with the files on disk.
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../imaging/atomic-write';

/** Name of the lock file in an installed model's folder. */
export const MODEL_LOCK_FILE = 'adforge-lock.json';

const lockSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  repo: z.string().nullable(),
  revision: z.string().nullable(),
  source: z.enum(['download', 'import']),
  installedAt: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      bytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** Where the expected hash came from; "none" means only recorded, nothing to compare with. */
      checkedAgainst: z.enum(['manifest', 'hub-lfs', 'git-blob', 'none']),
      repo: z.string().optional(),
      revision: z.string().nullable().optional(),
    }),
  ),
});
export type ModelLock = z.infer<typeof lockSchema>;
export type LockedFile = ModelLock['files'][number];

export async function readLock(file: string): Promise<ModelLock | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const r = lockSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** fsync a directory so a rename inside it survives a power cut (no-op where unsupported). */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => null);
  if (!fh) return;
  try {
    await fh.sync().catch(() => {});
  } finally {
    await fh.close();
  }
}

export async function writeLock(file: string, lock: ModelLock): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(lockSchema.parse(lock), null, 2)}\n`);
}
