// A whole ad through POST /generate with a diffusion background engine installed: a tiny SD-Turbo
// export with the real tensor names, dtypes and layout (external weights included) is imported
// with `adforge models import` against a manifest, and the server runs it through the real code:
// catalogue, lock file, signature check, tokenizer, scheduler, VAE, product-ring repaint and
// paste-back. No real weights exist here, so the pictures are noise; what is checked is what a user
// relies on: the job records the engine, the product's own pixels survive, the ring is repainted.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSdTurboFolder } from '../helpers/diffusion-graphs';
import { api, fileBytes, productPng, removeTempDirs, ROOT, runCli, startServer, tempDir, waitForJob, type ServerProcess } from './server-process';

function filesOf(dir: string): { path: string; bytes: number; sha256: string }[] {
  const out: { path: string; bytes: number; sha256: string }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== 'adforge-lock.json')
        out.push({ path: relative(dir, p), bytes: statSync(p).size, sha256: createHash('sha256').update(readFileSync(p)).digest('hex') });
    }
  };
  walk(dir);
  return out;
}

async function raw(png: Buffer, channels: 1 | 3 = 3): Promise<Buffer> {
  const img = sharp(png).removeAlpha();
  return (channels === 1 ? img.extractChannel(0) : img).raw().toBuffer();
}

let server: ServerProcess;
let modelsDir: string;

