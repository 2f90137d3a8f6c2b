// Shared helpers for the benchmarks: spawn the real server, talk HTTP to it, read process memory
// (the server and its pipeline worker child), and small statistics.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const machine = () => `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

export function request(port, method, route, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { host: '127.0.0.1', port, method, path: route, agent, headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {} },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        const timing = /dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
        res.on('end', () => resolve({ status: res.statusCode, bytes: Buffer.concat(chunks), serverMs: timing ? Number(timing[1]) : NaN }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export const json = async (port, method, route, body) => {
  const r = await request(port, method, route, body);
  return { status: r.status, body: JSON.parse(r.bytes.toString()) };
};

/** VmRSS / VmHWM of one process, MiB. */
export function memory(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return { rssMiB: 0, hwmMiB: 0 };
  }
}

/** The server plus its pipeline worker child process(es). */
export function treeMemory(pid) {
  let children;
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    children = [];
  }
  const server = memory(pid);
  const workers = children.map(memory);
  const sum = (k) => workers.reduce((s, m) => s + m[k], 0);
  return { server, worker: { rssMiB: sum('rssMiB'), hwmMiB: sum('hwmMiB') }, totalRssMiB: server.rssMiB + sum('rssMiB') };
}

/** Starts `node dist/cli.js serve` on a free port with a fresh data dir (`env`: extra ADFORGE_* settings). */
export async function startServer(extraArgs = [], env = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'adforge-bench-'));
  const t0 = performance.now();
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'serve', '--port', '0', '--comfy-port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, ADFORGE_PROVIDERS: process.env.ADFORGE_PROVIDERS ?? 'cpu', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const onData = (c) => {
      out += c.toString();
      const m = /AdForge listening on http:\/\/\S+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
  const tListen = performance.now();
  while ((await request(port, 'GET', '/health').catch(() => ({ status: 0 }))).status !== 200) await sleep(5);
  const tHealth = performance.now();
  return {
    port,
    proc,
    dataDir,
    listenMs: tListen - t0,
    firstHealthMs: tHealth - t0,
    async close() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A product photo: a magenta bottle with a cap on a light grey studio shot. */
export async function productPng() {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640"><rect width="100%" height="100%" fill="#ececec"/>
    <rect x="144" y="154" width="192" height="422" rx="38" fill="#d0208a"/><rect x="200" y="64" width="77" height="100" rx="8" fill="#202020"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Polls until the job leaves pending/running; returns the final status body. */
export async function waitJob(port, jobId, intervalMs = 20) {
  for (;;) {
    const s = await json(port, 'GET', `/status/${jobId}?include_images=false`);
    if (!['pending', 'running'].includes(s.body.status)) return s.body;
    await sleep(intervalMs);
  }
}
