// Shared pieces of the hostile-client suites (issue 10): a /health watcher that measures every
// answer while a hostile request is in flight, file hashes of what is stored, raw requests that
// can carry anything (forged bodies, huge frames), the pixel bomb and other poison inputs, and the
// table runner that asserts, per case: a 4xx in the family's own error shape, no server path in
// the body, /health under 100 ms during and after, and every stored file unchanged.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import { productPng, tempDir } from '../server/server-process';

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: unknown;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Any request, byte for byte (forged Content-Type, raw JSON text, Buffers). */
export function request(base: string, method: string, route: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const u = new URL(base + route);
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          // ComfyUI answers some errors (GET /view) in plain text, as ComfyUI does.
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const json = (base: string, method: string, route: string, body: unknown, headers: Record<string, string> = {}) =>
  request(base, method, route, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers });

/** multipart/form-data with any file names and fields (fetch's FormData, so the framing is real). */
export async function multipart(
  base: string,
  route: string,
  files: { field: string; name: string; bytes: Buffer }[],
  fields: Record<string, string> = {},
): Promise<Res> {
  const form = new FormData();
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.bytes)]), f.name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(base + route, { method: 'POST', body: form });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // plain text
  }
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), text, body: parsed };
}

/**
 * POSTs a file's worth of body with curl (asynchronously: the /health watcher keeps running): past
 * the body limit the server answers 413 and closes, which Node's client may report as EPIPE first.
 */
export async function curlPost(base: string, route: string, body: string | Buffer, contentType = 'application/json'): Promise<Res> {
  const file = path.join(tempDir('hostile-body'), 'body');
  await writeFile(file, body);
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn('curl', [
      '-s',
      '-o',
      '-',
      '-w',
      '\n%{http_code}',
      '-X',
      'POST',
      '-H',
      `content-type: ${contentType}`,
      '--data-binary',
      `@${file}`,
      base + route,
    ]);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  const text = lines.join('\n');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text
  }
  return { status, headers: {}, text, body: parsed };
}

