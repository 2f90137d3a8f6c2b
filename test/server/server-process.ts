// Runs the real server (`node dist/cli.js serve`) as a child process for end-to-end tests, and the
// small HTTP helpers those tests share. Images come from sharp, never from checked-in binaries.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CLI, ensureServerBuild, ROOT } from '../support/build';

export { CLI, ROOT, ensureServerBuild as buildServerBundle };

export { productColourShare, productPng } from '../support/product';

const tempDirs: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `adforge-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes this test file's temp dirs (call after its servers have stopped). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop: () => Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill: () => Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  args?: string[];
  env?: Record<string, string>;
  port?: number;
  timeoutMs?: number;
}

const LISTEN_RE = /AdForge listening on (http:\/\/\S+:(\d+))/;

export function startServer(opts: StartOptions): Promise<ServerProcess> {
  ensureServerBuild();
  const args = [CLI, 'serve', '--port', String(opts.port ?? 0), '--data-dir', opts.dataDir, ...(opts.args ?? [])];
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ADFORGE_PROVIDERS: 'cpu', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not print its listening line in time:\n${out}`));
    }, opts.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = LISTEN_RE.exec(out);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[2]);
        resolve({
          proc,
          port,
          url: `http://127.0.0.1:${port}`,
          output: () => out,
          stop: async () => {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
            return exited;
          },
          kill: async () => {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
            await exited;
          },
        });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
}

/** Runs the CLI to completion (for commands expected to fail fast). */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): { code: number | null; output: string } {
  ensureServerBuild();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = Record<string, unknown>>(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' || Buffer.isBuffer(body) ? (body as string) : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + route, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${route} -> ${res.status}: not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export async function fileBytes(base: string, route: string): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const res = await fetch(base + route);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

export interface StatusBody {
  job_id: string;
  status: string;
  progress_percent: number;
  message: string;
  error?: string;
  step1_url: string | null;
  final_url: string | null;
  final_result: string | null;
  [k: string]: unknown;
}

/** Polls GET /status (without images) until the job leaves pending/running. */
export async function waitForJob(base: string, jobId: string, timeoutMs = 90_000, headers: Record<string, string> = {}): Promise<StatusBody> {
  const t0 = Date.now();
  for (;;) {
    const r = await api<StatusBody>(base, 'GET', `/status/${jobId}?include_images=false`, undefined, headers);
    if (r.status !== 200) throw new Error(`status ${r.status}: ${JSON.stringify(r.body)}`);
    if (!['pending', 'running'].includes(r.body.status)) return r.body;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${jobId} still ${r.body.status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
