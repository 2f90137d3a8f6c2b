// Shared by the e2e tests: the real headless server as a child process, Debian Chromium through
// playwright-core, and a ZIP central-directory reader to check exports.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..');
export const SHOTS = join(ROOT, 'test-results', 'e2e');
export const CHROMIUM = '/usr/bin/chromium';

export interface RunningServer {
  url: string;
  dataDir: string;
  child: ChildProcess | null;
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * `node dist/cli.js serve --port 0` in a fresh data folder (what `npm run serve` runs after its
 * build step); resolves with the URL it prints. STUDIO_E2E_URL reuses a server already running.
 */
export async function startServer(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'adforge-e2e-'));
  if (process.env.STUDIO_E2E_URL) {
    return { url: process.env.STUDIO_E2E_URL, dataDir, child: null, log: () => '', stop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  // ADFORGE_E2E_ROOT: a build of the server and studio elsewhere (dist/, out/renderer/), so a test
  // run is not disturbed by a rebuild of this checkout's dist/ while it runs.
  const root = process.env.ADFORGE_E2E_ROOT ? resolve(process.env.ADFORGE_E2E_ROOT) : ROOT;
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build:server first`);
  const env = process.env.ADFORGE_E2E_ROOT ? { ...process.env, ADFORGE_ROOT: root } : process.env;
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /AdForge listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    child,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 6000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function shotsDir(): string {
  mkdirSync(SHOTS, { recursive: true });
  return SHOTS;
}

/** Entry names of a ZIP, read from its central directory (enough to check what an export holds). */
export function zipEntries(zip: Buffer): string[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    names.push(zip.subarray(p + 46, p + 46 + nameLen).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}
