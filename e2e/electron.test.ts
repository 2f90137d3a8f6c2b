// The desktop app through Playwright's _electron: launches the built app where an Electron binary
// is installed and runs a short flow (window up, one typed `studio` object over IPC, no Node in
// the page, a font list, a job run over IPC). Where no binary exists (npm skips its download
// offline) the test is skipped and its name says why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, shotsDir } from './support';

/** The Electron executable, found without importing 'electron' (whose import may try a download). */
function findElectron(): { path: string | null; reason: string } {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathTxt = join(dir, 'path.txt');
  if (!existsSync(pathTxt))
    return { path: null, reason: 'node_modules/electron has no binary (its download was skipped; run npm run setup:native on a connected machine)' };
  const exe = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(exe)) return { path: null, reason: `${exe} is missing` };
  return { path: exe, reason: '' };
}

const electron = findElectron();
const skipNote = `no Electron binary here: ${electron.reason}`;

describe('desktop app (Playwright _electron)', () => {
  let app: ElectronApplication;
  let userData = '';

  beforeAll(async () => {
    if (!electron.path) {
      console.log(`e2e/electron.test.ts skipped: ${skipNote}`);
      return;
    }
    const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    userData = mkdtempSync(join(tmpdir(), 'adforge-electron-'));
    mkdirSync(userData, { recursive: true });
    // Keep the embedded server off so the test never fights over port 8000.
    writeFileSync(join(userData, 'desktop-settings.json'), JSON.stringify({ serverEnabled: false, port: 0 }));
    app = await _electron.launch({
      executablePath: electron.path as string,
      args: [ROOT, '--no-sandbox'],
      env: { ...process.env, ADFORGE_USER_DATA: userData },
    });
  });

  afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it('opens the studio with one typed bridge and no Node in the page', async (ctx) => {
    ctx.skip(!electron.path, skipNote);
    const page = await app.firstWindow();
    await page.locator('.rail').waitFor({ state: 'visible', timeout: 30_000 });
    expect(page.url()).toBe('adforge://app/index.html');
    const probe = await page.evaluate(() => {
      const w = window as unknown as { studio?: { shell: string }; require?: unknown; process?: unknown };
      return { shell: w.studio?.shell, require: typeof w.require, process: typeof w.process };
    });
    expect(probe).toEqual({ shell: 'electron', require: 'undefined', process: 'undefined' });
    await page.screenshot({ path: join(shotsDir(), 'electron-studio.png') });
  });

  it('lists fonts and runs a background-only job over IPC', async (ctx) => {
    ctx.skip(!electron.path, skipNote);
    const page = await app.firstWindow();
    const result = await page.evaluate(async () => {
      type Api = {
        fonts(): Promise<unknown[]>;
        submit(r: object): Promise<{ job_id: string }>;
        getJob(id: string): Promise<{ status: string; artifacts: string[] }>;
      };
      const api = (window as unknown as { studio: Api }).studio;
      const fonts = await api.fonts();
      const job = await api.submit({ bg_prompt: 'marble', long_edge: 256, stop_step: 1 });
      for (let i = 0; i < 300; i++) {
        const j = await api.getJob(job.job_id);
        if (j.status !== 'pending' && j.status !== 'running') return { fonts: fonts.length, status: j.status, artifacts: j.artifacts };
        await new Promise((r) => setTimeout(r, 200));
      }
      return { fonts: fonts.length, status: 'timeout', artifacts: [] };
    });
    expect(result.fonts).toBeGreaterThan(0);
    expect(result.status).toBe('completed');
    expect(result.artifacts).toContain('final');
  });
});
