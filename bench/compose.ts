// Step 3 benchmark: a warm rerun of the composition step at 1024×1024 (the budget is
// ≤ 300 ms) for every mode × position, on a real step-1 scene and step-2 layer, plus the split
// between placement and compositing. Usage (after bundling with esbuild):
//   npx esbuild bench/compose.ts --bundle --platform=node --format=esm --packages=external --outfile=dist/bench-compose.mjs
//   node dist/bench-compose.mjs [runs=7]
import path from 'node:path';
import { proceduralBackgroundEngine } from '../src-main/engines/procedural/backdrop';
import { DEFAULT_FONT } from '../src-main/engines/typography/fonts';
import type { CompositionMode, TextPosition } from '../src-main/core/params';
import { layerLuma } from '../src-main/imaging/layer';
import { placeText } from '../src-main/pipeline/layout';
import { runStep1 } from '../src-main/pipeline/step1-background';
import { runStep2 } from '../src-main/pipeline/step2-text';
import { runStep3 } from '../src-main/pipeline/step3-compose';
import type { RgbaImage } from '../src-main/imaging/types';
import type { StepContext } from '../src-main/pipeline/types';

const runs = Number(process.argv[2] ?? 7);
const ctx: StepContext = { signal: new AbortController().signal, progress: () => {}, seed: 3, log: () => {} };
const SIZE = 1024;

/** A plain upright "product" (rounded slab) so step 1 places and shadows something real. */
function product(w: number, h: number): RgbaImage {
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 4;
      const inside = Math.abs(x - w / 2) < w / 2 - (y < h * 0.2 ? w * 0.3 : 0);
      if (!inside) continue;
      data[p] = 40 + (x * 120) / w;
      data[p + 1] = 120;
      data[p + 2] = 90;
      data[p + 3] = 255;
    }
  return { width: w, height: h, data };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

const cut = product(300, 700);
const s1 = await runStep1(
  {
    cutout: { image: cut, box: { x: 0, y: 0, width: 300, height: 700 }, engine: 'bench' },
    width: SIZE,
    height: SIZE,
    prompt: 'white marble',
    negative: '',
    productScale: 0.55,
    strength: 0.6,
  },
  proceduralBackgroundEngine,
  ctx,
);
const s2 = await runStep2(
  {
    text: 'SUMMER SALE 여름 세일',
    fontPath: path.resolve('fonts', DEFAULT_FONT),
    stylePrompt: 'gold metallic 3D text',
    negativePrompt: '',
    width: SIZE,
    height: SIZE,
    scene: s1.scene,
    seed: 3,
  },
  ctx,
);
console.log(`scene ${SIZE}², text layer ${s2.image.width}×${s2.image.height} (${s2.material}), ${runs} warm runs each, median ms`);

const cases: [CompositionMode, TextPosition][] = [
  ['overlay', 'top'],
  ['overlay', 'auto'],
  ['blend', 'auto'],
  ['behind', 'center'],
];
for (const [mode, position] of cases) {
  const input = { background: s1.image, textLayer: s2.image, productMask: s1.mask, scene: s1.scene, mode, position, box: null, strength: 0.4 };
  await runStep3(input, ctx); // warm-up
  const total: number[] = [],
    place: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    placeText({
      canvas: { width: SIZE, height: SIZE },
      layer: s2.image,
      position,
      box: null,
      productMask: s1.mask,
      background: s1.image,
      layerLuma: layerLuma(s2.image),
      avoidProduct: mode !== 'behind',
    });
    place.push(performance.now() - t);
    t = performance.now();
    await runStep3(input, ctx);
    total.push(performance.now() - t);
  }
  console.log(`${mode.padEnd(8)} ${position.padEnd(7)} step3 ${median(total).toFixed(1).padStart(6)} ms   (placement alone ${median(place).toFixed(1)} ms)`);
}
const rot = {
  background: s1.image,
  textLayer: s2.image,
  productMask: s1.mask,
  scene: s1.scene,
  mode: 'overlay' as const,
  position: 'top' as const,
  box: { x: 100, y: 100, width: 800, height: 300, rotation: 15 },
  strength: 0.4,
};
await runStep3(rot, ctx);
const t: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  await runStep3(rot, ctx);
  t.push(performance.now() - t0);
}
console.log(`overlay  box+15°  step3 ${median(t).toFixed(1).padStart(6)} ms`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