beforeAll(async () => {
  const src = tempDir('tiny-sd-turbo');
  writeSdTurboFolder(src, { ioType: 'float32', idType: 'int32', timestep: { type: 'int64', shape: [1] } });
  modelsDir = tempDir('models');
  // The shipped manifest's components (real tensor names and dtypes), the tiny folder's files.
  const shipped = JSON.parse(readFileSync(join(ROOT, 'models/sd-turbo.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(
    join(modelsDir, 'sd-turbo.json'),
    JSON.stringify({ ...shipped, revision: null, files: filesOf(src).map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })) }),
  );
  const imported = runCli(['models', 'import', 'sd-turbo', src, '--models-dir', modelsDir], {}, 60_000);
  expect(imported.code, imported.output).toBe(0);
  server = await startServer({ dataDir: tempDir('diffusion-data'), env: { ADFORGE_MODELS_DIR: modelsDir } });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

describe('a diffusion background engine through POST /generate', () => {
  it('health lists the installed engine as the one auto picks', async () => {
    const h = await api<{ background_engines: { available: string[]; auto: string } }>(server.url, 'GET', '/health');
    expect(h.body.background_engines).toEqual({ available: ['sd-turbo', 'procedural'], auto: 'sd-turbo' });
  });

  it('records the engine, keeps the product pixels exactly, and repaints the ring around it', async () => {
    const product = (await productPng(360, 480)).toString('base64');
    const base = {
      product_image: product,
      bg_prompt: '대리석 테이블, 따뜻한 조명',
      text_content: null,
      seed: 11,
      num_inference_steps: 2,
      guidance_scale: 0,
      bg_engine: 'auto',
    };
    const run = async (strength: number) => {
      const r = await api<{ job_id: string }>(server.url, 'POST', '/generate', { ...base, strength });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const done = await waitForJob(server.url, r.body.job_id, 120_000);
      expect(done.status, done.error ?? done.message).toBe('completed');
      return done;
    };
    const painted = await run(0.8);
    const plain = await run(0);

    const reports = painted.engine_reports as Record<
      string,
      { engine: string; provider: string | null; prompt_used?: string; understood?: string[]; note?: string }
    >;
    expect(painted.engines).toMatchObject({ background: 'sd-turbo' });
    expect(reports.background).toMatchObject({ engine: 'sd-turbo', provider: 'cpu' });
    // The Korean prompt reached the encoder as English through the glossary, and the job says so.
    expect(reports.background.prompt_used).toMatch(/marble/i);
    expect(reports.background.understood).toContain('대리석');
    expect((plain.engine_reports as typeof reports).background.note).toMatch(/strength 0/);

    // Same seed and prompt: the two jobs differ only by the ring repaint.
    const [a, b, mask] = await Promise.all([
      fileBytes(server.url, `/files/${painted.job_id}/step1.png`).then((f) => raw(f.bytes)),
      fileBytes(server.url, `/files/${plain.job_id}/step1.png`).then((f) => raw(f.bytes)),
      fileBytes(server.url, `/files/${painted.job_id}/mask.png`).then((f) => raw(f.bytes, 1)),
    ]);
    const { width } = await sharp((await fileBytes(server.url, `/files/${painted.job_id}/mask.png`)).bytes).metadata();
    const w = width!;
    const h = mask.length / w;
    // Eroded product mask: every pixel of the 17×17 square around it is solid product (separable min).
    const solid = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && mask[y * w + x] === 255;
    const R = 8;
    const rowMin = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let ok = 1;
        for (let k = -R; k <= R && ok; k++) if (!solid(x + k, y)) ok = 0;
        rowMin[y * w + x] = ok;
      }
    const eroded = (x: number, y: number) => {
      for (let k = -R; k <= R; k++) if (y + k < 0 || y + k >= h || !rowMin[(y + k) * w + x]) return false;
      return true;
    };
    let inside = 0,
      insideSame = 0,
      ring = 0,
      ringChanged = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const same = a[i * 3] === b[i * 3] && a[i * 3 + 1] === b[i * 3 + 1] && a[i * 3 + 2] === b[i * 3 + 2];
        if (eroded(x, y)) {
          inside++;
          if (same) insideSame++;
        } else if (mask[i] === 0 && (solid(x, y + 20) || solid(x - 20, y) || solid(x + 20, y))) {
          ring++;
          if (!same) ringChanged++;
        }
      }
    }
    expect(inside).toBeGreaterThan(5000);
    expect(insideSame).toBe(inside);
    expect(ring).toBeGreaterThan(1000);
    expect(ringChanged / ring).toBeGreaterThan(0.5);
  }, 300_000);

  it('a named engine that is not installed fails the job saying how to install it; procedural still works', async () => {
    const r = await api<{ job_id: string }>(server.url, 'POST', '/generate', { bg_prompt: 'studio', text_content: null, bg_engine: 'sdxl-turbo' });
    expect(r.status).toBe(200);
    const done = await waitForJob(server.url, r.body.job_id, 60_000);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/adforge models install sdxl-turbo/);
    const t = await api<{ job_id: string }>(server.url, 'POST', '/generate', {
      bg_prompt: 'studio',
      text_content: 'SALE',
      text_engine: 'sdxl-controlnet-canny',
      bg_engine: 'procedural',
    });
    const td = await waitForJob(server.url, t.body.job_id, 60_000);
    expect(td.status).toBe('failed');
    expect(td.error).toMatch(/sdxl-controlnet-canny/);
    const h = await api<{ lettering_engines: { available: string[]; auto: string } }>(server.url, 'GET', '/health');
    expect(h.body.lettering_engines).toEqual({ available: ['procedural-lettering'], auto: 'procedural-lettering' });
    const p = await api<{ job_id: string }>(server.url, 'POST', '/generate', {
      bg_prompt: 'white marble countertop',
      text_content: null,
      bg_engine: 'procedural',
    });
    const pd = await waitForJob(server.url, p.body.job_id, 60_000);
    expect(pd.status).toBe('completed');
    const rep = (pd.engine_reports as Record<string, { engine: string; understood?: string[]; ignored?: string[] }>).background;
    expect(rep.engine).toBe('procedural');
    expect(rep.understood).toContain('marble');
    expect(rep.ignored).toEqual(expect.arrayContaining(['steps', 'guidance']));
  }, 180_000);

  it('POST /free releases the resident engine; the next job loads it again', async () => {
    const f = await api<{ released: string[] }>(server.url, 'POST', '/free');
    expect(f.status).toBe(200);
    expect(f.body.released).toEqual(['sd-turbo']);
    const again = await api<{ released: string[] }>(server.url, 'POST', '/free');
    expect(again.body.released).toEqual([]);
  });
});
