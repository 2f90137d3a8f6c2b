// Issue 10 items 2 and 12 over the real server with an API key: seed 000 §7's /redoc (offline, from
// the redoc package) and /example_generation (the dashboard, driven in Debian's Chromium: fill the
// form, start a job, watch the progress and the three step images appear), and no secret anywhere a
// client or a log could see it (/system_stats argv, /api/settings, error bodies, the server's output).
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerateRequestSchema } from '../../src-main/core/params';
import { productPng, removeTempDirs, startServer, tempDir, type ServerProcess } from '../server/server-process';
import { request } from './harness';

const KEY = 'pages-secret-key-8d2f';

/** What the page callbacks touch in the browser (this project's Node type check has no DOM types). */
type BrowserGlobals = {
  document: {
    getElementById(id: string): { textContent: string | null } | null;
    querySelector(selector: string): { complete: boolean; naturalWidth: number } | null;
  };
};
const CHROMIUM = '/usr/bin/chromium';
let server: ServerProcess;
let base: string;

beforeAll(async () => {
  server = await startServer({ dataDir: tempDir('pages'), args: ['--api-key', KEY] });
  base = server.url;
});

afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

describe('seed 000 §7 pages (item 2)', () => {
  it('/redoc is ReDoc from the local package over /openapi.json; the page and its scripts load without the key', async () => {
    const page = await request(base, 'GET', '/redoc');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<script src="/redoc/redoc.standalone.js"></script>');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)/);
    const bundle = await request(base, 'GET', '/redoc/redoc.standalone.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.text.length).toBeGreaterThan(500_000);
    expect(bundle.text).toContain('Redoc');
    expect((await request(base, 'GET', '/redoc/init.js')).text).toContain("'/openapi.json'");
    // The spec itself still needs the key (the page passes its own ?token=).
    expect((await request(base, 'GET', '/openapi.json')).status).toBe(401);
    expect((await request(base, 'GET', `/openapi.json?token=${KEY}`)).status).toBe(200);
  });

  it('/example_generation is a form over every request field', async () => {
    const page = await request(base, 'GET', '/example_generation');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script src="/example_generation/app.js"></script>');
    const fields = JSON.parse(/<script type="application\/json" id="fields">([\s\S]*?)<\/script>/.exec(page.text)?.[1] ?? '[]') as { name: string }[];
    expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(GenerateRequestSchema.shape).sort());
    const app = await request(base, 'GET', '/example_generation/app.js');
    expect(app.status).toBe(200);
    expect(() => new Function(app.text)).not.toThrow();
  });

  it.skipIf(!existsSync(CHROMIUM))('the dashboard starts a job, shows its progress and the three step images (Chromium)', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/example_generation?token=${KEY}`);
      const file = `${tempDir('dash')}/product.png`;
      await sharp(await productPng(240, 320)).toFile(file);
      await page.setInputFiles('#f-product_image', file);
      await page.fill('#f-text_content', '대시보드');
      await page.fill('#f-long_edge', '384');
      await page.click('button[type=submit]');
      await page.waitForFunction(
        () => /completed|failed/.test((globalThis as unknown as BrowserGlobals).document.getElementById('job')?.textContent ?? ''),
        undefined,
        { timeout: 120_000 },
      );
      expect(await page.textContent('#job')).toMatch(/: completed$/);
      expect(await page.getAttribute('#progress', 'value')).toBe('100');
      for (const id of ['#img-step1', '#img-step2', '#img-final']) {
        await page.waitForFunction((sel) => {
          const img = (globalThis as unknown as BrowserGlobals).document.querySelector(sel);
          return !!img && img.complete && img.naturalWidth > 0;
        }, id);
        expect(await page.$eval(id, (img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
      }
      expect(await page.textContent('#error')).toBe('');
    } finally {
      await browser.close();
    }
  });
});

describe('ReDoc renders offline (item 2)', () => {
  it.skipIf(!existsSync(CHROMIUM))('/redoc?token= shows the API reference with /generate, nothing loaded from elsewhere (Chromium)', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const outside: string[] = [];
      // ReDoc's footer asks for its logo from cdn.redoc.ly: the page's CSP (img-src 'self') blocks it.
      page.on('requestfinished', (r) => {
        if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outside.push(r.url());
      });
      await page.goto(`${base}/redoc?token=${KEY}`);
      await page.waitForSelector('text=/generate', { timeout: 60_000 });
      expect(await page.textContent('body')).toContain('/status/{job_id}');
      expect(outside, outside.join(' ')).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('secrets stay secret (item 12)', () => {
  it('/system_stats shows the command line without the API key', async () => {
    const r = await request(base, 'GET', '/comfy/system_stats', undefined, { 'X-API-Key': KEY });
    expect(r.status).toBe(200);
    const argv = (r.body as { system: { argv: string[] } }).system.argv;
    expect(argv).toContain('--api-key');
    expect(argv[argv.indexOf('--api-key') + 1]).toBe('***');
    expect(r.text).not.toContain(KEY);
  });

  it('no answer or log line carries the key: settings, errors, WebSocket URLs with ?token=', async () => {
    const settings = await request(base, 'GET', '/api/settings', undefined, { 'X-API-Key': KEY });
    expect(settings.status).toBe(200);
    expect(settings.text).not.toContain(KEY);
    for (const route of ['/nope', '/comfy/nope', `/status/x?token=${KEY}`, `/comfy/view?filename=../x&token=${KEY}`, `/bridge/ws?token=${KEY}`]) {
      const r = await request(base, 'GET', route, undefined, { 'X-API-Key': KEY });
      expect(r.status, route).toBeGreaterThanOrEqual(400);
      expect(r.text, route).not.toContain(KEY);
    }
    const wrong = await request(base, 'GET', '/health', undefined, { 'X-API-Key': `${KEY}-wrong` });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(KEY);
    expect(server.output()).not.toContain(KEY);
  });
});