// The watcher runs in its own process, so a test that blocks its own event loop (building a 90 MiB
// frame, masking it) cannot inflate the times: they are the server's, plus loopback.
const WATCHER = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true });
const u = new URL(process.argv[1] + '/health');
const times = []; let failures = 0; let running = true;
process.stdin.on('data', () => { running = false; });
const once = () => new Promise((resolve) => {
  const t0 = performance.now();
  const req = http.get({ host: u.hostname, port: u.port, path: u.pathname, agent }, (res) => {
    res.resume();
    res.on('end', () => { if (res.statusCode !== 200) failures++; times.push(performance.now() - t0); resolve(); });
  });
  req.on('error', () => { failures++; times.push(performance.now() - t0); resolve(); });
});
(async () => {
  process.stdout.write('ready\\n');
  while (running) { await once(); await new Promise((r) => setTimeout(r, Number(process.argv[2]))); }
  process.stdout.write(JSON.stringify({ times, failures }) + '\\n');
  process.exit(0);
})();
`;

export interface HealthStats {
  count: number;
  max: number;
  p50: number;
  p99: number;
  failures: number;
}

export function summarize(times: number[], failures = 0): HealthStats {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
  return { count: times.length, max: sorted[sorted.length - 1] ?? 0, p50: at(0.5), p99: at(0.99), failures };
}

/** Polls GET /health back to back (from a separate process) and records how long each answer took. */
export async function watchHealth(base: string, intervalMs = 10): Promise<{ stop: () => Promise<HealthStats> }> {
  const child = spawn(process.execPath, ['-e', WATCHER, base, String(intervalMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => (out.startsWith('ready') ? resolve() : setTimeout(check, 5));
    child.once('error', reject);
    check();
  });
  // At least one answer before the hostile request starts.
  await new Promise((r) => setTimeout(r, 30));
  return {
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end('stop\n');
      await exited;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      const { times, failures } = JSON.parse(line ?? '{"times":[],"failures":1}') as { times: number[]; failures: number };
      return summarize(times, failures);
    },
  };
}

/** SHA-256 of every file under the given folders of the data dir (relative path → hash). */
export function hashTree(dataDir: string, folders: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dataDir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  for (const f of folders) walk(path.join(dataDir, f));
  return out;
}

export type Shape = 'detail' | 'comfy' | 'comfy-text' | 'fastapi';

export interface HostileCase {
  name: string;
  send: () => Promise<Res> | Res;
  /** Expected status (or one of). */
  status: number | number[];
  shape: Shape;
  /** Matched against the error text (detail, or ComfyUI's message + details). */
  match?: RegExp;
  /** Extra checks after the answer (nothing left on disk, history still served...). */
  after?: (r: Res) => Promise<void> | void;
}

function errorText(r: Res, shape: Shape): string {
  const b = r.body as Record<string, unknown> | null;
  switch (shape) {
    case 'detail':
      expect(typeof b?.detail, r.text.slice(0, 300)).toBe('string');
      return b?.detail as string;
    case 'fastapi':
      // FastAPI: detail is a string or a list of {loc, msg, type}.
      expect(b && 'detail' in b, r.text.slice(0, 300)).toBe(true);
      return JSON.stringify(b?.detail);
    case 'comfy': {
      const e = b?.error as Record<string, unknown> | undefined;
      expect(typeof e?.type, r.text.slice(0, 300)).toBe('string');
      expect(typeof e?.message).toBe('string');
      expect(b).toHaveProperty('node_errors');
      return `${e?.message as string} ${String(e?.details ?? '')}`;
    }
    case 'comfy-text':
      // ComfyUI's GET /view answers its errors as plain text.
      expect(r.text.length).toBeGreaterThan(0);
      return r.text;
  }
}

export interface SuiteContext {
  base: string;
  dataDir: string;
  /** Folders whose files must never change (hashed before and after each case). */
  stored: string[];
}

/** One hostile case, with the checks every case shares. */
export async function runHostileCase(ctx: SuiteContext, c: HostileCase): Promise<void> {
  const before = hashTree(ctx.dataDir, ctx.stored);
  const watch = await watchHealth(ctx.base);
  let r: Res;
  let health: HealthStats;
  try {
    r = await c.send();
  } finally {
    health = await watch.stop();
  }
  const statuses = Array.isArray(c.status) ? c.status : [c.status];
  expect(statuses, `${c.name}: got ${r.status} ${r.text.slice(0, 300)}`).toContain(r.status);
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  const text = errorText(r, c.shape);
  if (c.match) expect(text).toMatch(c.match);
  // No server path in any response body.
  expect(r.text).not.toContain(ctx.dataDir);
  expect(r.text).not.toMatch(/\/(tmp|work|root|home|srv)\/[^\s"']+/);
  // /health answered throughout, each time within 100 ms...
  expect(health.failures, `${c.name}: /health failed during the request`).toBe(0);
  expect(health.max, `${c.name}: /health took ${health.max.toFixed(1)} ms during the request (${health.count} polls)`).toBeLessThan(100);
  // ...and after.
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    expect((await request(ctx.base, 'GET', '/health')).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(100);
  }
  await c.after?.(r);
  expect(hashTree(ctx.dataDir, ctx.stored), `${c.name}: a stored file changed`).toEqual(before);
}

// ------------------------------------------------------------------ poison inputs

/** 10000 x 10000 pixels in about 300 KB: decoding it would take 300-400 MB. */
export function pixelBomb(): Promise<Buffer> {
  return sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#ffffff' } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** A real PNG cut off half-way through its pixel data: its header probes fine. */
export async function truncatedPng(): Promise<Buffer> {
  const noise = Buffer.alloc(256 * 256 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) & 255;
  const png = await sharp(noise, { raw: { width: 256, height: 256, channels: 3 } })
    .png()
    .toBuffer();
  return png.subarray(0, Math.floor(png.length * 0.6));
}

/** An SVG with an external entity (XXE): not an accepted image type anywhere. */
export const XXE_SVG = Buffer.from(
  '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><text y="20">&xxe;</text></svg>',
);

/** JSON text nested `depth` levels deep inside `key` of an object. */
export const deepJson = (key: string, depth: number, rest = '') => `{${rest}"${key}":${'['.repeat(depth)}${']'.repeat(depth)}}`;

export const PROTO_JSON = (rest: string) => `{"__proto__":{"polluted":true},${rest}}`;

export { productPng };
