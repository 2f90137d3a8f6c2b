// Folders with real storage faults for the fault tests: a size-limited file system (a tmpfs mount)
// and a read-only folder. Root ignores permission bits (chmod a-w stops nobody running as root), so
// as root a folder is made read-only with a read-only bind mount over itself (EROFS, what a read-only
// volume gives); as any other user chmod is enough (EACCES). Where neither can be done the helpers
// return null and the tests say what they skipped.
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function sh(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Mounts a tmpfs of `bytes` on `dir` (root only); returns the unmount function, or null when it cannot. */
export function mountTmpfs(dir: string, bytes: number): (() => void) | null {
  if (!isRoot()) return null;
  if (!sh('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'adforge-fault-test', dir])) return null;
  return () => {
    sh('umount', ['-l', dir]);
  };
}

export interface ReadOnlyDir {
  /** How it was made read-only: a read-only bind mount (EROFS) or permission bits (EACCES). */
  kind: 'bind-ro' | 'chmod';
  /** Makes it writable again. */
  restore(): void;
}

function chmodTree(dir: string, writable: boolean): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) chmodTree(p, writable);
    else chmodSync(p, writable ? 0o644 : 0o444);
  }
  chmodSync(dir, writable ? 0o755 : 0o555);
}

/** Makes `dir` (and everything in it) read-only for this process and its children; null when it cannot. */
export function makeReadOnly(dir: string): ReadOnlyDir | null {
  if (isRoot()) {
    if (!sh('mount', ['--bind', dir, dir])) return null;
    if (!sh('mount', ['-o', 'remount,bind,ro', dir])) {
      sh('umount', ['-l', dir]);
      return null;
    }
    return { kind: 'bind-ro', restore: () => void sh('umount', ['-l', dir]) };
  }
  chmodTree(dir, false);
  return { kind: 'chmod', restore: () => chmodTree(dir, true) };
}

/** Writes zeros into `path` until the file system says ENOSPC; returns the bytes written. */
export function fillDisk(path: string): number {
  const r = spawnSync('sh', ['-c', `dd if=/dev/zero of='${path}' bs=64k 2>/dev/null; stat -c %s '${path}'`], { encoding: 'utf8' });
  return Number(r.stdout.trim()) || 0;
}
