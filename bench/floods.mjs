// Flood benchmark (issue 10): what hostile or merely eager clients cost the server while real jobs
// run. Four scenarios over the real `node dist/cli.js serve`, each with its answer latencies
// (p50/p99), GET /health p50/p99 measured from a separate process (so the load generator's own
// CPU use does not count), and server / pipeline-worker RSS before and after:
//   1. 200 concurrent POST /generate while a job runs (nanoCocoa answers its seed 503)
//   2. a 500-prompt ComfyUI flood (the queue bound, default 100, takes the first; the rest 503)
//   3. 100 closed-loop GET /status pollers (no pause between polls) while jobs run
//   4. 10,000-node ComfyUI graphs (1 MB each) posted back to back: /health p99 goal < 50 ms
// Usage: node bench/floods.mjs [--seconds 8] [--json]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { machine, pct, productPng, request, sleep, startServer, treeMemory } from './lib.mjs';

const { values: opt } = parseArgs({ options: { seconds: { type: 'string', default: '8' }, json: { type: 'boolean', default: false } } });
const SECONDS = Number(opt.seconds);

// GET /health back to back from its own process; prints every latency when told to stop.
const WATCHER = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true });
const u = new URL(process.argv[1] + '/health');
const times = []; let running = true; let failures = 0;
process.stdin.on('data', () => { running = false; });
const once = () => new Promise((resolve) => {
  const t0 = performance.now();
  http.get({ host: u.hostname, port: u.port, path: u.pathname, agent }, (res) => {
    res.resume();
    res.on('end', () => { if (res.statusCode !== 200) failures++; times.push(performance.now() - t0); resolve(); });
  }).on('error', () => { failures++; resolve(); });
});
(async () => {
  process.stdout.write('ready\\n');
  while (running) { await once(); await new Promise((r) => setTimeout(r, 5)); }
  process.stdout.write(JSON.stringify({ times, failures }) + '\\n');
  process.exit(0);
})();
`;

async function watchHealth(port) {
  const child = spawn(process.execPath, ['-e', WATCHER, `http://127.0.0.1:${port}`], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c.toString()));
  while (!out.startsWith('ready')) await sleep(5);
  await sleep(50);
  return async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end('stop\n');
    await exited;
    const { times, failures } = JSON.parse(out.split('\n').find((l) => l.startsWith('{')));
    return { ...stats(times), failures };
  };
}

function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50) ?? 0, p99: pct(s, 99) ?? 0, max: s[s.length - 1] ?? 0 };
}

const mem = (pid) => {
  const m = treeMemory(pid);
  return { serverMiB: m.server.rssMiB, workerMiB: m.worker.rssMiB };
};

/** Runs `count` calls, at most `concurrency` at a time; returns [latency ms, status] per call. */
async function pool(count, concurrency, call) {
  const out = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        const r = await call(i);
        out.push([performance.now() - t0, r.status]);
      }
    }),
  );
  return out;
}

const rawAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
/** POST of a body serialised once (the load generator must not spend the CPU the server needs). */
function post(port, route, bytes) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: route,
        agent: rawAgent,
        headers: { 'content-type': 'application/json', 'content-length': bytes.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

function graph(seed) {
  return {
    1: { class_type: 'AdForgeLoadProductImage', inputs: { image: 'bench.png' } },
    2: {
      class_type: 'AdForgeBackground',
      inputs: {
        product: ['1', 0],
        bg_prompt: 'marble',
        bg_negative_prompt: '',
        seed,
        aspect_ratio: '1:1',
        long_edge: 512,
        product_scale: 0.5,
        strength: 0.6,
        guidance_scale: 3.5,
        steps: 4,
      },
    },
    3: { class_type: 'AdForge3DText', inputs: { scene: ['2', 0], text: 'SALE', style_prompt: 'gold', negative_prompt: '', font_name: '(default)' } },
    4: {
      class_type: 'AdForgeCompose',
      inputs: { scene: ['2', 0], text_layer: ['3', 0], composition_mode: 'overlay', text_position: 'top', composition_strength: 0.4 },
    },
    9: { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: 'flood' } },
  };
}

