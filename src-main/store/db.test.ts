import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobRow as rowFor } from '../../test/helpers/job-rows';
import Database from 'libsql';
import { INTERRUPTED, JobStore } from './db';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'adforge-db-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('JobStore', () => {
  it('keeps jobs and learned timings across a reopen, in WAL mode', () => {
    const path = join(tmp(), 'a.db');
    const s1 = new JobStore(path);
    const row = rowFor({ text: '사과 특가' });
    s1.insert(row);
    s1.saveTiming({ subStep: 'segmentation', engine: 'isnet', emaSeconds: 2.5, samples: 3, updatedAt: 5 });
    s1.close();
    const s2 = new JobStore(path);
    expect(s2.get(row.id)).toEqual(row);
    expect(s2.timings()).toEqual([{ subStep: 'segmentation', engine: 'isnet', emaSeconds: 2.5, samples: 3, updatedAt: 5 }]);
    expect(s2.interruptedOnOpen).toEqual([]);
    s2.close();
  });

  it('marks jobs left running or pending as failed "interrupted" on open; finished ones untouched', () => {
    const path = join(tmp(), 'b.db');
    const s1 = new JobStore(path);
    const running = rowFor({ status: 'running', finishedAt: null, progress: 40, artifacts: ['input', 'step1', 'params'] });
    const pending = rowFor({ status: 'pending', startedAt: null, finishedAt: null });
    const done = rowFor();
    for (const r of [running, pending, done]) s1.insert(r);
    // No close(): the process "dies" with the database open.
    const s2 = new JobStore(path, () => 2000);
    expect(s2.interruptedOnOpen.sort()).toEqual([running.id, pending.id].sort());
    const r = s2.get(running.id);
    expect(r).toMatchObject({ status: 'failed', message: INTERRUPTED, error: INTERRUPTED, finishedAt: 2000, progress: 40 });
    expect(r?.artifacts).toEqual(['input', 'step1', 'params']);
    expect(s2.get(pending.id)?.status).toBe('failed');
    expect(s2.get(done.id)).toEqual(done);
    s1.close();
    s2.close();
  });

  it('lists newest first, filters by status and search text, pages, counts and deletes', () => {
    const s = new JobStore(join(tmp(), 'c.db'));
    const a = rowFor({ createdAt: 1, text: 'Summer SALE 50%' });
    const b = rowFor({ createdAt: 2, status: 'failed', error: 'boom', text: '신상품 출시' });
    const c = rowFor({ createdAt: 3, status: 'running', finishedAt: null, text: 'Fresh coffee' });
    for (const r of [a, b, c]) s.insert(r);
    expect(s.list().map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    expect(s.list({ status: 'failed' }).map((r) => r.id)).toEqual([b.id]);
    expect(s.list({ search: 'sale' }).map((r) => r.id)).toEqual([a.id]);
    expect(s.list({ search: '신상품' }).map((r) => r.id)).toEqual([b.id]);
    expect(s.list({ search: '50%' }).map((r) => r.id)).toEqual([a.id]);
    expect(s.list({ search: '%' }).map((r) => r.id)).toEqual([a.id]); // LIKE wildcards are literal
    expect(s.list({ limit: 1, offset: 1 }).map((r) => r.id)).toEqual([b.id]);
    // count() applies the same filter as list(), without its page.
    expect([s.count(), s.count({ status: 'failed' }), s.count({ search: '%' }), s.count({ status: 'failed', search: 'sale' })]).toEqual([3, 1, 1, 0]);
    expect(s.counts()).toEqual({ total_jobs: 3, active_jobs: 1, completed_jobs: 1, failed_jobs: 1, stopped_jobs: 0, pending_jobs: 0 });
    s.update(c.id, { status: 'stopped', finishedAt: 9, message: 'Stopped by user', engines: { text: 'procedural' } });
    expect(s.get(c.id)).toMatchObject({ status: 'stopped', finishedAt: 9, engines: { text: 'procedural' } });
    expect(s.delete(a.id)).toBe(true);
    expect(s.get(a.id)).toBeUndefined();
    expect(s.counts().total_jobs).toBe(2);
    s.close();
  });

  it('retention candidates never include active jobs', () => {
    const s = new JobStore(join(tmp(), 'd.db'));
    const old = rowFor({ createdAt: 10, finishedAt: 11 });
    const oldRunning = rowFor({ createdAt: 5, status: 'running', finishedAt: null });
    const recent = rowFor({ createdAt: 100, finishedAt: 101 });
    for (const r of [old, oldRunning, recent]) s.insert(r);
    expect(s.expiredJobIds({ finishedBefore: 50 })).toEqual([old.id]);
    expect(s.expiredJobIds({ keep: 1 }).sort()).toEqual([old.id]);
    s.close();
  });

  it('opens a history written by the previous version (schema 1) and keeps every job', () => {
    const path = join(tmp(), 'v1.db');
    const s0 = new JobStore(path);
    const row = rowFor({ status: 'completed' });
    s0.insert(row);
    s0.close();
    // Roll the file back to what version 1 wrote: no engine reports column, user_version 1.
    const raw = new Database(path);
    raw.exec('ALTER TABLE jobs DROP COLUMN engine_reports_json; ALTER TABLE jobs DROP COLUMN artifact_digests_json; PRAGMA user_version = 1;');
    raw.close();
    const s1 = new JobStore(path);
    expect(s1.get(row.id)).toMatchObject({ id: row.id, status: 'completed', engines: row.engines, engineReports: {} });
    s1.update(row.id, { engineReports: { background: { engine: 'sdxl-turbo', provider: 'cuda', prompt_used: 'a lobby' } } });
    expect(s1.get(row.id)?.engineReports?.background?.prompt_used).toBe('a lobby');
    s1.close();
  });
});
