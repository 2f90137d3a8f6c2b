// Shared by the designer e2e tests (defects, features, walks): one server + Chromium per file, the
// studio driven with the real mouse and keyboard, jobs awaited through the API, and pixel helpers
// that read the PNGs the studio produced.
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { JobRecord } from '../src-main/core/service';
import { launchChromium, ROOT, shotsDir, startServer, type RunningServer } from './support';

export const PHOTO = join(ROOT, 'test', 'fixtures', 'photos', 'coffee.jpg');
export const SHOTS = shotsDir();

export interface Studio {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
  close: () => Promise<void>;
}

export async function openStudio(opts: { viewport?: { width: number; height: number }; locale?: 'en' | 'ko' } = {}): Promise<Studio> {
  const server = await startServer();
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, locale: 'en-US', acceptDownloads: true });
  const lang = opts.locale ?? 'en';
  await context.addInitScript((l) => window.localStorage.setItem('adforge.lang', l), lang);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${server.url}/studio/`);
  await page.getByTestId('step-tab-1').waitFor({ state: 'visible' });
  return {
    server,
    browser,
    context,
    page,
    consoleErrors,
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.stop();
    },
  };
}

export async function getJson<T>(s: Studio, path: string): Promise<T> {
  const res = await s.page.request.get(s.server.url + path);
  if (res.status() !== 200) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function getBytes(s: Studio, path: string): Promise<Buffer> {
  const res = await s.page.request.get(s.server.url + path);
  if (res.status() !== 200) throw new Error(`${path}: ${res.status()}`);
  return Buffer.from(await res.body());
}

export async function waitForJob(s: Studio, jobId: string, timeoutMs = 120_000): Promise<JobRecord> {
  const t0 = Date.now();
  for (;;) {
    const job = await getJson<JobRecord>(s, `/api/jobs/${jobId}`);
    if (job.status !== 'pending' && job.status !== 'running') return job;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const isSubmit = (r: Response) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/jobs';

/** Does `action` (a click, a key), then waits for the job it submitted to finish; returns its record. */
export async function submitAndWait(s: Studio, action: () => Promise<unknown>, timeoutMs = 120_000): Promise<JobRecord> {
  const submitted = s.page.waitForResponse(isSubmit, { timeout: 20_000 });
  await action();
  const res = await submitted;
  const job = (await res.json()) as JobRecord;
  if (res.status() !== 201) throw new Error(`submit failed: ${res.status()} ${JSON.stringify(job)}`);
  return waitForJob(s, job.job_id, timeoutMs);
}

/** Collects every job the page submits from now on (variations and formats submit several). */
export function recordSubmits(s: Studio): { ids: string[]; stop: () => void } {
  const ids: string[] = [];
  const on = (r: Response) => {
    if (isSubmit(r))
      void r
        .json()
        .then((j: JobRecord) => ids.push(j.job_id))
        .catch(() => undefined);
  };
  s.page.on('response', on);
  return { ids, stop: () => s.page.off('response', on) };
}

export async function newAd(s: Studio): Promise<void> {
  await s.page
    .locator('.topbar')
    .getByRole('button', { name: /New ad|새 광고/ })
    .click();
  await s.page.getByTestId('step-tab-1').click();
}

export async function upload(s: Studio, file: string | { name: string; mimeType: string; buffer: Buffer } = PHOTO): Promise<void> {
  await s.page.getByTestId('product-input').setInputFiles(file);
}

/** A fresh ad: photo, scene prompt, Generate scene; resolves with the finished scene job. */
export async function makeScene(s: Studio, prompt = 'warm oak wooden table, rustic kitchen, morning light from the left'): Promise<JobRecord> {
  await newAd(s);
  await upload(s);
  await s.page.locator('.drop-pair figure img').first().waitFor({ state: 'visible' });
  await s.page.locator('#bg-prompt').fill(prompt);
  const job = await submitAndWait(s, () => s.page.getByTestId('generate-scene').click());
  if (job.status !== 'completed') throw new Error(`scene job ${job.status}: ${job.error}`);
  await s.page.getByTestId('generate-headline').waitFor({ state: 'visible' });
  return job;
}

/** From step 2: type the headline and generate it; resolves with the finished job (studio on step 3). */
export async function makeHeadline(s: Studio, text = '갓 볶은 원두\nFresh Roast'): Promise<JobRecord> {
  await s.page.getByTestId('step-tab-2').click();
  await s.page.locator('#headline').fill(text);
  const job = await submitAndWait(s, () => s.page.getByTestId('generate-headline').click());
  if (job.status !== 'completed') throw new Error(`headline job ${job.status}: ${job.error}`);
  await s.page.getByTestId('compose-stage').waitFor({ state: 'visible' });
  return job;
}

export async function imagesSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  await page.waitForTimeout(150);
}

export async function shot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS, name);
  await page.screenshot({ path });
  return path;
}

export interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

export async function raw(png: Buffer): Promise<Raw> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Pixels that differ noticeably between two images of the same size: their count and centroid. */
export function changed(a: Raw, b: Raw, threshold = 40): { count: number; cx: number; cy: number; share: number } {
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 4;
      const d = Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
      if (d > threshold) {
        count++;
        sx += x;
        sy += y;
      }
    }
  return { count, cx: count ? sx / count : NaN, cy: count ? sy / count : NaN, share: count / (a.width * a.height) };
}

/** The final PNG of a job against its scene: where the headline landed. */
export async function headlinePixels(s: Studio, job: JobRecord) {
  const final = await raw(await getBytes(s, `/api/jobs/${job.job_id}/files/final.png`));
  const scene = await raw(await getBytes(s, `/api/jobs/${job.job_id}/files/step1.png`));
  return { ...changed(final, scene), width: final.width, height: final.height };
}

export interface BoxValues {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function readBox(page: Page): Promise<BoxValues> {
  const v = async (k: string) => Number(await page.getByTestId(`box-${k}`).inputValue());
  return { x: await v('x'), y: await v('y'), width: await v('width'), height: await v('height') };
}

/** True when the element's whole box lies inside the window without scrolling the page or any panel. */
export async function inView(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return false;
      if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) return false;
      // Clipped by a scrolling ancestor (a panel's own scroll area)?
      for (let p = el.parentElement; p; p = p.parentElement) {
        const st = getComputedStyle(p);
        if (/(auto|scroll|hidden)/.test(st.overflowY)) {
          const pr = p.getBoundingClientRect();
          if (r.top < pr.top - 1 || r.bottom > pr.bottom + 1) return false;
        }
      }
      return true;
    });
}
