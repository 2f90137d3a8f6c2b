// The job lane end to end: StudioService over the real pipeline worker (dist/worker.js, built
// from the current sources), real jobs with tiny uploaded images, busy refusal, reruns; then the
// JobRunner alone on the real worker with its `faults` option (stop a hung worker, survive a
// crash), placement previews computed in the worker, and a graceful close.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureServerBuild, ROOT, WORKER } from '../../test/support/build';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { AppError, BusyError } from '../core/errors';
import { IMAGE_FIELDS, GenerateRequestSchema, type GenerateRequestInput } from '../core/params';
import type { JobRecord, StudioService } from '../core/service';
import { resolveFont } from '../engines/typography/fonts';
import { UPLOADS, type WorkerJob } from '../pipeline/job';
import { computePlacementPreview } from '../pipeline/placement-preview';
import { JobStore, type JobRow } from '../store/db';
import { RunFolders } from '../store/run-folders';
import { createStudioService } from '../service/studio-service';
import { JobRunner, type RunnerEvent, type WorkerFaults } from './job-runner';

let service: StudioService;
let dataDir: string;
let step1B64: string;
let step2B64: string;
let productB64: string;

async function makeService(dir: string, extra: { stopGraceMs?: number } = {}): Promise<StudioService> {
  return createStudioService({
    dataDir: dir,
    modelsDir: join(ROOT, 'models'),
    fontDirs: { bundled: join(ROOT, 'fonts'), user: null },
    workerScript: WORKER,
    log: () => {},
    ...extra,
  });
}

const req = (input: GenerateRequestInput) => GenerateRequestSchema.parse(input);
const step3 = (extra: GenerateRequestInput = {}) => req({ start_step: 3, step1_image: step1B64, step2_image: step2B64, text_content: 'SALE', ...extra });

function waitFor(jobId: string, pred: (j: JobRecord) => boolean, timeoutMs = 60_000): Promise<JobRecord> {
  return new Promise((res, rej) => {
    const check = () => {
      const j = service.get(jobId);
      if (j && pred(j)) {
        clearInterval(timer);
        clearTimeout(to);
        res(j);
      }
    };
    const timer = setInterval(check, 10);
    const to = setTimeout(() => {
      clearInterval(timer);
      rej(new Error(`timeout waiting for ${jobId}: ${JSON.stringify(service.get(jobId))}`));
    }, timeoutMs);
    check();
  });
}
/** The worker has sent its first progress report for the job (the runner says 'Starting' until then). */
const reported = (j: JobRecord) => j.status === 'running' && j.message !== 'Starting';
const finished = (id: string, ms?: number) => waitFor(id, (j) => ['completed', 'failed', 'stopped'].includes(j.status), ms);

beforeAll(async () => {
  ensureServerBuild();
  // Step 1: a warm gradient scene; step 2: a white text-like block on transparent; product: a red disc.
  const w = 384;
  const h = 384;
  const scene = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) scene.set([200 - (y >> 2), 160, 120 + (x >> 3)], (y * w + x) * 3);
  step1B64 = (
    await sharp(scene, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toBuffer()
  ).toString('base64');
  const text = Buffer.alloc(w * 96 * 4);
  for (let y = 20; y < 76; y++) for (let x = 40; x < w - 40; x++) if ((x >> 4) % 2 === 0) text.set([250, 250, 250, 255], (y * w + x) * 4);
  step2B64 = (
    await sharp(text, { raw: { width: w, height: 96, channels: 4 } })
      .png()
      .toBuffer()
  ).toString('base64');
  const disc = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320"><rect width="320" height="320" fill="#f4f4f4"/><circle cx="160" cy="170" r="110" fill="#d22"/></svg>`,
  );
  productB64 = (await sharp(disc).png().toBuffer()).toString('base64');
  dataDir = mkdtempSync(join(tmpdir(), 'adforge-runner-'));
  service = await makeService(dataDir);
});

