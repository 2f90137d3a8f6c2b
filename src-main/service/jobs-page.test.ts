// The history page reports how many jobs match, not how many one capped list returned: 150 jobs
// (rows written through the store, no pipeline) are 150, on pages of any size, under filters.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobRow } from '../../test/helpers/job-rows';
import { JobStore } from '../store/db';
import { DEFAULT_PAGE_SIZE, jobsPage } from './jobs-page';
import { recordOf } from './records';

describe('jobs page', () => {
  let dir: string;
  let store: JobStore;
  const page = (q: Parameters<typeof jobsPage>[2]) => jobsPage(store, (row) => recordOf(row, undefined, 2000), q);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'adforge-jobs-page-'));
    store = new JobStore(join(dir, 'adforge.db'));
    // 150 jobs, one a second; every third failed; the newest 20 carry the headline "Winter".
    for (let i = 0; i < 150; i++) {
      store.insert(jobRow({ createdAt: 1000 + i, status: i % 3 === 0 ? 'failed' : 'completed', text: i >= 130 ? `Winter ${i}` : `Autumn ${i}` }));
    }
  });

  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts all 150 jobs, more than one list call returns (100)', () => {
    expect(store.list().length).toBe(100);
    const first = page({});
    expect(first.total).toBe(150);
    expect(first.jobs).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(first.counts).toMatchObject({ total_jobs: 150, failed_jobs: 50, completed_jobs: 100 });
  });

  it('pages through every job once, newest first', () => {
    const seen: string[] = [];
    const created: number[] = [];
    for (let offset = 0; ; offset += 40) {
      const p = page({ limit: 40, offset });
      expect(p.total).toBe(150);
      if (p.jobs.length === 0) break;
      seen.push(...p.jobs.map((j) => j.job_id));
      created.push(...p.jobs.map((j) => j.created_at));
    }
    expect(seen).toHaveLength(150);
    expect(new Set(seen).size).toBe(150);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(page({ limit: 40, offset: 120 }).jobs).toHaveLength(30);
  });

  it('counts what matches a status filter or a search, not the page', () => {
    expect(page({ status: 'failed', limit: 10 })).toMatchObject({ total: 50, jobs: expect.any(Array) });
    expect(page({ status: 'failed', limit: 10 }).jobs).toHaveLength(10);
    expect(page({ search: '  winter ' }).total).toBe(20);
    expect(page({ search: 'winter', status: 'failed' }).total).toBe(6); // i = 132, 135, …, 147
    expect(page({ search: 'nothing like this' })).toMatchObject({ total: 0, jobs: [] });
  });
});
