// Diffusion benchmark through the real server: for each installed diffusion background engine, a
// whole 1024² ad (segmentation, generated scene, product-ring repaint, lettering, composition),
// warm, median of N, with the job's sub-step times and the provider it ran on. Goals on the
// designer's L4 with real weights: SDXL-Turbo ≤ 8 s, FLUX.1-schnell ≤ 12 s per ad.
// Usage (on the workstation): ADFORGE_PROVIDERS=cuda,cpu node bench/run.mjs diffusion
//        or: node bench/diffusion.mjs [--runs 3] [--steps N] [--json]
// Where no diffusion model is installed it says so and measures nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { json, machine, median, ROOT, startServer, treeMemory, waitJob } from './lib.mjs';

const { values: opt } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, steps: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const RUNS = Number(opt.runs);
const GOALS = { 'sdxl-turbo': 8, 'flux-schnell': 12, 'sd-turbo': 8 };
const STEPS = { 'sdxl-turbo': 4, 'flux-schnell': 4, 'sd-turbo': 4 };
const product = readFileSync(path.join(ROOT, 'test/fixtures/photos/coffee.jpg')).toString('base64');

const server = await startServer();
const { port, proc } = server;
const health = await json(port, 'GET', '/health');
const engines = (health.body.background_engines?.available ?? []).filter((e) => e !== 'procedural');
if (engines.length === 0) {
  console.log(`AdForge diffusion benchmark — ${machine()}`);
  console.log('No diffusion model is installed (adforge models install sdxl-turbo, or Settings → Engine models): nothing measured.');
  await server.close();
  process.exit(0);
}

async function timed(body) {
  const t0 = performance.now();
  const r = await json(port, 'POST', '/generate', body);
  if (r.status !== 200) throw new Error(`generate ${r.status}: ${JSON.stringify(r.body)}`);
  const s = await waitJob(port, r.body.job_id, 20);
  if (s.status !== 'completed') throw new Error(`job ${s.status}: ${s.error ?? s.message}`);
  return {
    wall: (performance.now() - t0) / 1000,
    job: s.finished_at - s.start_time,
    timings: s.timings ?? {},
    provider: s.engine_reports?.background?.provider ?? null,
  };
}

const report = { machine: machine(), runs: RUNS, engines: {} };
for (const engine of engines) {
  const body = {
    product_image: product,
    bg_prompt: 'luxury hotel lobby with warm lighting and marble floor',
    text_content: '아침의 향 Morning Brew',
    text_model_prompt: 'gold metallic 3D text',
    text_position: 'auto',
    bg_engine: engine,
    num_inference_steps: Number(opt.steps ?? STEPS[engine] ?? 4),
    guidance_scale: 0,
  };
  const cold = await timed({ ...body, seed: 1 }); // loads the engine
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timed({ ...body, seed: 10 + i }));
  const subs = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.timings)) (subs[k] ??= []).push(v);
  report.engines[engine] = {
    provider: runs[0].provider,
    steps: body.num_inference_steps,
    coldJob: cold.job,
    jobMedian: median(runs.map((r) => r.job)),
    wallMedian: median(runs.map((r) => r.wall)),
    goal: GOALS[engine] ?? null,
    subStepMedians: Object.fromEntries(Object.entries(subs).map(([k, v]) => [k, median(v)])),
  };
  await json(port, 'POST', '/free'); // one engine resident at a time, as in use
}
const mem = treeMemory(proc.pid);
report.peakMiB = { server: mem.server.hwmMiB, worker: mem.worker.hwmMiB };
await server.close();

if (opt.json) console.log(JSON.stringify(report, null, 2));
else {
  const f = (n) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
  console.log(`AdForge diffusion benchmark — ${report.machine}; whole 1024² ad, warm, median of ${RUNS}`);
  console.log('| engine | provider | steps | first job (load) | job (server) | wall | goal (L4) |\n|---|---|---|---|---|---|---|');
  for (const [id, e] of Object.entries(report.engines))
    console.log(`| ${id} | ${e.provider} | ${e.steps} | ${f(e.coldJob)} s | ${f(e.jobMedian)} s | ${f(e.wallMedian)} s | ${e.goal ? `≤ ${e.goal} s` : '—'} |`);
  for (const [id, e] of Object.entries(report.engines))
    console.log(
      `${id} sub-steps (median s): ${Object.entries(e.subStepMedians)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(', ')}`,
    );
  console.log(`peak RSS (VmHWM): server ${report.peakMiB.server.toFixed(0)} MiB, pipeline worker ${report.peakMiB.worker.toFixed(0)} MiB`);
}
