// Pipeline benchmark through the real server: a full 1024² ad (segmentation, backdrop, shadow,
// lettering, composition), then a step-2 rerun and a step-3 rerun from the stored job
// (from_job_id), warm, median of N. Goals on this 2-core machine: full ≤ 3 s, step 2 ≤ 1 s,
// step 3 ≤ 300 ms. Times are the job's own (start → finish, as the server records them) and the
// client's wall time (POST → completed seen). Usage: node bench/pipeline.mjs [--runs 3] [--json]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { json, machine, median, ROOT, startServer, treeMemory, waitJob } from './lib.mjs';

const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
const RUNS = Number(opt.runs);
const product = readFileSync(path.join(ROOT, 'test/fixtures/photos/coffee.jpg')).toString('base64');

async function timed(port, body) {
  const t0 = performance.now();
  const r = await json(port, 'POST', '/generate', body);
  if (r.status !== 200) throw new Error(`generate ${r.status}: ${JSON.stringify(r.body)}`);
  const s = await waitJob(port, r.body.job_id, 5);
  if (s.status !== 'completed') throw new Error(`job ${s.status}: ${s.error ?? s.message}`);
  const wall = (performance.now() - t0) / 1000;
  const job = s.finished_at && s.start_time ? s.finished_at - s.start_time : NaN;
  return { id: r.body.job_id, wall, job, timings: s.timings ?? {} };
}

const server = await startServer();
const { port, proc } = server;
const full = {
  product_image: product,
  bg_prompt: 'white marble countertop, soft window light',
  text_content: '아침의 향 Morning Brew',
  text_model_prompt: 'gold metallic 3D text',
  text_position: 'auto',
};
const first = await timed(port, { ...full, seed: 1 }); // cold: models load, caches fill
const rows = { full: [], step2: [], step3: [] };
const subs = {};
for (let i = 0; i < RUNS; i++) {
  const f = await timed(port, { ...full, seed: 10 + i });
  rows.full.push(f);
  for (const [k, v] of Object.entries(f.timings)) (subs[k] ??= []).push(v);
  rows.step2.push(
    await timed(port, {
      start_step: 2,
      from_job_id: f.id,
      text_content: 'New Season 신상',
      text_model_prompt: 'chrome 3D text',
      font_name: 'NanumGothic/NanumGothicBold.ttf',
    }),
  );
  rows.step3.push(await timed(port, { start_step: 3, from_job_id: f.id, composition_mode: 'behind', text_position: 'center' }));
}
const mem = treeMemory(proc.pid);
await server.close();

const summary = Object.fromEntries(
  Object.entries(rows).map(([k, list]) => [k, { jobMedian: median(list.map((x) => x.job)), wallMedian: median(list.map((x) => x.wall)) }]),
);
const report = {
  machine: machine(),
  runs: RUNS,
  coldFirstJob: { job: first.job, wall: first.wall },
  ...summary,
  subStepMedians: Object.fromEntries(Object.entries(subs).map(([k, v]) => [k, median(v)])),
  peakMiB: { server: mem.server.hwmMiB, worker: mem.worker.hwmMiB },
};
if (opt.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const f = (n) => (Number.isFinite(n) ? n.toFixed(3) : 'n/a');
  console.log(`AdForge pipeline benchmark — ${report.machine}; warm, median of ${RUNS}; product: test/fixtures/photos/coffee.jpg`);
  console.log('| run | job time (server) | client wall (POST → completed) | goal |\n|---|---|---|---|');
  console.log(`| first job (cold: model load) | ${f(first.job)} s | ${f(first.wall)} s | — |`);
  console.log(`| full pipeline 1024² | ${f(summary.full.jobMedian)} s | ${f(summary.full.wallMedian)} s | ≤ 3 s |`);
  console.log(`| step 2 rerun (from_job_id) | ${f(summary.step2.jobMedian)} s | ${f(summary.step2.wallMedian)} s | ≤ 1 s |`);
  console.log(`| step 3 rerun (from_job_id) | ${f(summary.step3.jobMedian)} s | ${f(summary.step3.wallMedian)} s | ≤ 0.3 s |`);
  console.log(
    `sub-steps (median s): ${Object.entries(report.subStepMedians)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ')}`,
  );
  console.log(`peak RSS (VmHWM): server ${report.peakMiB.server.toFixed(0)} MiB, pipeline worker ${report.peakMiB.worker.toFixed(0)} MiB`);
}