afterAll(async () => {
  await service?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('JobRunner + StudioService on the real pipeline worker', () => {
  let firstJob: JobRecord;

  it('runs a real step-3 job to completion and writes final.png the size of step 1', async () => {
    const submitted = await service.submit(step3({ seed: 7 }), { queue: false, client: 'test' });
    expect(submitted.status === 'pending' || submitted.status === 'running').toBe(true);
    expect(submitted.parameters.seed).toBe(7);
    expect(submitted.reused_steps).toEqual(['step1_background', 'step2_text']);
    const done = await finished(submitted.job_id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('completed');
    expect(done.progress_percent).toBe(100);
    expect(done.eta_seconds).toBeNull();
    expect(done.artifacts).toContain('final');
    const finalPath = service.artifactPath(done.job_id, 'final');
    expect(finalPath).toBeDefined();
    const meta = await sharp(readFileSync(finalPath as string)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 384, 384]);
    // The headline changed pixels: final differs from the uploaded step 1.
    const a = await sharp(readFileSync(finalPath as string))
      .removeAlpha()
      .raw()
      .toBuffer();
    const b = await sharp(Buffer.from(step1B64, 'base64')).removeAlpha().raw().toBuffer();
    let changed = 0;
    for (let i = 0; i < a.length; i += 3) if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 30) changed++;
    expect(changed).toBeGreaterThan(500);
    // No base64 anywhere in what is stored or reported.
    expect(JSON.stringify(done)).not.toContain(step1B64.slice(0, 40));
    const params = JSON.parse(readFileSync(join(dataDir, 'runs', done.job_id, 'params.json'), 'utf8')) as Record<string, unknown>;
    expect(params.seed).toBe(7);
    expect(params).not.toHaveProperty('step1_image');
    expect(Object.keys(done.timings).length).toBeGreaterThan(0);
    firstJob = done;
  });

  it('reruns step 3 from a stored job with from_job_id (no uploads) and the same seed reproduces the image', async () => {
    const rerun = await service.submit(req({ start_step: 3, from_job_id: firstJob.job_id, text_content: 'SALE', seed: 7 }), { queue: false, client: 'test' });
    const done = await finished(rerun.job_id);
    expect(done.status).toBe('completed');
    expect(done.reused_steps).toEqual(['step1_background', 'step2_text']);
    const x = readFileSync(service.artifactPath(done.job_id, 'final') as string);
    const y = readFileSync(service.artifactPath(firstJob.job_id, 'final') as string);
    expect(x.equals(y)).toBe(true);
  });

  it('refuses with BusyError (retry_after >= 1) while busy when not queueing; queued jobs run FIFO', async () => {
    const a = await service.submit(step3(), { queue: false, client: 'test' });
    let busy: unknown;
    try {
      await service.submit(step3(), { queue: false, client: 'test' });
    } catch (err) {
      busy = err;
    }
    expect(busy).toBeInstanceOf(BusyError);
    expect((busy as BusyError).status).toBe(503);
    expect((busy as BusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(service.retryAfterSeconds()).toBeGreaterThanOrEqual(1);
    const b = await service.submit(step3(), { queue: true, client: 'comfy' });
    // A composition-only job can finish before the second submit returns: then b starts at once.
    const bWhenQueued = service.get(b.job_id)?.status;
    const [da, db] = [await finished(a.job_id), await finished(b.job_id)];
    expect(bWhenQueued === 'pending' || (bWhenQueued === 'running' && (db.start_time ?? 0) >= (da.finished_at ?? Infinity))).toBe(true);
    expect([da.status, db.status]).toEqual(['completed', 'completed']);
    expect((db.start_time ?? 0) >= (da.finished_at ?? Infinity)).toBe(true);
    expect(service.counts().active_jobs).toBe(0);
  });

  it('stops a running full job cooperatively within 2 s and keeps its finished files', async () => {
    const job = await service.submit(req({ product_image: productB64, text_content: '봄 세일', long_edge: 512 }), { queue: false, client: 'test' });
    await waitFor(job.job_id, reported);
    const t0 = performance.now();
    const stopped = await service.stop(job.job_id);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(stopped.status).toBe('stopped');
    expect(stopped.message).toBe('Stopped by user');
    expect(stopped.artifacts).toContain('params');
    // Stopping again returns it unchanged.
    expect((await service.stop(job.job_id)).status).toBe('stopped');
  });

  it('runs a background-only job (start_step 1, no product, no headline): final is the scene', async () => {
    const job = await service.submit(req({ long_edge: 256, aspect_ratio: '16:9', seed: 3 }), { queue: false, client: 'test' });
    const done = await finished(job.job_id);
    expect(done.status).toBe('completed');
    expect(done.artifacts).toEqual(expect.arrayContaining(['step1', 'final', 'params']));
    const meta = await sharp(service.artifactPath(done.job_id, 'final')).metadata();
    expect([meta.width, meta.height]).toEqual([256, 144]);
  });

  it('rejects bad cross-field input with the field named, and keeps serving', async () => {
    const code = async (r: Promise<unknown>) => {
      try {
        await r;
        return null;
      } catch (err) {
        return err instanceof AppError ? [err.status, err.field, err.detail] : ['not AppError', String(err)];
      }
    };
    const sub = (input: GenerateRequestInput) => service.submit(req(input), { queue: false, client: 'test' });
    expect(await code(sub({ start_step: 2 }))).toEqual([400, 'step1_image', expect.stringContaining('step1_image')]);
    expect(await code(sub({ start_step: 3, step1_image: step1B64 }))).toEqual([400, 'step2_image', expect.any(String)]);
    expect(await code(sub({ start_step: 3, stop_step: 2, step1_image: step1B64, step2_image: step2B64 }))).toEqual([400, 'stop_step', expect.any(String)]);
    expect(await code(sub({ start_step: 2, from_job_id: '00000000-0000-4000-8000-000000000000' }))).toEqual([404, 'from_job_id', 'from_job_id: job not found']);
    expect(await code(sub({ start_step: 2, from_job_id: '../../etc' }))).toEqual([404, 'from_job_id', 'from_job_id: job not found']);
    const bgOnly = service.list({ status: 'completed' }).find((j) => !j.artifacts.includes('step2'));
    expect(bgOnly).toBeDefined();
    expect(await code(sub({ start_step: 3, from_job_id: bgOnly?.job_id ?? null }))).toEqual([400, 'from_job_id', expect.stringContaining('step2.png')]);
    expect(await code(sub({ product_image: 'not base64!!' }))).toEqual([400, 'product_image', expect.any(String)]);
    expect(await code(sub({ product_image: Buffer.from('hello world, not an image').toString('base64') }))).toEqual([400, 'product_image', expect.any(String)]);
    expect(await code(sub({ font_name: '../../../etc/passwd' }))).toEqual([400, 'font_name', expect.any(String)]);
    // Nothing half-created by the refusals.
    expect(service.counts().active_jobs).toBe(0);
    const ok = await service.submit(step3(), { queue: false, client: 'test' });
    expect((await finished(ok.job_id)).status).toBe('completed');
  });

  it('deletes finished jobs (row and folder), refuses active ones with 400, 404 for unknown', async () => {
    const active = await service.submit(step3(), { queue: false, client: 'test' });
    await expect(service.remove(active.job_id)).rejects.toMatchObject({ status: 400 });
    await service.stop(active.job_id);
    await service.remove(active.job_id);
    expect(service.get(active.job_id)).toBeUndefined();
    expect(existsSync(join(dataDir, 'runs', active.job_id))).toBe(false);
    await expect(service.remove(active.job_id)).rejects.toMatchObject({ status: 404 });
    await expect(service.stop('nope')).rejects.toMatchObject({ status: 404 });
  });

  it('learns sub-step timings into the database and reports health', async () => {
    const h = await service.health();
    expect(h.status).toBe('healthy');
    expect(h.total_jobs).toBe(service.counts().total_jobs);
    expect(h.engines.compose).toBe('procedural');
    expect(h.system_metrics.ram_total_gb).toBeGreaterThan(0);
    await service.close();
    const store = new JobStore(join(dataDir, 'adforge.db'));
    const learned = store.timings();
    store.close();
    expect(learned.find((t) => t.subStep === 'composition')?.samples).toBeGreaterThanOrEqual(3);
    service = await makeService(dataDir); // reopen: history intact
    expect(service.get(firstJob.job_id)?.status).toBe('completed');
  });
});

describe('JobRunner alone on the real pipeline worker: faults, previews, close', () => {
  const faults: WorkerFaults = {};
  const events: RunnerEvent[] = [];
  let dir: string;
  let store: JobStore;
  let folders: RunFolders;
  let runner: JobRunner;
  const fontDirs = { bundled: join(ROOT, 'fonts'), user: null };

  /** A pending step-3 job with the uploaded scene and text layer in its run folder, as the service makes it. */
  async function stepThreeJob(): Promise<WorkerJob> {
    const id = randomUUID();
    await folders.create(id);
    await folders.writeFile(id, UPLOADS.step1, Buffer.from(step1B64, 'base64'));
    await folders.writeFile(id, UPLOADS.step2, Buffer.from(step2B64, 'base64'));
    const request = req({ start_step: 3, text_content: 'SALE', seed: 5 });
    const params = { ...request, seed: 5 } as Record<string, unknown>;
    for (const f of IMAGE_FIELDS) delete params[f];
    const row: JobRow = {
      id,
      status: 'pending',
      client: 'test',
      createdAt: Date.now() / 1000,
      startedAt: null,
      finishedAt: null,
      startStep: 3,
      stopStep: 3,
      params: params as JobRow['params'],
      progress: 0,
      currentStep: null,
      subStep: null,
      message: 'Queued',
      error: null,
      engines: {},
      provider: null,
      timings: {},
      reusedSteps: ['step1_background', 'step2_text'],
      artifacts: [],
      fromJobId: null,
    };
    store.insert(row);
    return { jobId: id, runDir: folders.dirOf(id), params: params as WorkerJob['params'], fontPath: resolveFont(null, fontDirs), startStep: 3, stopStep: 3 };
  }

  const until = async (id: string, pred: (r: JobRow) => boolean, ms = 60_000) => {
    const t0 = Date.now();
    for (;;) {
      const r = store.get(id);
      if (r && pred(r)) return r;
      if (Date.now() - t0 > ms) throw new Error(`timeout waiting for ${id}: ${JSON.stringify(r)}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  };
  const ended = (r: JobRow) => ['completed', 'failed', 'stopped'].includes(r.status);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'adforge-runner-alone-'));
    store = new JobStore(join(dir, 'adforge.db'));
    folders = new RunFolders(dir);
    runner = new JobRunner({
      store,
      folders,
      workerScript: WORKER,
      workerConfig: { modelsDir: join(ROOT, 'models'), cacheDir: join(dir, 'cache'), nice: 10 },
      emit: (e) => events.push(e),
      faults,
      log: () => {},
    });
    runner.start();
  });

  afterAll(async () => {
    await runner?.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a step-3 job to completion', async () => {
    const job = await stepThreeJob();
    runner.submit(job, { queue: false, hasProduct: false });
    expect((await until(job.jobId, ended)).status).toBe('completed');
    expect(existsSync(join(job.runDir, 'final.png'))).toBe(true);
  });

  it("stops a hung worker ('hang' fault) within 2 s by killing it, and the next job completes", async () => {
    faults.testFault = 'hang';
    const job = await stepThreeJob();
    runner.submit(job, { queue: false, hasProduct: false });
    await until(job.jobId, (r) => r.status === 'running' && r.message !== 'Starting'); // the worker blocks right after this report
    faults.testFault = null; // read per job: the next job runs normally
    const t0 = performance.now();
    await runner.stop(job.jobId);
    const took = performance.now() - t0;
    expect(store.get(job.jobId)?.status).toBe('stopped');
    expect(took).toBeLessThan(2000);
    expect(took).toBeGreaterThan(900); // it did wait for the cooperative grace before killing
    const next = await stepThreeJob();
    runner.submit(next, { queue: false, hasProduct: false });
    expect((await until(next.jobId, ended)).status).toBe('completed');
  });

  it("fails a job whose worker crashes ('crash' fault) with the message, and the next job runs", async () => {
    faults.testFault = 'crash';
    const job = await stepThreeJob();
    runner.submit(job, { queue: false, hasProduct: false });
    const failed = await until(job.jobId, ended);
    faults.testFault = null;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/worker exited unexpectedly \(code 70\)/);
    expect(failed.message).toBe(failed.error);
    const next = await stepThreeJob();
    runner.submit(next, { queue: false, hasProduct: false });
    expect((await until(next.jobId, ended)).status).toBe('completed');
  });

  it('previews placement in the worker: the same result as the pipeline function, also while a job runs', async () => {
    const done = store.list({ status: 'completed', limit: 1 })[0];
    for (const [position, mode] of [
      ['auto', 'overlay'],
      ['top', 'behind'],
      ['bottom', 'blend'],
    ] as const) {
      const got = await runner.previewPlacement({ jobId: done.id, position, mode });
      expect(got).toEqual(await computePlacementPreview({ runDir: folders.dirOf(done.id), position, mode }));
    }
    // While a job runs: answered without waiting for it to finish.
    const job = await stepThreeJob();
    runner.submit(job, { queue: false, hasProduct: false });
    const p = await runner.previewPlacement({ jobId: done.id, position: 'center', mode: 'overlay', timeoutMs: 10_000 });
    expect(p.canvas).toEqual({ width: 384, height: 384 });
    await until(job.jobId, ended);
    // No step images yet: 409 from the worker; unknown job: 404.
    const empty = await stepThreeJob();
    await expect(runner.previewPlacement({ jobId: empty.jobId, position: 'auto', mode: 'overlay' })).rejects.toMatchObject({ status: 409 });
    await expect(runner.previewPlacement({ jobId: randomUUID(), position: 'auto', mode: 'overlay' })).rejects.toMatchObject({ status: 404 });
    store.delete(empty.jobId);
  });

  it('closes gracefully: the idle worker exits by itself, quickly', async () => {
    const t0 = performance.now();
    await runner.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(runner.busy).toBe(false);
  });
});
