// Settings → Engine models in Debian Chromium: a designer installs a diffusion model with the
// Install button, watches the progress bar count up, and sees the scene engine that `auto` now
// picks change from the procedural backdrop to it; then frees its GPU memory. The model comes
// from a Hub stand-in on loopback (HF_ENDPOINT): a tiny SD-Turbo export with the real layout.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSdTurboFolder } from '../test/helpers/diffusion-graphs';
import { sha256, startModelHost, type ModelHost } from '../test/helpers/model-host';
import { chromiumAvailable, launchChromium, ROOT, shotsDir } from './support';

const canRun = chromiumAvailable();

function folderFiles(dir: string): { path: string; content: Buffer }[] {
  const out: { path: string; content: Buffer }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== 'adforge-lock.json') out.push({ path: relative(dir, p), content: readFileSync(p) });
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!canRun)('engine models in the studio settings', () => {
  let host: ModelHost;
  let child: ChildProcess;
  let url = '';
  let browser: Browser;
  let page: Page;
  const tmp = mkdtempSync(join(tmpdir(), 'adforge-models-e2e-'));
  const shots = shotsDir();

  beforeAll(async () => {
    const src = join(tmp, 'src');
    writeSdTurboFolder(src, { ioType: 'float32', idType: 'int32', timestep: { type: 'int64', shape: [1] } });
    const files = folderFiles(src);
    // Large enough that the progress bar is seen between polls: the CDN stand-in sends it in pieces.
    files.push({ path: 'unet/padding.bin', content: Buffer.alloc(24 * 1024 * 1024, 7) });
    const revision = 'a'.repeat(40);
    host = await startModelHost([{ repo: 'test/tiny-sd-turbo', revision, files }]);
    const modelsDir = join(tmp, 'models');
    const shipped = JSON.parse(readFileSync(join(ROOT, 'models/sd-turbo.json'), 'utf8')) as Record<string, unknown>;
    const manifest = {
      ...shipped,
      repo: 'test/tiny-sd-turbo',
      revision,
      files: files.map((f) => ({ path: f.path, bytes: f.content.length, sha256: sha256(f.content) })),
    };
    await import('node:fs/promises').then((fs) => fs.mkdir(modelsDir, { recursive: true }));
    writeFileSync(join(modelsDir, 'sd-turbo.json'), JSON.stringify(manifest));
    child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'serve', '--port', '0', '--comfy-port', '0', '--data-dir', join(tmp, 'data')], {
      cwd: ROOT,
      env: { ...process.env, ADFORGE_MODELS_DIR: modelsDir, HF_ENDPOINT: host.url, ADFORGE_PROVIDERS: 'cpu' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
      const on = (d: Buffer) => {
        out += d.toString();
        const m = /AdForge listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout?.on('data', on);
      child.stderr?.on('data', on);
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    child?.kill('SIGTERM');
    await host?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('installs a model with a progress bar and cancel; a second Install resumes; then auto uses it and Free answers', async () => {
    await page.goto(`${url}/studio/`);
    await page.getByRole('button', { name: /^(Settings|설정)$/ }).click();
    const row = page.getByTestId('model-sd-turbo');
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(async () => page.getByTestId('auto-engine').textContent()).toMatch(/procedural/);
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'models-1-before-install.png') });
    // The Hub stand-in sends 8 MiB of the big file, then goes silent: the bar stops part-way.
    host.stallAfter('unet/padding.bin', 8 * 1024 * 1024, 1);
    await row.getByRole('button', { name: /^(Install|설치)$/ }).click();
    const bar = row.getByRole('progressbar');
    await bar.waitFor({ timeout: 20_000 });
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(100);
    expect(await row.getByRole('status').textContent()).toMatch(/%.*[KMG]iB \/ .*[KMG]iB/);
    await page.screenshot({ path: join(shots, 'models-2-installing.png') });
    await row.getByRole('button', { name: /^(Cancel|취소)$/ }).click();
    await expect.poll(async () => row.textContent(), { timeout: 20_000 }).toMatch(/cancelled|취소됨/);
    await expect.poll(async () => row.locator('.badge').textContent()).toMatch(/Partly downloaded|일부만/);
    // Install again: the partial file resumes with a Range request instead of starting over.
    await row.getByRole('button', { name: /^(Install|설치)$/ }).click();
    await expect.poll(async () => row.locator('.badge').textContent(), { timeout: 60_000, interval: 500 }).toMatch(/^(Installed|설치됨)$/);
    expect(host.requests.some((r) => r.server === 'cdn' && r.range !== null && !r.range.startsWith('bytes=0-'))).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: /^(Settings|설정)$/ }).click();
    await expect.poll(async () => page.getByTestId('auto-engine').textContent(), { timeout: 20_000 }).toMatch(/sd-turbo/);
    await page.getByTestId('model-sd-turbo').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'models-3-installed.png') });
    await page.getByRole('button', { name: /^(Free GPU memory|GPU 메모리 비우기)$/ }).click();
    await expect
      .poll(async () => page.locator('.models-panel > [role=status]').textContent())
      .toMatch(/No diffusion engine was loaded|불러온 디퓨전 엔진이 없습니다|Released|해제됨/);
  }, 240_000);
});
