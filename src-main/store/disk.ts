// The data folder's storage: free space against a configurable reserve, whether it can be written
// at all, and a small ballast file that makes room on a full disk.
//
// Work is refused (507) while free space is below the reserve or the folder cannot be written, so a
// full disk fails no job half-way and no submit with a bare 500. Once a disk is truly full, SQLite
// cannot even delete: a DELETE appends frames to the WAL, and a checkpoint may need to extend the
// database file (both fail with "database or disk is full"). The ballast, a few MiB of real blocks
// written when there is room, is released the moment a write fails for lack of space; that gives the
// store room to record a job's end or delete a job (whose files then free more). It is written again
// once free space is back above the reserve.
//
// Checks are cheap (statfs, and creating and removing an empty file) and cached for a moment, so
// /health and submits can ask every time.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const BALLAST_NAME = '.disk-ballast';
const PROBE_PREFIX = '.write-probe-';
const MIB = 1024 * 1024;

export interface DiskGuardOptions {
  dir: string;
  /** Free bytes to keep; 0 = none (a disk that is really full is still reported). */
  reserveBytes: number;
  /** Size of the ballast file; 0 = none. Default 4 MiB. */
  ballastBytes?: number;
  /** How long a check is reused. Default 1000 ms. */
  ttlMs?: number;
  /** Milliseconds. Default Date.now. */
  now?: () => number;
  log?: (message: string) => void;
  /** Test hook: free bytes as the file system would report them. */
  freeBytes?: (dir: string) => number | null;
}

export interface DiskStatus {
  dir: string;
  /** Bytes available to this process (statfs bavail), null when it cannot be asked. */
  freeBytes: number | null;
  reserveBytes: number;
  writable: boolean;
  /** Why it cannot be written ("EROFS: read-only file system"), else null. */
  writeError: string | null;
  /** Why new work is refused now, else null. */
  problem: string | null;
}

const codeOf = (err: unknown): string | undefined => (err as { code?: string } | null)?.code;

/** True for an error that means "no space left" (the OS's ENOSPC/EDQUOT, SQLite's SQLITE_FULL). */
export function isDiskFull(err: unknown): boolean {
  const code = codeOf(err);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
  const msg = err instanceof Error ? err.message : String(err);
  return /ENOSPC|no space left on device|database or disk is full|EDQUOT/i.test(msg);
}

/** True for an error that means "this folder or file cannot be written" (read-only mount, permissions, read-only database). */
export function isNotWritable(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN';
}

export const errorText = (err: unknown): string => {
  const code = codeOf(err);
  const msg = err instanceof Error ? err.message : String(err);
  return code && !msg.startsWith(code) ? `${code}: ${msg}` : msg;
};

const mib = (bytes: number) => `${Math.round(bytes / MIB)} MiB`;

export class DiskGuard {
  readonly dir: string;
  readonly reserveBytes: number;
  private readonly ballastBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly log: (m: string) => void;
  private readonly freeOf: (dir: string) => number | null;
  private cached: { at: number; status: DiskStatus } | null = null;
  private readonly ballastPath: string;

  constructor(opts: DiskGuardOptions) {
    this.dir = opts.dir;
    this.reserveBytes = Math.max(0, opts.reserveBytes);
    this.ballastBytes = Math.max(0, opts.ballastBytes ?? 4 * MIB);
    this.ttlMs = opts.ttlMs ?? 1000;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.freeOf = opts.freeBytes ?? statfsFree;
    this.ballastPath = join(this.dir, BALLAST_NAME);
  }

  /** The folder's state, at most ttlMs old. */
  status(): DiskStatus {
    const t = this.now();
    if (this.cached && t - this.cached.at < this.ttlMs) return this.cached.status;
    const status = this.check();
    this.cached = { at: t, status };
    return status;
  }

  /** Forget the cached state (a write just failed for lack of space, or a job's files were deleted). */
  invalidate(): void {
    this.cached = null;
  }

  /** Why new work must be refused now (507), or null. */
  problem(): string | null {
    return this.status().problem;
  }

  /**
   * Frees the ballast so a write that failed for lack of space can be retried. True when it freed
   * something (retry), false when there was nothing left to free.
   */
  releaseBallast(): boolean {
    this.invalidate();
    if (!existsSync(this.ballastPath)) return false;
    try {
      rmSync(this.ballastPath, { force: true });
      this.log(`disk full in ${this.dir}: released the ${mib(this.ballastBytes)} ballast so the history can still be written`);
      return true;
    } catch {
      return false;
    }
  }

  private check(): DiskStatus {
    const { writable, writeError } = this.probeWrite();
    let freeBytes = this.freeOf(this.dir);
    if (writable && freeBytes !== null) {
      // Put the ballast back once there is room for it and the reserve (never on a tight disk).
      const hasBallast = existsSync(this.ballastPath);
      if (!hasBallast && this.ballastBytes > 0 && freeBytes >= this.reserveBytes + 2 * this.ballastBytes) {
        if (this.writeBallast()) freeBytes = this.freeOf(this.dir);
      }
    }
    let problem: string | null = null;
    if (!writable) {
      problem = `The data folder ${this.dir} cannot be written (${writeError}): no new jobs can be stored. Make it writable and restart AdForge.`;
    } else if (freeBytes !== null && (freeBytes <= 0 || freeBytes < this.reserveBytes)) {
      problem =
        `Insufficient storage: ${mib(freeBytes)} free in the data folder ${this.dir}, below the ${mib(this.reserveBytes)} reserve ` +
        `(ADFORGE_DISK_RESERVE_MB). Delete jobs or free disk space; new jobs are refused until then.`;
    }
    return { dir: this.dir, freeBytes, reserveBytes: this.reserveBytes, writable, writeError, problem };
  }

  /** Creates and removes an empty file: says whether the folder accepts new files (a full disk still does). */
  private probeWrite(): { writable: boolean; writeError: string | null } {
    try {
      mkdirSync(this.dir, { recursive: true });
      const probe = join(this.dir, `${PROBE_PREFIX}${process.pid}`);
      closeSync(openSync(probe, 'w'));
      rmSync(probe, { force: true });
      return { writable: true, writeError: null };
    } catch (err) {
      // No room even for a directory entry: full, not read-only.
      if (isDiskFull(err)) return { writable: true, writeError: null };
      return { writable: false, writeError: errorText(err) };
    }
  }

  private writeBallast(): boolean {
    const tmp = `${this.ballastPath}.tmp`;
    try {
      const fd = openSync(tmp, 'w');
      try {
        // Real blocks (zeros written, not a sparse file), so removing it really frees space.
        const chunk = Buffer.alloc(Math.min(this.ballastBytes, MIB));
        for (let left = this.ballastBytes; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, left));
      } finally {
        closeSync(fd);
      }
      // rename is atomic: the ballast is whole or absent.
      renameSync(tmp, this.ballastPath);
      return true;
    } catch {
      rmSync(tmp, { force: true });
      return false;
    }
  }
}

function statfsFree(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}
