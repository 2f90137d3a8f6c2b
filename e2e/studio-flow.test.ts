// The whole studio flow in Debian Chromium against the real headless server (`dist/cli.js serve`):
// upload a real product photo, generate the scene, generate the headline, drag it with the real
// mouse, apply, and check the final PNG has the text where it was dropped; rerun step 2 with
// another font and check step 1 was reused byte for byte; cancel a running job; export a ZIP and
// check its entries. Screenshots of each step go to test-results/e2e/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../src-main/core/service';
import { chromiumAvailable, launchChromium, ROOT, shotsDir, startServer, zipEntries, type RunningServer } from './support';

const PHOTO = join(ROOT, 'test', 'fixtures', 'photos', 'coffee.jpg');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function readBox(page: Page): Promise<Box> {
  const v = async (k: string) => Number(await page.getByTestId(`box-${k}`).inputValue());
  return { x: await v('x'), y: await v('y'), width: await v('width'), height: await v('height') };
}

async function raw(png: Buffer) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Share of pixels inside `box` (shrunk by 10% each side) that differ noticeably between a and b. */
function changedShare(a: Buffer, b: Buffer, width: number, height: number, box: Box, exclude?: Box): number {
  const x0 = Math.max(0, Math.round(box.x + box.width * 0.1));
  const x1 = Math.min(width, Math.round(box.x + box.width * 0.9));
  const y0 = Math.max(0, Math.round(box.y + box.height * 0.1));
  const y1 = Math.min(height, Math.round(box.y + box.height * 0.9));
  let changed = 0;
  let total = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (exclude && x >= exclude.x && x < exclude.x + exclude.width && y >= exclude.y && y < exclude.y + exclude.height) continue;
      const i = (y * width + x) * 4;
      const d = Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
      if (d > 30) changed++;
      total++;
    }
  }
  return total === 0 ? 0 : changed / total;
}

const canRun = chromiumAvailable();