async function main() {
  const server = await startServer();
  const { port, proc } = server;
  const product = await productPng();
  const b64 = product.toString('base64');
  const form = new globalThis.FormData();
  form.append('image', new globalThis.Blob([product]), 'bench.png');
  await fetch(`http://127.0.0.1:${port}/comfy/upload/image`, { method: 'POST', body: form });
  await sleep(1500);

  // Jobs keep running underneath every scenario: one at a time through nanoCocoa.
  let keeping = true;
  let current = null;
  let jobsDone = 0;
  const keeper = (async () => {
    while (keeping) {
      const r = await request(port, 'POST', '/generate', { product_image: b64, text_content: 'Flood 벤치', seed: jobsDone });
      if (r.status === 200) {
        current = JSON.parse(r.bytes.toString()).job_id;
        for (;;) {
          const s = JSON.parse((await request(port, 'GET', `/status/${current}?include_images=false`)).bytes.toString());
          if (!['pending', 'running'].includes(s.status)) break;
          await sleep(100);
        }
        jobsDone++;
      } else await sleep(100);
    }
  })();
  while (!current) await sleep(20);

  const results = {};
  const scenario = async (name, body) => {
    const before = mem(proc.pid);
    const stopWatch = await watchHealth(port);
    const t0 = performance.now();
    const r = await body();
    const wallMs = performance.now() - t0;
    const health = await stopWatch();
    const after = mem(proc.pid);
    results[name] = { ...r, wallMs, health, before, after };
  };

  await scenario('200 concurrent POST /generate during a job', async () => {
    const body = Buffer.from(JSON.stringify({ product_image: b64, text_content: 'flood' }));
    const calls = await pool(200, 200, () => post(port, '/generate', body));
    return { answers: stats(calls.map(([t]) => t)), codes: count(calls.map(([, s]) => s)) };
  });

  await scenario('500-prompt ComfyUI flood (concurrency 50)', async () => {
    const bodies = Array.from({ length: 500 }, (_, i) => Buffer.from(JSON.stringify({ prompt: graph(i) })));
    const calls = await pool(500, 50, (i) => post(port, '/comfy/prompt', bodies[i]));
    const r = { answers: stats(calls.map(([t]) => t)), codes: count(calls.map(([, s]) => s)) };
    await request(port, 'POST', '/comfy/queue', { clear: true });
    await request(port, 'POST', '/comfy/interrupt', {});
    return r;
  });

  await scenario(`100 closed-loop GET /status pollers during jobs (${SECONDS} s)`, async () => {
    const until = performance.now() + SECONDS * 1000;
    const lat = [];
    let errors = 0;
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          const r = await request(port, 'GET', `/status/${current}`);
          lat.push(performance.now() - t0);
          if (r.status !== 200) errors++;
        }
      }),
    );
    return { answers: stats(lat), codes: { errors }, jobsDone };
  });

  const big = {};
  for (let i = 0; i < 10_000; i++)
    big[String(i)] = { class_type: 'PreviewImage', inputs: { images: [String(i + 1), 0] }, _meta: { title: `node ${i} of a graph far past every bound` } };
  const bigBody = Buffer.from(JSON.stringify({ prompt: big }));
  await scenario(`10,000-node graphs (${Math.round(bigBody.length / 1024)} KiB each) rejected back to back`, async () => {
    const calls = await pool(40, 2, () => post(port, '/comfy/prompt', bigBody));
    return { answers: stats(calls.map(([t]) => t)), codes: count(calls.map(([, s]) => s)) };
  });

  keeping = false;
  await keeper.catch(() => undefined);
  await server.close();

  if (opt.json) return console.log(JSON.stringify({ machine: machine(), results }, null, 2));
  const f = (n) => n.toFixed(1);
  console.log(`AdForge flood benchmark — ${machine()}; a real job runs underneath each scenario`);
  console.log('| scenario | answers p50 / p99 ms | status codes | /health p50 / p99 / max ms (n) | RSS server / worker before → after MiB |');
  console.log('|---|---|---|---|---|');
  for (const [name, r] of Object.entries(results)) {
    const codes = Object.entries(r.codes)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    console.log(
      `| ${name} | ${f(r.answers.p50)} / ${f(r.answers.p99)} | ${codes} | ${f(r.health.p50)} / ${f(r.health.p99)} / ${f(r.health.max)} (${r.health.n}${r.health.failures ? `, ${r.health.failures} failed` : ''}) | ${f(r.before.serverMiB)} / ${f(r.before.workerMiB)} → ${f(r.after.serverMiB)} / ${f(r.after.workerMiB)} |`,
    );
  }
  console.log('goal: /health p99 < 50 ms while a 10,000-node graph is being rejected');
}

function count(codes) {
  const out = {};
  for (const c of codes) out[c] = (out[c] ?? 0) + 1;
  return out;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
