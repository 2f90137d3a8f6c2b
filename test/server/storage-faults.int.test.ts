// Issue 10 items 13-15 at the service (the real StudioService and pipeline worker, in process):
// a data folder below its reserve refuses work with 507 and /health says why; on a really full
// disk (a tmpfs, where this runs as root) ENOSPC mid-job fails that job only, deletes still work and
// nothing stored changes; an engine set that fails to load is reported; after a crash the
// interrupted job's artifact list and digests are rebuilt from its folder, and damaged files are
// reported as damaged.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/core/errors';
import { ARTIFACTS, type ArtifactName } from '../../src-main/core/jobs';
import { GenerateRequestSchema, type GenerateRequest } from '../../src-main/core/params';
import type { JobRecord, StudioService } from '../../src-main/core/service';
import { createStudioService, type StudioServiceConfig } from '../../src-main/service/studio-service';
import { JobStore } from '../../src-main/store/db';
import { BALLAST_NAME } from '../../src-main/store/disk';
import { fillDisk, mountTmpfs } from '../helpers/limited-fs';
import { ensureServerBuild, ROOT, WORKER } from '../support/build';
import { productPng } from '../support/product';

const MIB = 1024 * 1024;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'adforge-faults-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};

let product: string;
beforeAll(async () => {
  ensureServerBuild();
  product = (await productPng(240, 320)).toString('base64');
});

async function open(dataDir: string, extra: Partial<StudioServiceConfig> = {}, logs: string[] = []): Promise<StudioService> {
  const service = await createStudioService({
    dataDir,
    modelsDir: join(ROOT, 'models'),
    fontDirs: { bundled: join(ROOT, 'fonts'), user: null },
    workerScript: WORKER,
    providers: ['cpu'],
    log: (m) => logs.push(m),
    ...extra,
  });
  cleanups.push(() => service.close());
  return service;
}

const req = (over: Record<string, unknown> = {}): GenerateRequest =>
  GenerateRequestSchema.parse({ product_image: product, text_content: 'FAULTS', long_edge: 512, seed: 3, ...over });

function finished(service: StudioService, jobId: string, timeoutMs = 120_000): Promise<JobRecord> {
  return new Promise((resolve, reject) => {
    const now = service.get(jobId);
    if (now && !['pending', 'running'].includes(now.status)) return resolve(now);
    const timer = setTimeout(() => reject(new Error(`job ${jobId} did not finish`)), timeoutMs);
    const off = service.onEvent((e) => {
      if (e.type === 'finished' && e.job.job_id === jobId) {
        clearTimeout(timer);
        off();
        resolve(e.job);
      }
    });
  });
}

/** SHA-256 of every file in a job's folder, by name. */
function hashes(dataDir: string, jobId: string): Record<string, string> {
  const dir = join(dataDir, 'runs', jobId);
  return Object.fromEntries(
    readdirSync(dir).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    ]),
  );
}

