import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { GenerateRequestSchema } from '../core/params';
import type { JobStatus } from '../core/jobs';
import { JobStore, type JobRow } from './db';
import { RunFolders } from './run-folders';
import { sweepRetention } from './retention';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DAY = 86_400;
const NOW = 100 * DAY;

function row(status: JobStatus, ageDays: number): JobRow {
  const { product_image: _a, step1_image: _b, step2_image: _c, ...req } = GenerateRequestSchema.parse({});
  const t = NOW - ageDays * DAY;
  return {
    id: randomUUID(),
    status,
    client: 'test',
    createdAt: t,
    startedAt: t,
    finishedAt: status === 'running' || status === 'pending' ? null : t,
    startStep: 1,
    stopStep: 3,
    params: { ...req, seed: 1 },
    progress: 0,
    currentStep: null,
    subStep: null,
    message: '',
    error: null,
    engines: {},
    provider: null,
    timings: {},
    reusedSteps: [],
    artifacts: ['final'],
    fromJobId: null,
  };
}

async function setup(rows: JobRow[]) {
  const d = mkdtempSync(join(tmpdir(), 'adforge-ret-'));
  dirs.push(d);
  const store = new JobStore(join(d, 'db.sqlite'));
  const folders = new RunFolders(d);
  for (const r of rows) {
    store.insert(r);
    await folders.create(r.id);
    await folders.writeFile(r.id, 'final.png', Buffer.from('png'));
  }
  return { store, folders };
}

describe('retention sweep', () => {
  it('removes finished jobs older than maxAgeDays (row and folder), never active ones', async () => {
    const oldDone = row('completed', 40);
    const oldFailed = row('failed', 31);
    const oldRunning = row('running', 45);
    const oldPending = row('pending', 45);
    const young = row('completed', 2);
    const { store, folders } = await setup([oldDone, oldFailed, oldRunning, oldPending, young]);
    const r = await sweepRetention(store, folders, { maxAgeDays: 30 }, NOW);
    expect(r.removed.sort()).toEqual([oldDone.id, oldFailed.id].sort());
    for (const gone of [oldDone, oldFailed]) {
      expect(store.get(gone.id)).toBeUndefined();
      expect(existsSync(folders.dirOf(gone.id))).toBe(false);
    }
    for (const kept of [oldRunning, oldPending, young]) {
      expect(store.get(kept.id)).toBeDefined();
      expect(existsSync(folders.fileOf(kept.id, 'final'))).toBe(true);
    }
    store.close();
  });

  it('keeps only the newest maxJobs, skipping jobs the runner holds; null limits keep everything', async () => {
    const rows = [row('completed', 5), row('stopped', 4), row('completed', 3), row('completed', 2), row('completed', 1)];
    const { store, folders } = await setup(rows);
    expect((await sweepRetention(store, folders, { maxAgeDays: null, maxJobs: null }, NOW)).removed).toEqual([]);
    const held = rows[0].id; // e.g. the runner still finishing it
    const r = await sweepRetention(store, folders, { maxAgeDays: null, maxJobs: 2 }, NOW, (id) => id === held);
    expect(r.removed.sort()).toEqual([rows[1].id, rows[2].id].sort());
    expect(store.list().map((j) => j.id)).toEqual([rows[4].id, rows[3].id, rows[0].id]);
    store.close();
  });
});