describe.skipIf(!canRun)('studio in Chromium against npm run serve', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const shots = shotsDir();
  const consoleErrors: string[] = [];

  const api = async <T>(path: string): Promise<T> => {
    const res = await page.request.get(server.url + path);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  };
  const bytes = async (path: string): Promise<Buffer> => {
    const res = await page.request.get(server.url + path);
    expect(res.status(), path).toBe(200);
    return Buffer.from(await res.body());
  };
  /** Waits for the job shown by the progress bar to finish; returns its record. */
  const waitForJob = async (jobId: string, timeoutMs = 90_000): Promise<JobRecord> => {
    const t0 = Date.now();
    for (;;) {
      const job = await api<JobRecord>(`/api/jobs/${jobId}`);
      if (job.status !== 'pending' && job.status !== 'running') return job;
      if (Date.now() - t0 > timeoutMs) throw new Error(`job ${jobId} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** Clicks and returns the id of the job that click submitted (a step-3 job can finish before a progress bar would show). */
  const submitted = async (click: () => Promise<void>): Promise<string> => {
    const res = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/jobs', { timeout: 15_000 });
    await click();
    return ((await (await res).json()) as JobRecord).job_id;
  };

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const res = await page.goto(`${server.url}/studio/`);
    expect(res?.status(), 'GET /studio/ (is studioFamily registered in buildServer?)').toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  let firstJob: JobRecord;
  let headlineJob: JobRecord;
  let appliedJob: JobRecord;

  it('step 1: upload a product photo, generate the scene, see the cut-out and the scene', async () => {
    await page.getByTestId('product-input').setInputFiles(PHOTO);
    await page.locator('#bg-prompt').fill('warm oak wooden table, rustic kitchen, morning light from the left');
    await page.evaluate(() => {
      const w = window as unknown as { __longest: number };
      w.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
      }).observe({ type: 'longtask' });
    });
    const id = await submitted(() => page.getByTestId('generate-scene').click());
    // The UI stays usable while the job runs: typing into a field still works.
    await page.locator('#bg-prompt').press('End');
    await page.locator('#bg-prompt').pressSequentially(' ');
    firstJob = await waitForJob(id);
    expect(firstJob.status).toBe('completed');
    console.log(
      `step 1 job ${firstJob.elapsed_sec} s; longest main-thread task in the page meanwhile: ${await page.evaluate(() => (window as unknown as { __longest: number }).__longest)} ms`,
    );
    await page.getByTestId('generate-headline').waitFor({ state: 'visible' }); // moved on to step 2
    await page.getByTestId('step-tab-1').click();
    await page.getByTestId('cutout').waitFor({ state: 'visible' });
    await page.getByTestId('preview-step1').waitFor({ state: 'visible' });
    await page.waitForFunction(() => [...document.images].every((i) => i.complete));
    await page.screenshot({ path: join(shots, '01-step1-scene.png') });
    expect(firstJob.artifacts).toEqual(expect.arrayContaining(['cutout', 'step1', 'mask']));
  });

  it('step 2: type a Korean + Latin headline, pick a font, generate the text layer', async () => {
    await page.getByTestId('step-tab-2').click();
    await page.locator('#headline').fill('갓 볶은 원두\nFresh Roast');
    await page.locator('[data-font="NanumSquare/NanumSquareEB.ttf"]').click();
    await page.waitForFunction(() => document.fonts.status === 'loaded');
    await page.screenshot({ path: join(shots, '02-step2-headline.png') });
    headlineJob = await waitForJob(await submitted(() => page.getByTestId('generate-headline').click()));
    expect(headlineJob.status).toBe('completed');
    expect(headlineJob.reused_steps).toContain('step1_background');
    await page.getByTestId('compose-stage').waitFor({ state: 'visible' });
  });

  it('step 3: drag the headline with the mouse, apply, and the final has the text where it was dropped', async () => {
    const stage = page.getByTestId('compose-stage');
    await page.waitForTimeout(300); // stage images decode
    await page.screenshot({ path: join(shots, '03-step3-auto.png') });
    const before = await readBox(page);
    const scale = Number(await stage.getAttribute('data-scale'));
    const rect = (await stage.boundingBox())!;
    const [W, H] = [rect.width / scale, rect.height / scale];
    const from = { x: rect.x + (before.x + before.width / 2) * scale, y: rect.y + (before.y + before.height / 2) * scale };
    // Drop it in the other half of the picture so the old and new boxes cannot overlap.
    const targetCy = before.y + before.height / 2 < H / 2 ? H * 0.86 : H * 0.14;
    const to = { x: from.x - W * 0.04 * scale, y: rect.y + targetCy * scale };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 15; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 15, from.y + ((to.y - from.y) * i) / 15);
    await page.mouse.up();
    const after = await readBox(page);
    // Where the mouse put it (snapping may pull it by a few pixels onto a guide).
    const tol = 8 / scale + 2;
    expect(Math.abs(after.x - (before.x + (to.x - from.x) / scale))).toBeLessThan(tol);
    expect(Math.abs(after.y - (before.y + (to.y - from.y) / scale))).toBeLessThan(tol);
    expect(await page.getByTestId('position-custom').isChecked()).toBe(true);
    await page.screenshot({ path: join(shots, '04-step3-dragged.png') });

    appliedJob = await waitForJob(await submitted(() => page.getByTestId('apply').click()));
    expect(appliedJob.status).toBe('completed');
    expect(appliedJob.reused_steps).toEqual(expect.arrayContaining(['step1_background', 'step2_text']));
    expect(appliedJob.parameters.text_box).toMatchObject({ x: expect.any(Number), width: expect.any(Number) });

    const final = await raw(await bytes(`/api/jobs/${appliedJob.job_id}/files/final.png`));
    const scene = await raw(await bytes(`/api/jobs/${appliedJob.job_id}/files/step1.png`));
    expect([final.width, final.height]).toEqual([scene.width, scene.height]);
    const inNew = changedShare(final.data, scene.data, final.width, final.height, after);
    const inOld = changedShare(final.data, scene.data, final.width, final.height, before, after);
    expect(inNew).toBeGreaterThan(0.08); // lettering covers a good part of the box it was dropped in
    expect(inOld).toBeLessThan(0.005); // and nothing is left where it was
    await page.locator(`[data-testid="final-thumb"][data-job-id="${appliedJob.job_id}"]`).waitFor({ state: 'visible' });
    await page.waitForFunction(() => [...document.images].every((i) => i.complete));
    await page.screenshot({ path: join(shots, '05-step3-applied.png') });
  });

  it('rerun step 2 with another font: step 1 is reused, not recomputed', async () => {
    await page.getByTestId('step-tab-2').click();
    await page.locator('[data-font="NanumGothic/NanumGothicBold.ttf"]').click();
    const rerun = await waitForJob(await submitted(() => page.getByTestId('generate-headline').click()));
    expect(rerun.status).toBe('completed');
    expect(rerun.start_step).toBe(2);
    expect(rerun.parameters.from_job_id).toBe(appliedJob.job_id);
    expect(rerun.parameters.font_name).toBe('NanumGothic/NanumGothicBold.ttf');
    expect(rerun.reused_steps).toContain('step1_background');
    expect(Object.keys(rerun.timings)).not.toContain('segmentation');
    const s1a = await bytes(`/api/jobs/${firstJob.job_id}/files/step1.png`);
    const s1b = await bytes(`/api/jobs/${rerun.job_id}/files/step1.png`);
    expect(s1b.equals(s1a)).toBe(true);
    const l1 = await bytes(`/api/jobs/${headlineJob.job_id}/files/step2.png`);
    const l2 = await bytes(`/api/jobs/${rerun.job_id}/files/step2.png`);
    expect(l2.equals(l1)).toBe(false); // another font, another text layer
    await expect.poll(() => page.getByTestId('step-state-1').textContent()).toMatch(/Reused/);
    await page.screenshot({ path: join(shots, '06-rerun-step2.png') });
  });

  it('history: thumbnails, search, and a ZIP export of two jobs with their files', async () => {
    await page.getByRole('button', { name: 'History' }).click();
    await page.locator('.card').first().waitFor({ state: 'visible' });
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    // Reruns of one ad are one card (its latest version) until its versions are shown.
    expect(await page.locator('.card').count()).toBe(1);
    await page.getByTestId('versions').click();
    await expect.poll(() => page.locator('.card').count()).toBe(4);
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    await page.screenshot({ path: join(shots, '08-history.png') });
    await page.getByLabel('All statuses').selectOption('completed');
    await expect.poll(() => page.locator('.card').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.card .status-completed').count()).toBe(await page.locator('.card').count());
    await page.getByLabel('All statuses').selectOption('failed');
    await expect.poll(() => page.locator('.card').count()).toBe(0);
    await page.getByLabel('All statuses').selectOption('');
    await page.getByLabel('Search headlines and prompts').fill('Fresh');
    await expect.poll(() => page.locator('.card').count()).toBeGreaterThanOrEqual(2);
    await page.getByLabel('Search headlines and prompts').fill('');

    await page.getByLabel(`Select ${appliedJob.job_id}`).check();
    await page.getByLabel(`Select ${firstJob.job_id}`).check();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-zip').click();
    const file = await (await download).path();
    const entries = zipEntries(readFileSync(file));
    expect(entries).toContain('README.txt');
    // One folder per job, named by date, headline and scene words (alike names numbered -2): the
    // images on top, the product photo and JSON under extras/, no job id in any name.
    // Written out, not computed by the naming code: what a designer sees in the unzipped folder.
    const folderOf = (name: string, files: string[]) => {
      const re = new RegExp(`^\\d{4}-\\d{2}-\\d{2}_\\d{4}_${name}(-\\d+)?$`);
      const folders = [...new Set(entries.map((e) => e.split('/')[0]))].filter((f) => re.test(f));
      return folders.filter((f) => files.every((file) => entries.includes(`${f}/${file}`)));
    };
    const applied = folderOf('갓-볶은-원두-fresh-roast_warm-oak-wooden', ['final.png', 'background.png', 'headline-layer.png', 'extras/params.json']);
    const first = folderOf('warm-oak-wooden', ['background.png', 'cutout.png', 'extras/product-photo.png', 'extras/params.json']);
    expect(applied.length, entries.join('\n')).toBeGreaterThan(0);
    expect(first.length, entries.join('\n')).toBeGreaterThan(0);
    expect(new Set([...applied, ...first]).size, 'two folders').toBe(2);
    expect(entries.filter((e) => e.includes(appliedJob.job_id) || e.includes(firstJob.job_id))).toEqual([]);
    await page.getByText(/Saved adforge-/).waitFor({ state: 'visible' });
    await page.screenshot({ path: join(shots, '09-history-exported.png') });

    // Delete (after confirming) removes the card and the job.
    page.once('dialog', (d) => void d.accept());
    await page.getByLabel(`Delete ${headlineJob.job_id}`).click();
    await page.locator(`.card[data-job-id="${headlineJob.job_id}"]`).waitFor({ state: 'detached' });
    expect((await page.request.get(`${server.url}/api/jobs/${headlineJob.job_id}`)).status()).toBe(404);

    // Open brings a job back into the studio with its placed box.
    await page.locator(`.card[data-job-id="${appliedJob.job_id}"]`).getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByTestId('compose-stage').waitFor({ state: 'visible' });
    expect(await page.getByTestId('position-custom').isChecked()).toBe(true);
    expect(Number(await page.getByTestId('box-y').inputValue())).toBe(Math.round(appliedJob.parameters.text_box!.y));
  });

  it('settings and the Korean UI; every control has a label; no CSP violations', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByTestId('version').textContent(), { timeout: 15_000 }).toMatch(/\d+\.\d+/);
    await page.screenshot({ path: join(shots, '10-settings.png') });
    await page.getByLabel('Language').first().selectOption('ko');
    await page.locator('.tabs').getByRole('button', { name: '스튜디오' }).click();
    await page.getByTestId('step-tab-3').click();
    await page.getByTestId('compose-stage').waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, '11-studio-ko.png') });

    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select, textarea, [tabindex="0"]')]
        .filter((el) => {
          const e = el as HTMLInputElement;
          const name = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.labels && e.labels.length > 0) || e.textContent?.trim();
          return !name;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    // The compose stage is keyboard-operable: arrow keys move the headline.
    const x0 = Number(await page.getByTestId('box-x').inputValue());
    await page.getByTestId('compose-stage').focus();
    await page.keyboard.press('ArrowRight');
    expect(Number(await page.getByTestId('box-x').inputValue())).toBeGreaterThan(x0);

    const csp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    expect(csp).toEqual([]);
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
  it('a bad upload is reported in step 1 at once, with what to do', async () => {
    await page.locator('.topbar select').selectOption('en');
    await page.locator('.tabs').getByRole('button', { name: 'Studio' }).click();
    await page.getByTestId('step-tab-1').click();
    await page.getByTestId('product-input').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('this is not a PNG at all') });
    const alert = page.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toMatch(/Step 1 failed.*broken\.png.*cannot be read as an image.*What to do/s);
    await page.screenshot({ path: join(shots, '12-error-step1.png') });
    // A new photo clears the error.
    await page.getByTestId('product-input').setInputFiles(PHOTO);
    await alert.waitFor({ state: 'detached' });
  });

  it('cancel a running job: it stops and the studio says so', async () => {
    await page.locator('.topbar select').selectOption('en');
    await page.locator('.tabs').getByRole('button', { name: 'Studio' }).click();
    await page.getByTestId('step-tab-1').click();
    const id = await submitted(() => page.getByTestId('generate-scene').click());
    await page.locator('section.progress').waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('section.progress strong')?.textContent?.includes('Step'), undefined, { timeout: 15_000 });
    await page.screenshot({ path: join(shots, '07-progress.png') });
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Cancel' }).click();
    const job = await waitForJob(id, 10_000);
    const stopMs = Date.now() - t0;
    expect(job.status).toBe('stopped');
    console.log(`cancel → stopped in ${stopMs} ms`);
    await page.getByText('Stopped. Nothing was changed.').waitFor({ state: 'visible' });
  });
});

describe.skipIf(canRun)('studio in Chromium', () => {
  it.skip('skipped: /usr/bin/chromium is not installed (apt-get install chromium)', () => undefined);
});
