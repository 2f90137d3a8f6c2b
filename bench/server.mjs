// Server benchmark: start time, GET /status latency under 100 concurrent pollers while jobs run,
// and the server process's memory. Spawns the real `node dist/cli.js serve` (build it first:
// `node scripts/build-server.mjs`). Usage: node bench/server.mjs [--seconds 10] [--interval 250] [--json]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { json, machine, pct, productPng, request, sleep, startServer, treeMemory } from './lib.mjs';

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

async function main() {
  const server = await startServer();
  const { port, proc } = server;
  const tListen = server.listenMs;
  const tHealth = server.firstHealthMs;

  await sleep(1500); // let the worker finish its start-up so "idle" means idle
  const idle = treeMemory(proc.pid);

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
      busyRss.push(treeMemory(proc.pid).totalRssMiB);
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
  const engines = `${Object.entries(firstDone.engines ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}; provider ${firstDone.execution_provider}`;

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
    results[label] = {
      requests: lat.length,
      p50: pct(lat, 50),
      p99: pct(lat, 99),
      serverP50: pct(srv, 50),
      serverP99: pct(srv, 99),
      max: lat[lat.length - 1],
      avgKiB: bytes / lat.length / 1024,
      errors,
      load1: (load0 + os.loadavg()[0]) / 2,
    };
  };
  await measure('running job, include_images=false', () => `/status/${currentJob}?include_images=false`);
  await measure('running job, seed default (base64 as steps finish)', () => `/status/${currentJob}`);
  await measure('completed job, seed default (3 base64 PNGs)', () => `/status/${completedJob}`);
  stopping = true;
  await keeper.catch(() => {});
  const busy = treeMemory(proc.pid);
  // Baseline: the same pollers with the lane idle (no worker competing for the CPU).
  while ((await json(port, 'GET', '/health')).body.status !== 'healthy') await sleep(100);
  await measure('idle lane, include_images=false', () => `/status/${completedJob}?include_images=false`);
  const report = {
    machine: machine(),
    start: { listenMs: tListen, firstHealthMs: tHealth },
    firstJobSeconds,
    engines,
    jobsCompleted: jobsDone,
    pollers: POLLERS,
    pollIntervalMs: INTERVAL_MS,
    status: results,
    memory: {
      idleServerMiB: idle.server.rssMiB,
      idleWorkerMiB: idle.worker.rssMiB,
      busyRssMaxMiB: Math.max(...busyRss, busy.totalRssMiB),
      serverHwmMiB: busy.server.hwmMiB,
      workerHwmMiB: busy.worker.hwmMiB,
    },
  };

  await server.close();

  if (opt.json) return console.log(JSON.stringify(report, null, 2));
  const f = (n) => n.toFixed(1);
  console.log(`AdForge server benchmark — ${report.machine}`);
  console.log(`${POLLERS} concurrent pollers, each polling every ${INTERVAL_MS} ms; load = 1-min load average of the whole machine during the run`);
  console.log(`| metric | value |\n|---|---|`);
  console.log(`| start: spawn -> listening line | ${f(report.start.listenMs)} ms |`);
  console.log(`| start: spawn -> first GET /health 200 | ${f(report.start.firstHealthMs)} ms |`);
  console.log(`| first full job, 1024² (${engines}) | ${f(firstJobSeconds)} s |`);
  for (const [label, r] of Object.entries(results)) {
    console.log(
      `| GET /status ${label}: p50 / p99 / max (${r.requests} req, ${f(r.avgKiB)} KiB avg, ${r.errors} errors, load ${f(r.load1)}) | ${f(r.p50)} / ${f(r.p99)} / ${f(r.max)} ms (in-process p50/p99 ${f(r.serverP50)} / ${f(r.serverP99)} ms) |`,
    );
  }
  console.log(`| RSS idle: server / pipeline worker (models loaded) | ${f(report.memory.idleServerMiB)} / ${f(report.memory.idleWorkerMiB)} MiB |`);
  console.log(`| RSS busy: server + worker, max during jobs | ${f(report.memory.busyRssMaxMiB)} MiB |`);
  console.log(`| peak VmHWM: server / worker | ${f(report.memory.serverHwmMiB)} / ${f(report.memory.workerHwmMiB)} MiB |`);
  console.log(`goal: GET /status p99 < 20 ms with ${POLLERS} concurrent pollers while a job runs`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
