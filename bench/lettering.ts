// Step 2 benchmark and contact sheet: times the text step at 1024x1024 (warm) for every material
// and writes a sheet of all materials with Korean and Latin headlines over light and dark studio
// backdrops, to judge the look. Usage (after bundling with esbuild):
//   node dist/bench-lettering.mjs [outDir=/tmp/lettering]
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_FONT } from '../src-main/engines/typography/fonts';
import { MATERIAL_IDS } from '../src-main/engines/procedural/lettering';
import { runStep2 } from '../src-main/pipeline/step2-text';
import type { StepContext } from '../src-main/pipeline/types';

const outDir = process.argv[2] ?? '/tmp/lettering';
mkdirSync(outDir, { recursive: true });
const fontPath = path.resolve('fonts', DEFAULT_FONT);
const ctx: StepContext = { signal: new AbortController().signal, progress: () => {}, seed: 7, log: () => {} };

const PROMPTS: Record<string, string> = {
  gold: 'gold metallic 3D text with glossy bevel, studio lighting',
  'rose-gold': 'rose gold luxury lettering',
  silver: '은색 금속 글자',
  chrome: 'retro chrome 3D text',
  neon: 'pink neon glow sign',
  wood: '나무 질감의 입체 글자',
  stone: 'carved stone letters, granite',
  marble: '대리석 3D 타이포',
  plastic: 'glossy blue plastic toy letters',
  glass: '투명한 유리 글자',
  candy: 'candy cane stripes, sweet',
};
const HEADLINES = ['SUMMER SALE 50%', '여름 한정 특가 세일'];

async function main() {
  const timings: { material: string; ms: number; cpuMs: number }[] = [];
  const tiles: { input: Buffer; left: number; top: number }[] = [];
  const tileW = 1024,
    tileH = 300;
  // Warm-up: first call registers the font and JITs the pixel loops.
  await runStep2({ text: 'WARM UP', fontPath, stylePrompt: 'gold', negativePrompt: '', width: 1024, height: 1024, scene: null, seed: 1 }, ctx);
  let row = 0;
  for (const material of MATERIAL_IDS) {
    for (let k = 0; k < HEADLINES.length; k++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = await runStep2(
        {
          text: HEADLINES[k],
          fontPath,
          stylePrompt: PROMPTS[material],
          negativePrompt: 'blurry, low quality',
          width: 1024,
          height: 1024,
          scene: null,
          seed: 7,
        },
        ctx,
      );
      const cpu = process.cpuUsage(c0);
      timings.push({ material: `${r.material}/${k === 0 ? 'latin' : 'korean'}`, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 });
      const png = await sharp(r.image.data, { raw: { width: r.image.width, height: r.image.height, channels: 4 } })
        .png()
        .toBuffer();
      const fitted = await sharp(png)
        .resize(tileW - 24, tileH - 24, { fit: 'inside' })
        .png()
        .toBuffer();
      tiles.push({ input: fitted, left: k * tileW + 12, top: row * tileH + 12 });
    }
    row++;
  }
  const sheetW = tileW * 2,
    sheetH = tileH * row;
  // Light studio backdrop on the left column, dark on the right: both must read.
  const bg = Buffer.alloc(sheetW * sheetH * 3);
  for (let y = 0; y < sheetH; y++) {
    for (let x = 0; x < sheetW; x++) {
      const p = (y * sheetW + x) * 3;
      const light = x < tileW;
      const v = light ? 226 - ((y % tileH) / tileH) * 30 : 40 + ((y % tileH) / tileH) * 22;
      bg[p] = v + (light ? 6 : 0);
      bg[p + 1] = v + (light ? 2 : 4);
      bg[p + 2] = v - (light ? 6 : -10);
    }
  }
  await sharp(bg, { raw: { width: sheetW, height: sheetH, channels: 3 } })
    .composite(tiles)
    .png()
    .toFile(path.join(outDir, 'materials-sheet.png'));
  // CPU time is reported beside wall time: on a shared 2-core machine wall time mostly measures the neighbours.
  const stats = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return `median ${s[s.length >> 1].toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`;
  };
  for (const t of timings) console.log(`${t.material.padEnd(22)} wall ${t.ms.toFixed(0).padStart(5)} ms  cpu ${t.cpuMs.toFixed(0).padStart(5)} ms`);
  console.log(`step2 1024x1024 warm (n=${timings.length}): wall ${stats(timings.map((t) => t.ms))}; cpu ${stats(timings.map((t) => t.cpuMs))}`);
  console.log(`sheet: ${path.join(outDir, 'materials-sheet.png')}`);
}

await main();
