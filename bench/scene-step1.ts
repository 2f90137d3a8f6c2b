// Benchmark of the scene half of step 1 at 1024² on this machine: the procedural backdrop per look
// (budget ≈ 300 ms) and runStep1 with a product (backdrop + placement + shadows + harmonization).
// Run: npx esbuild bench/scene-step1.ts --bundle --platform=node --format=esm --packages=external \
//        --outfile=node_modules/.cache/bench/scene-step1.mjs && node node_modules/.cache/bench/scene-step1.mjs
import { LOOK_IDS, proceduralBackgroundEngine, renderBackdrop } from '../src-main/engines/procedural/backdrop';
import { drawSampleBottle } from '../test/helpers/sample-product';
import { runStep1 } from '../src-main/pipeline/step1-background';

const S = Number(process.env.SIZE ?? 1024);
const RUNS = Number(process.env.RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  await fn(); // warm-up (JIT)
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

const rows: string[] = [];
for (const look of LOOK_IDS) {
  const prompt = look === 'nightcity' ? 'night city' : look;
  const t = await time(() => renderBackdrop({ width: S, height: S, prompt, negative: '', seed: 1, productColors: [[196, 32, 44]] }));
  rows.push(`backdrop ${look.padEnd(10)} wall ${t.wall.toFixed(0).padStart(4)} ms  cpu ${t.cpu.toFixed(0).padStart(4)} ms`);
}
const cutout = drawSampleBottle(900);
const ctx = { signal: new AbortController().signal, progress: () => {}, seed: 1, log: () => {} };
for (const prompt of ['studio', 'marble', 'night city']) {
  const t = await time(() =>
    runStep1({ cutout, width: S, height: S, prompt, negative: '', productScale: 0.55, strength: 0.6 }, proceduralBackgroundEngine, ctx),
  );
  rows.push(`runStep1 ${prompt.padEnd(10)} wall ${t.wall.toFixed(0).padStart(4)} ms  cpu ${t.cpu.toFixed(0).padStart(4)} ms`);
}
console.log(`scene bench ${S}x${S}, median of ${RUNS} warm runs, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(rows.join('\n'));
