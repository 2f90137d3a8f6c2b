// The studio family over a real StudioService and pipeline worker: the UI files, a job submitted
// and followed over the WebSocket, history paging and filters, artifacts and thumbnails, the
// placement preview (checked against what step 3 really renders), ZIP export and errors.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import sharp from 'sharp';
import type { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src-main/config';
import type { JobEvent, JobRecord, StudioService } from '../../src-main/core/service';
import { findAppRoot } from '../../src-main/engines/model-paths';
import { installErrorHandlers } from '../../src-main/server/error-handler';
import { studioFamily } from '../../src-main/server/families/studio';
import { createStudioService } from '../../src-main/service/studio-service';
import { dateStamp } from '../../src-main/store/zip-export';
import type { JobsPage, PlacementPreview } from '../../src-preload/contract';
import { zipEntries } from '../../e2e/support';

const ROOT = findAppRoot();
const WORKER = join(ROOT, 'dist', 'worker.js');
const PHOTO = readFileSync(join(ROOT, 'test', 'fixtures', 'photos', 'coffee.jpg')).toString('base64');

describe.skipIf(!existsSync(WORKER))('studio family (HTTP + WS over a real StudioService)', () => {
  let dir: string;
  let service: StudioService;
  let app: FastifyInstance;
  let ws: WebSocket;
  const events: JobEvent[] = [];

  const get = async <T>(url: string, status = 200): Promise<T> => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(status);
    return res.json<T>();
  };
  const waitDone = async (id: string): Promise<JobRecord> => {
    for (let i = 0; i < 600; i++) {
      const job = await get<JobRecord>(`/api/jobs/${id}`);
      if (job.status !== 'pending' && job.status !== 'running') return job;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('job did not finish');
  };
  const submit = async (body: object): Promise<JobRecord> => {
    const res = await app.inject({ method: 'POST', url: '/api/jobs', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<JobRecord>();
  };
  const rgba = async (buf: Buffer) => sharp(buf).ensureAlpha().raw().toBuffer({ resolveWithObject: true });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adf-studio-family-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
    writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1)');
    const config = resolveConfig({ flags: { 'data-dir': join(dir, 'data') }, env: {}, cwd: dir, appRoot: ROOT, workerScript: WORKER });
    service = await createStudioService(config);
    app = Fastify();
    installErrorHandlers(app, config.bodyLimit);
    await app.register(websocket); // at the root, as the server app does, so injectWS exists here
    await app.register(studioFamily, { service, config: { ...config, rendererDir } });
    await app.ready();
    ws = await app.injectWS('/api/events');
    ws.on('message', (m) => events.push(JSON.parse(String(m)) as JobEvent));
  });

  afterAll(async () => {
    ws?.terminate();
    await app?.close();
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the studio page with its CSP, assets with long caching, and nothing outside its folder', async () => {
    const page = await app.inject({ method: 'GET', url: '/studio/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    const asset = await app.inject({ method: 'GET', url: '/studio/assets/app-1234.js' });
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ method: 'GET', url: '/studio/history' })).body).toContain('<title>studio</title>'); // app route → page
    for (const url of ['/studio/..%2F..%2Fdata%2Fjobs.db', '/studio/%2e%2e/%2e%2e/package.json', '/studio/assets/missing.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ detail: string }>().detail).toBeTruthy();
    }
    expect((await app.inject({ method: 'GET', url: '/studio' })).headers.location).toBe('/studio/');
  });

  let job: JobRecord;

  it('runs a job submitted over /api/jobs and streams its events over the WebSocket', async () => {
    const submitted = await submit({ product_image: PHOTO, text_content: 'Fresh Roast', long_edge: 512, bg_prompt: 'marble', stop_step: 2 });
    expect(submitted.client).toBe('studio');
    job = await waitDone(submitted.job_id);
    expect(job.status, job.error ?? '').toBe('completed');
    await new Promise((r) => setTimeout(r, 100));
    const mine = events.filter((e) => e.type !== 'deleted' && e.job.job_id === job.job_id);
    const types = new Set(mine.map((e) => e.type));
    for (const t of ['created', 'progress', 'step-result', 'finished']) expect(types, t).toContain(t);
    const results = mine.flatMap((e) => (e.type === 'step-result' ? [e.artifact] : []));
    expect(results.indexOf('cutout')).toBeLessThan(results.indexOf('step1')); // the cut-out shows first
  });

  it('serves artifacts and thumbnails of the asked width', async () => {
    const full = await app.inject({ method: 'GET', url: `/api/jobs/${job.job_id}/files/step1.png` });
    expect(full.headers['content-type']).toBe('image/png');
    expect((await sharp(full.rawPayload).metadata()).width).toBe(512);
    const thumb = await app.inject({ method: 'GET', url: `/api/jobs/${job.job_id}/files/step1.png?w=128` });
    expect(thumb.headers['content-type']).toBe('image/webp');
    const meta = await sharp(thumb.rawPayload).metadata();
    expect([meta.format, meta.width]).toEqual(['webp', 128]);
    expect(thumb.rawPayload.length).toBeLessThan(full.rawPayload.length);
    expect((await app.inject({ method: 'GET', url: `/api/jobs/${job.job_id}/files/final.png` })).statusCode).toBe(404); // stopped at step 2
    expect((await app.inject({ method: 'GET', url: `/api/jobs/${job.job_id}/files/secret.txt` })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/api/jobs/${job.job_id}/files/step1.png?w=abc` })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/jobs/nope/files/step1.png' })).statusCode).toBe(404);
  });

  it('previews the auto placement, and step 3 really puts the headline there', async () => {
    const preview = await get<PlacementPreview>(`/api/jobs/${job.job_id}/placement?position=auto&mode=overlay`);
    expect(preview.canvas).toEqual({ width: 512, height: 512 });
    expect(preview.x).toBeGreaterThanOrEqual(0);
    expect(preview.x + preview.width).toBeLessThanOrEqual(512);
    expect(preview.width / preview.height).toBeCloseTo(preview.layer.width / preview.layer.height, 1);
    const composed = await waitDone((await submit({ start_step: 3, from_job_id: job.job_id, text_content: 'Fresh Roast', text_position: 'auto' })).job_id);
    expect(composed.status, JSON.stringify(composed)).toBe('completed');
    expect(composed.reused_steps).toEqual(expect.arrayContaining(['step1_background', 'step2_text']));
    const final = await rgba((await app.inject({ method: 'GET', url: `/api/jobs/${composed.job_id}/files/final.png` })).rawPayload);
    const scene = await rgba((await app.inject({ method: 'GET', url: `/api/jobs/${composed.job_id}/files/step1.png` })).rawPayload);
    // Every changed pixel lies inside the previewed box (1 px of resampling slack).
    let inside = 0;
    let outside = 0;
    for (let y = 0; y < 512; y++) {
      for (let x = 0; x < 512; x++) {
        const i = (y * 512 + x) * 4;
        if (Math.abs(final.data[i] - scene.data[i]) + Math.abs(final.data[i + 1] - scene.data[i + 1]) + Math.abs(final.data[i + 2] - scene.data[i + 2]) < 12)
          continue;
        const inBox = x >= preview.x - 1 && x <= preview.x + preview.width + 1 && y >= preview.y - 1 && y <= preview.y + preview.height + 1;
        if (inBox) inside++;
        else outside++;
      }
    }
    expect(inside).toBeGreaterThan(500);
    expect(outside).toBe(0);
    expect((await app.inject({ method: 'GET', url: `/api/jobs/${job.job_id}/placement?position=sideways` })).statusCode).toBe(400);
  });

  it('lists history with paging, status filter and search', async () => {
    const all = await get<JobsPage>('/api/jobs?limit=1');
    expect(all.total).toBe(2);
    expect(all.jobs).toHaveLength(1);
    expect(all.counts.completed_jobs).toBe(2);
    expect((await get<JobsPage>('/api/jobs?limit=1&offset=1')).jobs[0].job_id).not.toBe(all.jobs[0].job_id);
    expect((await get<JobsPage>('/api/jobs?status=failed')).total).toBe(0);
    expect((await get<JobsPage>('/api/jobs?search=Fresh')).total).toBe(2);
    expect((await get<JobsPage>('/api/jobs?search=zebra')).total).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/api/jobs?status=happy' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/jobs?limit=abc' })).json()).toMatchObject({ field: 'limit' });
    // A malformed id is refused by the contract's schema; a well-formed unknown one is not found.
    expect((await app.inject({ method: 'GET', url: '/api/jobs/nope' })).json()).toMatchObject({ field: 'job_id' });
    expect((await app.inject({ method: 'GET', url: `/api/jobs/${randomUUID()}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/api/jobs/${randomUUID()}/stop` })).statusCode).toBe(404);
  });

  it('exports a streamed ZIP with the jobs files, a README and a size estimate', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/export', payload: { job_ids: [job.job_id] } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="adforge-.+\.zip"/);
    const estimate = Number(res.headers['x-export-bytes-estimate']);
    expect(Math.abs(estimate - res.rawPayload.length) / res.rawPayload.length).toBeLessThan(0.2);
    const entries = zipEntries(res.rawPayload);
    expect(entries).toContain('README.txt');
    // A folder named by date, headline and scene words; the images on top, the rest under extras/.
    const folder = `${dateStamp(job.created_at)}_fresh-roast_marble`;
    for (const f of ['background.png', 'headline-layer.png', 'cutout.png', 'extras/product-photo.png', 'extras/mask.png', 'extras/params.json']) {
      expect(entries).toContain(`${folder}/${f}`);
    }
    expect(entries.filter((e) => e.includes(job.job_id))).toEqual([]);
    // The JSON in extras/ holds no server path and no secret.
    const zipPath = join(dir, 'export.zip');
    writeFileSync(zipPath, res.rawPayload);
    for (const e of entries.filter((x) => x.endsWith('.json'))) {
      const text = execFileSync('unzip', ['-p', zipPath, e]).toString();
      expect(text, e).not.toContain(dir);
      expect(text, e).not.toContain(ROOT);
      expect(text, e).not.toMatch(/api_?key|secret|token|password/i);
    }
    expect(JSON.parse(execFileSync('unzip', ['-p', zipPath, `${folder}/extras/params.json`]).toString())).toMatchObject({
      job_id: job.job_id,
      text_content: 'Fresh Roast',
      seed: job.parameters.seed,
    });
    expect((await app.inject({ method: 'POST', url: '/api/export', payload: { job_ids: [] } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/export', payload: { job_ids: ['missing'] } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/export', payload: { job_ids: [randomUUID()] } })).statusCode).toBe(404);
  });

  it('serves font bytes for previews and refuses names outside the font folders', async () => {
    const fonts = await get<{ name: string }[]>('/api/fonts');
    expect(fonts.length).toBeGreaterThan(0);
    const font = await app.inject({ method: 'GET', url: `/api/fonts/file?name=${encodeURIComponent(fonts[0].name)}` });
    expect(font.statusCode).toBe(200);
    expect(font.headers['content-type']).toBe('font/ttf');
    expect(font.rawPayload.readUInt32BE(0)).toBe(0x00010000); // TrueType magic
    expect((await app.inject({ method: 'GET', url: `/api/fonts/file?name=${encodeURIComponent('../../package.json')}` })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/fonts/file' })).statusCode).toBe(400);
  });

  it('reports settings and refuses to change them over HTTP', async () => {
    const s = await get<{ dataDir: string; shell: string; server: { apiKeySet: boolean } }>('/api/settings');
    expect(s.dataDir).toBe(join(dir, 'data'));
    expect(s.shell).toBe('browser');
    expect(s.server.apiKeySet).toBe(false);
    expect((await app.inject({ method: 'PUT', url: '/api/settings', payload: { port: 1 } })).statusCode).toBe(400);
  });

  it('deletes a job and its files', async () => {
    const res = await app.inject({ method: 'DELETE', url: `/api/jobs/${job.job_id}` });
    expect(res.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/api/jobs/${job.job_id}` })).statusCode).toBe(404);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.some((e) => e.type === 'deleted' && e.jobId === job.job_id)).toBe(true);
  });
});
