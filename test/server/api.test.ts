// The nanoCocoa API end to end against the real server process: a full job, busy 503, every
// /status field, files, reruns from stored and uploaded steps, stop, delete, guides and docs.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  fileBytes,
  productColourShare,
  productPng,
  startServer,
  removeTempDirs,
  tempDir,
  waitForJob,
  type ServerProcess,
  type StatusBody,
} from './server-process';

let server: ServerProcess;
let base: string;
let firstJob: string;
let firstStatus: Record<string, unknown>;

const SEED_STATUS_FIELDS = [
  'job_id',
  'status',
  'progress_percent',
  'current_step',
  'sub_step',
  'message',
  'elapsed_sec',
  'eta_seconds',
  'step_eta_seconds',
  'system_metrics',
  'parameters',
  'step1_result',
  'step2_result',
  'final_result',
];

beforeAll(async () => {
  server = await startServer({ dataDir: tempDir('api') });
  base = server.url;
});
afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

describe('nanoCocoa API on a real server', () => {
  it('GET /, /health and /fonts answer like the seed', async () => {
    expect((await api(base, 'GET', '/')).body).toMatchObject({ name: 'AdForge Studio', docs: '/docs' });
    const health = await api(base, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'healthy', total_jobs: 0, active_jobs: 0 });
    expect(typeof health.body.server_time).toBe('number');
    expect(Object.keys(health.body.system_metrics as object).sort()).toEqual(['cpu_percent', 'gpu_info', 'ram_percent', 'ram_total_gb', 'ram_used_gb']);
    expect(health.body).toHaveProperty('engines');
    expect(health.body).toHaveProperty('execution_provider');
    const fonts = await api<{ fonts: string[] }>(base, 'GET', '/fonts');
    expect(fonts.body.fonts).toContain('NanumSquare/NanumSquareB.ttf');
  });

  it('runs a full job: 200 started, busy 503 with Retry-After, 400 on delete while running, then every /status field', async () => {
    const product = await productPng();
    const started = await api(base, 'POST', '/generate', {
      start_step: 1,
      product_image: product.toString('base64'),
      bg_prompt: 'modern office workspace with natural light and plants',
      text_content: 'New Product',
      font_name: 'NanumSquare/NanumSquareB.ttf',
      text_model_prompt: 'silver metallic 3D text with shadow and reflection',
      seed: 7,
    });
    expect(started.status).toBe(200);
    expect(Object.keys(started.body).sort()).toEqual(['job_id', 'status']);
    expect(started.body.status).toBe('started');
    firstJob = started.body.job_id as string;

    const busy = await api(base, 'POST', '/generate', { text_content: 'second' });
    expect(busy.status).toBe(503);
    const n = Number(busy.headers.get('retry-after'));
    expect(n).toBeGreaterThanOrEqual(1);
    expect(busy.body).toMatchObject({ status: 'busy', message: `Busy. Retry after ${n}s`, retry_after: n });

    const del = await api(base, 'DELETE', `/jobs/${firstJob}`);
    expect(del.status).toBe(400);
    expect(del.body.detail).toBe('Cannot delete running job. Stop it first.');
    expect((await api(base, 'GET', '/health')).body.status).toBe('busy');

    // Progress never goes backwards while polling.
    let last = -1;
    for (;;) {
      const s = await api<StatusBody>(base, 'GET', `/status/${firstJob}?include_images=false`);
      expect(s.body.progress_percent).toBeGreaterThanOrEqual(last);
      last = s.body.progress_percent;
      if (!['pending', 'running'].includes(s.body.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const full = await api(base, 'GET', `/status/${firstJob}`);
    firstStatus = full.body;
    expect(Object.keys(full.body).slice(0, SEED_STATUS_FIELDS.length)).toEqual(SEED_STATUS_FIELDS);
    expect(full.body).toMatchObject({ job_id: firstJob, status: 'completed', progress_percent: 100, current_step: 'step3_composite' });
    expect(full.body.parameters).toMatchObject({ text_content: 'New Product', seed: 7, font_name: 'NanumSquare/NanumSquareB.ttf' });
    expect(full.body.parameters).not.toHaveProperty('product_image');
    expect(full.body).not.toHaveProperty('error');

    // The base64 results are the exact bytes of the run-folder files served under /files.
    for (const [field, file] of [
      ['step1_result', 'step1.png'],
      ['step2_result', 'step2.png'],
      ['final_result', 'final.png'],
    ] as const) {
      const b64 = full.body[field] as string;
      const served = await fileBytes(base, `/files/${firstJob}/${file}`);
      expect(served.status).toBe(200);
      expect(served.type).toBe('image/png');
      expect(Buffer.from(b64, 'base64').equals(served.bytes), field).toBe(true);
    }
    const finalPng = Buffer.from(full.body.final_result as string, 'base64');
    const meta = await sharp(finalPng).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1024, 1024]);
    expect(await productColourShare(finalPng)).toBeGreaterThan(0.01);
    const step2 = await sharp(Buffer.from(full.body.step2_result as string, 'base64')).metadata();
    expect(step2.hasAlpha).toBe(true);
    expect(full.body.final_url).toBe(`/files/${firstJob}/final.png`);
  });

  it('GET /jobs lists the job with seed counts', async () => {
    const jobs = await api<{ total_jobs: number; completed_jobs: number; active_jobs: number; failed_jobs: number; jobs: Record<string, unknown>[] }>(
      base,
      'GET',
      '/jobs',
    );
    expect(jobs.body).toMatchObject({ total_jobs: 1, active_jobs: 0, completed_jobs: 1, failed_jobs: 0 });
    expect(jobs.body.jobs[0]).toMatchObject({ job_id: firstJob, status: 'completed', progress_percent: 100, current_step: 'step3_composite' });
    expect(typeof jobs.body.jobs[0].start_time).toBe('number');
    expect((await api(base, 'GET', '/jobs?status=running')).body.jobs).toEqual([]);
    expect((await api(base, 'GET', '/jobs?status=bogus')).status).toBe(400);
  });

  it('files outside the artifact list are 404, traversal included', async () => {
    for (const route of [
      `/files/${firstJob}/nope.png`,
      `/files/${firstJob}/..%2F..%2Fjobs.db`,
      `/files/${firstJob}/%2e%2e`,
      '/files/00000000-0000-4000-8000-000000000000/final.png',
    ]) {
      const r = await api(base, 'GET', route);
      expect(r.status, route).toBe(404);
      expect(typeof r.body.detail).toBe('string');
    }
  });

  it('retries text only from the stored job (from_job_id) and recomposes from uploaded step images', async () => {
    const retry = await api(base, 'POST', '/generate', { start_step: 2, from_job_id: firstJob, text_content: 'Different Text', seed: 7 });
    expect(retry.status).toBe(200);
    const done = await waitForJob(base, retry.body.job_id as string);
    expect(done.status).toBe('completed');
    expect(done.reused_steps).toContain('step1_background');
    const step1Again = await fileBytes(base, `/files/${done.job_id}/step1.png`);
    expect(step1Again.bytes.equals(Buffer.from(firstStatus.step1_result as string, 'base64'))).toBe(true);
    const newFinal = await fileBytes(base, `/files/${done.job_id}/final.png`);
    expect(newFinal.bytes.equals(Buffer.from(firstStatus.final_result as string, 'base64'))).toBe(false);

    const recompose = await api(base, 'POST', '/generate', {
      start_step: 3,
      step1_image: firstStatus.step1_result,
      step2_image: firstStatus.step2_result,
      composition_mode: 'blend',
      text_position: 'center',
    });
    expect(recompose.status).toBe(200);
    const rc = await waitForJob(base, recompose.body.job_id as string);
    expect(rc.status).toBe('completed');
    const png = (await fileBytes(base, `/files/${rc.job_id}/final.png`)).bytes;
    expect((await sharp(png).metadata()).width).toBe(1024);
  });

  it('stops a running job within 2 s and deletes finished jobs with their files', async () => {
    const product = await productPng();
    const started = await api(base, 'POST', '/generate', { product_image: product.toString('base64'), text_content: 'Stop me', long_edge: 2048 });
    expect(started.status).toBe(200);
    const id = started.body.job_id as string;
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const stop = await api(base, 'POST', `/stop/${id}`);
    expect(stop.status).toBe(200);
    expect(Object.keys(stop.body).sort()).toEqual(['job_id', 'status']);
    const after = await waitForJob(base, id, 5000);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(after.status).toBe('stopped');
    expect((await api(base, 'POST', `/stop/${id}`)).body.status).toBe('stopped');

    const del = await api(base, 'DELETE', `/jobs/${id}`);
    expect(del.body).toEqual({ job_id: id, status: 'deleted' });
    expect((await api(base, 'GET', `/status/${id}`)).status).toBe(404);
    expect((await api(base, 'DELETE', `/jobs/${id}`)).body).toEqual({ detail: 'Job not found' });
    // The lane is free again.
    expect((await api(base, 'GET', '/health')).body.status).toBe('healthy');
  });

  it('serves the guides, the OpenAPI document and Swagger UI', async () => {
    const help = await api(base, 'GET', '/help');
    expect(help.body).toHaveProperty('workflow_examples.retry_text_only');
    const params = await api<{ fields: { name: string }[] }>(base, 'GET', '/help/parameters');
    expect(params.body.fields.map((f) => f.name)).toContain('guidance_scale');
    const doc = await api<{ openapi: string; paths: Record<string, unknown> }>(base, 'GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths).toHaveProperty('/generate');
    const ui = await fetch(`${base}/docs/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    const nf = await api(base, 'GET', '/no/such/route');
    expect(nf.status).toBe(404);
    expect(nf.body.detail).toMatch(/Not found/);
  });
});
