// Server benchmark: start time, GET /status latency under 100 concurrent pollers while jobs run,
// and the server process's memory. Spawns the real `node dist/cli.js serve` (build it first:
// `node scripts/build-server.mjs`). Usage: node bench/server.mjs [--seconds 10] [--interval 250] [--json]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    pollers: { type: 'string', default: '100' },
    interval: { type: 'string', default: '250' },
    json: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(opt.seconds);
const POLLERS = Number(opt.pollers);
const INTERVAL_MS = Number(opt.interval);

const agent = new http.Agent({ keepAlive: true, maxSockets: POLLERS + 8 });

function request(port, method, route, body) {
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

const json = async (port, method, route, body) => {
  const r = await request(port, method, route, body);
  return { status: r.status, body: JSON.parse(r.bytes.toString()) };
};

function memory(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function productPng() {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640"><rect width="100%" height="100%" fill="#ececec"/>
    <rect x="144" y="154" width="192" height="422" rx="38" fill="#d0208a"/><rect x="200" y="64" width="77" height="100" rx="8" fill="#202020"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'adforge-bench-server-'));
  const t0 = performance.now();
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, ADFORGE_PROVIDERS: process.env.ADFORGE_PROVIDERS ?? 'cpu' },
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

  await sleep(1500); // let the worker finish its start-up so "idle" means idle
  const idle = memory(proc.pid);

  const product = (await productPng()).toString('base64');
  let jobsDone = 0;
  let currentJob = null;
  let currentJobDoneId = null;
  const busyRss = [];
  const submit = async () => {
    const r = await json(port, 'POST', '/generate', { product_image: product, text_content: '벤치마크 Bench', seed: jobsDone });
    if (r.status !== 200) throw new Error(`generate ${r.status}: ${JSON.stringify(r.body)}`);
    currentJob = r.body.job_id;
  };
  const firstJobStart = performance.now();
  await submit();
  // Keep the lane busy for the whole window: as soon as a job finishes, submit the next.
  let stopping = false;
  const keeper = (async () => {
    while (!stopping) {
      const s = await json(port, 'GET', `/status/${currentJob}?include_images=false`);
      busyRss.push(memory(proc.pid).rssMiB);
      if (!['pending', 'running'].includes(s.body.status)) {
        if (s.body.status !== 'completed') throw new Error(`job ${s.body.status}: ${s.body.error}`);
        jobsDone++;
        currentJobDoneId = currentJob;
        if (!stopping) await submit();
      }
      await sleep(100);
    }
  })();
  // Warm the base64 cache once a job has step images, then measure.
  while (jobsDone === 0) await sleep(50);
  const firstJobSeconds = (performance.now() - firstJobStart) / 1000;
  const firstDone = (await json(port, 'GET', `/status/${currentJobDoneId}?include_images=false`)).body;
  const engines = `${Object.entries(firstDone.engines ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}; provider ${firstDone.execution_provider}`;

  const completedJob = currentJobDoneId;
  const results = {};
  const measure = async (label, route) => {
    const lat = [];
    const srv = [];
    let bytes = 0;
    let errors = 0;
    const load0 = os.loadavg()[0];
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: POLLERS }, async (_, i) => {
        await sleep((i * INTERVAL_MS) / POLLERS); // spread the pollers over one interval
        while (performance.now() < until) {
          const t = performance.now();
          const r = await request(port, 'GET', route());
          lat.push(performance.now() - t);
          srv.push(r.serverMs);
          bytes += r.bytes.length;
          if (r.status !== 200) errors++;
          if (INTERVAL_MS > 0) await sleep(INTERVAL_MS);
        }
      }),
    );
    lat.sort((a, b) => a - b);
    srv.sort((a, b) => a - b);
    results[label] = { requests: lat.length, p50: pct(lat, 50), p99: pct(lat, 99), serverP50: pct(srv, 50), serverP99: pct(srv, 99), max: lat[lat.length - 1], avgKiB: bytes / lat.length / 1024, errors, load1: (load0 + os.loadavg()[0]) / 2 };
  };
  await measure('running job, include_images=false', () => `/status/${currentJob}?include_images=false`);
  await measure('running job, seed default (base64 as steps finish)', () => `/status/${currentJob}`);
  await measure('completed job, seed default (3 base64 PNGs)', () => `/status/${completedJob}`);
  stopping = true;
  await keeper.catch(() => {});
  const busy = memory(proc.pid);
  // Baseline: the same pollers with the lane idle (no worker competing for the CPU).
  while ((await json(port, 'GET', '/health')).body.status !== 'healthy') await sleep(100);
  await measure('idle lane, include_images=false', () => `/status/${completedJob}?include_images=false`);
  const report = {
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    start: { listenMs: tListen - t0, firstHealthMs: tHealth - t0 },
    firstJobSeconds,
    engines,
    jobsCompleted: jobsDone,
    pollers: POLLERS,
    pollIntervalMs: INTERVAL_MS,
    status: results,
    memory: { idleRssMiB: idle.rssMiB, busyRssMaxMiB: Math.max(...busyRss, busy.rssMiB), peakHwmMiB: busy.hwmMiB },
  };

  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });

  if (opt.json) return console.log(JSON.stringify(report, null, 2));
  const f = (n) => n.toFixed(1);
  console.log(`AdForge server benchmark — ${report.machine}`);
  console.log(`${POLLERS} concurrent pollers, each polling every ${INTERVAL_MS} ms; load = 1-min load average of the whole machine during the run`);
  console.log(`| metric | value |\n|---|---|`);
  console.log(`| start: spawn -> listening line | ${f(report.start.listenMs)} ms |`);
  console.log(`| start: spawn -> first GET /health 200 | ${f(report.start.firstHealthMs)} ms |`);
  console.log(`| first full job, 1024² (${engines}) | ${f(firstJobSeconds)} s |`);
  for (const [label, r] of Object.entries(results)) {
    console.log(`| GET /status ${label}: p50 / p99 / max (${r.requests} req, ${f(r.avgKiB)} KiB avg, ${r.errors} errors, load ${f(r.load1)}) | ${f(r.p50)} / ${f(r.p99)} / ${f(r.max)} ms (in-process p50/p99 ${f(r.serverP50)} / ${f(r.serverP99)} ms) |`);
  }
  console.log(`| RSS idle (VmRSS after start) | ${f(report.memory.idleRssMiB)} MiB |`);
  console.log(`| RSS busy (max VmRSS during jobs; worker thread shares the process) | ${f(report.memory.busyRssMaxMiB)} MiB |`);
  console.log(`| peak (VmHWM) | ${f(report.memory.peakHwmMiB)} MiB |`);
  console.log(`goal: GET /status p99 < 20 ms with ${POLLERS} concurrent pollers while a job runs`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
