// Issue 10 items 13-14 at the store: the data folder's reserve and writability (DiskGuard), the
// ballast that lets SQLite write on a full disk, and a history opened read-only. The full-disk and
// read-only cases use a real tmpfs and a real read-only bind mount where this runs as root (chmod
// otherwise), so SQLite's own errors are the ones handled.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fillDisk, makeReadOnly, mountTmpfs } from '../../test/helpers/limited-fs';
import { jobRow } from '../../test/helpers/job-rows';
import { INTERRUPTED, JobStore } from './db';
import { BALLAST_NAME, DiskGuard, isDiskFull, isNotWritable } from './disk';

const MIB = 1024 * 1024;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'adforge-disk-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};

describe('DiskGuard', () => {
  it('refuses work below the reserve with a reason that names the folder, the free space and the setting', () => {
    const dir = tmp();
    let free = 500 * MIB;
    let t = 0;
    const g = new DiskGuard({ dir, reserveBytes: 200 * MIB, ballastBytes: MIB, freeBytes: () => free, now: () => t, ttlMs: 1000 });
    expect(g.problem()).toBeNull();
    expect(existsSync(join(dir, BALLAST_NAME))).toBe(true);
    expect(statSync(join(dir, BALLAST_NAME)).size).toBe(MIB);
    free = 150 * MIB;
    expect(g.problem(), 'cached for ttlMs').toBeNull();
    t += 1000;
    expect(g.problem()).toMatch(
      new RegExp(`Insufficient storage: 150 MiB free in the data folder ${dir}, below the 200 MiB reserve \\(ADFORGE_DISK_RESERVE_MB\\)`),
    );
    expect(g.status()).toMatchObject({ writable: true, freeBytes: 150 * MIB, reserveBytes: 200 * MIB });
    free = 0;
    g.invalidate();
    expect(g.problem()).toMatch(/Insufficient storage: 0 MiB free/);
    // No reserve configured: only a really full disk is a problem.
    const none = new DiskGuard({ dir: tmp(), reserveBytes: 0, ballastBytes: 0, freeBytes: () => 10 });
    expect(none.problem()).toBeNull();
  });

  it('keeps the ballast only while there is room for it above the reserve, and releases it on demand', () => {
    const dir = tmp();
    let free = 201 * MIB;
    const g = new DiskGuard({ dir, reserveBytes: 200 * MIB, ballastBytes: MIB, freeBytes: () => free, ttlMs: 0 });
    g.status();
    expect(existsSync(join(dir, BALLAST_NAME)), 'no ballast on a tight disk').toBe(false);
    free = 300 * MIB;
    g.status();
    expect(existsSync(join(dir, BALLAST_NAME))).toBe(true);
    expect(g.releaseBallast()).toBe(true);
    expect(existsSync(join(dir, BALLAST_NAME))).toBe(false);
    expect(g.releaseBallast(), 'nothing left to free').toBe(false);
  });

  it('classifies errors: full (ENOSPC, SQLITE_FULL) and not writable (EROFS, EACCES, SQLITE_READONLY)', () => {
    expect(isDiskFull(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isDiskFull('ENOSPC: no space left on device, write')).toBe(true);
    expect(isDiskFull(new Error('boom'))).toBe(false);
    for (const code of ['EROFS', 'EACCES', 'SQLITE_READONLY']) expect(isNotWritable(Object.assign(new Error(code), { code }))).toBe(true);
    expect(isNotWritable(new Error('boom'))).toBe(false);
  });
});

describe('on a full disk (tmpfs)', () => {
  it('the store still records a job end and deletes jobs: the ballast makes room for the WAL', (ctx) => {
    const dir = tmp();
    const umount = mountTmpfs(dir, 8 * MIB);
    if (!umount) return ctx.skip(); // needs root to mount a tmpfs
    cleanups.push(umount);
    const guard = new DiskGuard({ dir, reserveBytes: MIB, ballastBytes: 512 * 1024, ttlMs: 0 });
    expect(guard.problem()).toBeNull();
    expect(existsSync(join(dir, BALLAST_NAME))).toBe(true);
    const store = new JobStore(join(dir, 'adforge.db'), undefined, { onFull: () => guard.releaseBallast() });
    cleanups.push(() => store.close());
    const rows = Array.from({ length: 20 }, () => jobRow({ status: 'running', finishedAt: null }));
    for (const r of rows) store.insert(r);
    // Fill every last block.
    expect(fillDisk(join(dir, 'filler'))).toBeGreaterThan(0);
    expect(() => writeFileSync(join(dir, 'one-more'), Buffer.alloc(8192))).toThrow(/ENOSPC/);
    expect(guard.problem()).toMatch(/Insufficient storage: 0 MiB free/);

    // The job's end and a delete go through (SQLITE_FULL → ballast released → retried).
    store.update(rows[0].id, { status: 'failed', error: 'ENOSPC', finishedAt: 5 });
    expect(store.get(rows[0].id)).toMatchObject({ status: 'failed', error: 'ENOSPC' });
    expect(existsSync(join(dir, BALLAST_NAME))).toBe(false);
    expect(store.delete(rows[1].id)).toBe(true);
    for (const r of rows.slice(2, 12)) expect(store.delete(r.id)).toBe(true);
    expect(store.counts().total_jobs).toBe(9);

    // Space back: the ballast returns, the reserve is met again.
    rmSync(join(dir, 'filler'));
    expect(guard.problem()).toBeNull();
    expect(existsSync(join(dir, BALLAST_NAME))).toBe(true);
  });
});

describe('read-only data folder', () => {
  it('the guard says it cannot be written, and the history opens read-only with its interrupted jobs shown as such', (ctx) => {
    const dir = tmp();
    const path = join(dir, 'adforge.db');
    const s1 = new JobStore(path);
    const done = jobRow({ createdAt: 1 });
    const running = jobRow({ createdAt: 2, status: 'running', finishedAt: null });
    s1.insert(done);
    s1.insert(running);
    s1.close();
    mkdirSync(join(dir, 'runs'));
    const ro = makeReadOnly(dir);
    if (!ro) return ctx.skip(); // root without mount: cannot make a folder read-only for root
    cleanups.push(() => ro.restore());

    const guard = new DiskGuard({ dir, reserveBytes: 0, ballastBytes: 0 });
    const st = guard.status();
    expect(st.writable).toBe(false);
    expect(st.writeError).toMatch(ro.kind === 'bind-ro' ? /EROFS/ : /EACCES/);
    expect(guard.problem()).toMatch(new RegExp(`The data folder ${dir} cannot be written \\((EROFS|EACCES)`));

    const s2 = new JobStore(path);
    cleanups.push(() => s2.close());
    expect(s2.readOnly).toMatch(/READONLY|CANTOPEN|EROFS|EACCES|readonly|unable to open/i);
    expect(s2.get(done.id)).toEqual(done);
    expect(s2.get(running.id)).toMatchObject({ status: 'failed', message: INTERRUPTED, error: INTERRUPTED });
    expect(s2.interruptedOnOpen).toEqual([running.id]);
    expect(s2.counts()).toMatchObject({ total_jobs: 2, completed_jobs: 1, failed_jobs: 1, active_jobs: 0 });
    expect(s2.list({ status: 'failed' }).map((r) => r.id)).toEqual([running.id]);
    expect(() => s2.delete(done.id)).toThrow();
  });

  it('with no history yet, says clearly that it cannot be created', (ctx) => {
    const dir = tmp();
    const ro = makeReadOnly(dir);
    if (!ro) return ctx.skip();
    cleanups.push(() => ro.restore());
    expect(() => new JobStore(join(dir, 'adforge.db'))).toThrow(
      /Cannot create the job history .*adforge\.db.*Make the data folder writable or choose another \(--data-dir\)/,
    );
  });
});