/** The artifacts on disk, in ARTIFACTS order (what a job's list must say). */
function onDisk(dataDir: string, jobId: string): ArtifactName[] {
  const names = new Set(readdirSync(join(dataDir, 'runs', jobId)));
  return (Object.keys(ARTIFACTS) as ArtifactName[]).filter((a) => names.has(ARTIFACTS[a]));
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('storage faults at the service', () => {
  it('below the reserve: submit is refused with 507 naming the free space, /health is degraded with the reason, nothing is stored; deleting works; space back, jobs run', async () => {
    const dataDir = tmp();
    let free = 50_000 * MIB;
    const service = await open(dataDir, { diskReserveMb: 200, diskFreeBytes: () => free });
    const a = await finished(service, (await service.submit(req(), { queue: true, client: 'test' })).job_id);
    expect(a.status).toBe('completed');
    const before = hashes(dataDir, a.job_id);

    free = 10 * MIB;
    await sleep(1100); // the disk check is reused for a second
    const err = await rejection(service.submit(req(), { queue: true, client: 'test' }));
    expect(err.status).toBe(507);
    expect(err.detail).toMatch(/^Insufficient storage: 10 MiB free in the data folder .*, below the 200 MiB reserve \(ADFORGE_DISK_RESERVE_MB\)/);
    expect(() => service.requireStorage()).toThrow(expect.objectContaining({ status: 507 }));
    expect(service.counts().total_jobs).toBe(1);
    expect(readdirSync(join(dataDir, 'runs'))).toEqual([a.job_id]);
    const h = await service.health();
    expect(h.status).toBe('degraded');
    expect(h.reasons).toEqual([expect.stringMatching(/^Insufficient storage: 10 MiB free/)]);
    expect(h.storage).toMatchObject({ data_dir: dataDir, writable: true, free_bytes: 10 * MIB, reserve_bytes: 200 * MIB });
    expect(hashes(dataDir, a.job_id)).toEqual(before);

    await service.remove(a.job_id);
    expect(service.get(a.job_id)).toBeUndefined();

    free = 50_000 * MIB;
    await sleep(1100);
    expect((await service.health()).status).toBe('healthy');
    expect((await finished(service, (await service.submit(req(), { queue: true, client: 'test' })).job_id)).status).toBe('completed');
  });

  it('on a really full disk (tmpfs): ENOSPC mid-job fails that job only, with "Disk full"; deleting works; stored files are unchanged; space back, jobs run', async (ctx) => {
    const dataDir = tmp();
    const umount = mountTmpfs(dataDir, 192 * MIB); // the segmentation model cache alone takes ~90 MB
    if (!umount) return ctx.skip(); // not root: the reserve test above simulates it
    cleanups.push(umount);
    const logs: string[] = [];
    const service = await open(dataDir, { diskReserveMb: 8 }, logs);
    expect(existsSync(join(dataDir, BALLAST_NAME))).toBe(true);
    const a = await finished(service, (await service.submit(req(), { queue: true, client: 'test' })).job_id);
    expect(a.status).toBe('completed');
    const keptA = hashes(dataDir, a.job_id);

    // A big job; the disk fills up after its step 1 is saved.
    const b = await service.submit(req({ long_edge: 2048, text_content: 'Disk full mid-job' }), { queue: true, client: 'test' });
    await new Promise<void>((resolve) => {
      const off = service.onEvent((e) => {
        if (e.type === 'step-result' && e.job.job_id === b.job_id) {
          off();
          fillDisk(join(dataDir, 'filler'));
          resolve();
        }
      });
    });
    const failed = await finished(service, b.job_id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^Disk full: the data folder ran out of space .*ENOSPC.*Free disk space or delete jobs, then run it again\.$/);
    // Its list is what is on disk (step 1 and before), no temp file left, each file verifies.
    expect(failed.artifacts).toEqual(onDisk(dataDir, b.job_id));
    expect(failed.artifacts).toContain('step1');
    expect(readdirSync(join(dataDir, 'runs', b.job_id)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const art of failed.artifacts) expect(service.artifactCheck(b.job_id, art)?.state, art).toBe('ok');

    // Nothing else failed: the service answers, says why it refuses, and refuses with 507.
    const h = await service.health();
    expect(h.status).toBe('degraded');
    expect(h.reasons?.[0]).toMatch(/^Insufficient storage: \d+ MiB free in the data folder .* below the 8 MiB reserve/);
    expect((await rejection(service.submit(req(), { queue: true, client: 'test' }))).status).toBe(507);
    expect(hashes(dataDir, a.job_id)).toEqual(keptA);

    // Deleting works on the full disk (SQLite included).
    await service.remove(b.job_id);
    expect(service.get(b.job_id)).toBeUndefined();
    expect(existsSync(join(dataDir, 'runs', b.job_id))).toBe(false);
    expect(hashes(dataDir, a.job_id)).toEqual(keptA);

    rmSync(join(dataDir, 'filler'));
    await sleep(1100);
    expect((await service.health()).status).toBe('healthy');
    expect(existsSync(join(dataDir, BALLAST_NAME)), 'the ballast is back').toBe(true);
    expect((await finished(service, (await service.submit(req(), { queue: true, client: 'test' })).job_id)).status).toBe('completed');
    expect(service.get(a.job_id)?.status).toBe('completed');
  });

  it('an engine set that fails to load is reported by /health (degraded, with the error) and by the jobs that need it', async () => {
    const service = await open(tmp(), { faults: { testFault: 'setup' } });
    let h = await service.health();
    for (let i = 0; i < 200 && h.status !== 'degraded'; i++) {
      await sleep(50);
      h = await service.health();
    }
    expect(h.status).toBe('degraded');
    expect(h.reasons).toEqual([
      expect.stringMatching(/^Engine setup failed: test fault 'setup': engine setup failed on purpose\. Jobs fail until the engines load/),
    ]);
    const job = await finished(service, (await service.submit(req(), { queue: true, client: 'test' })).job_id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/test fault 'setup'/);
    expect((await service.health()).status).toBe('degraded');
  });
});

describe('crash consistency at the service', () => {
  it('an interrupted job lists exactly the files on disk after restart (temp files removed, digests taken); damaged files are reported, not served', async () => {
    const dataDir = tmp();
    const s1 = await open(dataDir);
    const a = await finished(s1, (await s1.submit(req(), { queue: true, client: 'test' })).job_id);
    const c = await finished(s1, (await s1.submit(req({ seed: 4 }), { queue: true, client: 'test' })).job_id);
    expect([a.status, c.status]).toEqual(['completed', 'completed']);
    const keptC = hashes(dataDir, c.job_id);
    await s1.close();

    // What a kill leaves: the row still "running" and listing only what was recorded before the
    // last files were written, a temp file of a write cut short, no digests.
    const store = new JobStore(join(dataDir, 'adforge.db'));
    store.update(a.job_id, { status: 'running', finishedAt: null, artifacts: ['params'], digests: {} });
    store.close();
    writeFileSync(join(dataDir, 'runs', a.job_id, `final.png.0123456789ab.tmp`), 'half a PNG');

    const s2 = await open(dataDir);
    const after = s2.get(a.job_id)!;
    expect(after).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(after.artifacts).toEqual(onDisk(dataDir, a.job_id));
    expect(after.artifacts).toEqual(expect.arrayContaining(['input', 'step1', 'step2', 'final', 'params']));
    expect(readdirSync(join(dataDir, 'runs', a.job_id)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const art of after.artifacts) expect(s2.artifactCheck(a.job_id, art)?.state, art).toBe('ok');

    // A damaged file: reported, left out, never served.
    const final = join(dataDir, 'runs', c.job_id, 'final.png');
    truncateSync(final, 1000);
    expect(s2.artifactCheck(c.job_id, 'final')).toMatchObject({ state: 'damaged', reason: expect.stringMatching(/^truncated: 1000 of \d+ bytes/) });
    expect(s2.get(c.job_id)?.damaged).toEqual(['final']);
    expect(s2.artifactPath(c.job_id, 'final')).toBeUndefined();
    expect(await rejection(s2.artifactFile(c.job_id, 'final.png', 128))).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/is damaged \(truncated/),
    });
    const zip = await s2.exportJobs([c.job_id]);
    expect(zip.damaged).toEqual([{ job_id: c.job_id, artifact: 'final', reason: expect.stringMatching(/^truncated/) }]);
    // Every other file of the job is exactly what was written.
    const now = hashes(dataDir, c.job_id);
    for (const [f, h] of Object.entries(keptC)) if (f !== 'final.png') expect(now[f], f).toBe(h);
    // A thumbnail of an intact image still works.
    const thumb = await s2.artifactFile(c.job_id, 'step1.png', 64);
    expect((await sharp(Buffer.from(thumb.body)).metadata()).width).toBe(64);
  });
});
