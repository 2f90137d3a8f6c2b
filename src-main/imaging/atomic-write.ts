// Writes a file so that readers only ever see the old bytes or the complete new ones: write a
// temp file in the same folder, fsync it, then rename over the final name (atomic on POSIX), then
// fsync the folder so the rename itself survives a power cut.
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/** Temp names end with this; folder listings and ZIP exports skip them. */
export const TEMP_SUFFIX = '.tmp';

export async function writeFileAtomic(path: string, data: Buffer | Uint8Array | string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dirname(path));
}

/** Best effort: some platforms (Windows) cannot open a folder for fsync. */
async function syncDir(dir: string): Promise<void> {
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // The file itself is complete either way; only the rename's durability is weaker there.
  }
}
