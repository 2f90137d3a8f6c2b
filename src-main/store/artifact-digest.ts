// SHA-256 and file identity of artifacts, recorded when they are written and checked when they are
// read. The identity (size, mtime, inode) says cheaply whether a file may have changed: while it is
// the recorded one the file is trusted without reading it; when it differs the bytes are hashed again
// and compared. A file with no recorded digest (jobs from before digests, or written by a process that
// died before it could say) gets a structural check: a PNG must end with its IEND chunk (a truncated
// one does not), a JSON file must parse.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import type { ArtifactDigest } from '../core/jobs';

/** "size:mtimeMs:ino" of a file's stats. */
export const identityOf = (st: Pick<Stats, 'size' | 'mtimeMs' | 'ino'>): string => `${st.size}:${st.mtimeMs}:${st.ino}`;

export const digestIdentity = (d: ArtifactDigest): string => identityOf(d);

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Digest of a file as it is now, or null when it cannot be read. Synchronous: artifacts are a few MB at most. */
export function digestFileSync(path: string): ArtifactDigest | null {
  try {
    const before = statSync(path);
    const bytes = readFileSync(path);
    return { sha256: sha256Of(bytes), size: bytes.length, mtimeMs: before.mtimeMs, ino: before.ino };
  } catch {
    return null;
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Length 0, "IEND", CRC: the last 12 bytes of every complete PNG.
const PNG_TRAILER = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** Why the bytes of a file with no recorded digest do not look whole, or null. Reads at most a few bytes of a PNG. */
export function structuralProblem(path: string, size: number): string | null {
  if (path.endsWith('.png')) {
    if (size < PNG_SIGNATURE.length + PNG_TRAILER.length) return `truncated: ${size} bytes is no PNG`;
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(PNG_SIGNATURE.length);
      const tail = Buffer.alloc(PNG_TRAILER.length);
      readSync(fd, head, 0, head.length, 0);
      readSync(fd, tail, 0, tail.length, size - tail.length);
      if (!head.equals(PNG_SIGNATURE)) return 'altered: not a PNG file';
      if (!tail.equals(PNG_TRAILER)) return `truncated: the PNG ends without its IEND chunk (${size} bytes)`;
    } finally {
      closeSync(fd);
    }
    return null;
  }
  if (path.endsWith('.json')) {
    try {
      JSON.parse(readFileSync(path, 'utf8'));
      return null;
    } catch {
      return 'truncated or altered: not valid JSON';
    }
  }
  return null;
}

/** Why `actual` (the file now) is not the file recorded as `expected`, or null when it is. */
export function mismatch(expected: ArtifactDigest, actual: ArtifactDigest): string | null {
  if (actual.sha256 === expected.sha256) return null;
  if (actual.size < expected.size) return `truncated: ${actual.size} of ${expected.size} bytes`;
  return 'altered: its SHA-256 differs from the one recorded when it was written';
}
