// A diffusion engine behind the BackgroundEngine contract: native pixel count with the ad's aspect,
// resized to the ad size, scene read from the picture, prompt used and ignored parameters reported.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiffusionEngine } from '../contracts';
import { writeFluxSchnellFolder, writeSdTurboFolder } from '../../../test/helpers/diffusion-graphs';
import { createDiffusionBackgroundEngine, generationSize, ignoredParameters } from './background-engine';
import { createFluxSchnellEngine } from './flux-schnell';
import { sceneFromGenerated } from './scene-from-image';
import { createSdTurboEngine } from './sd-turbo';

const root = mkdtempSync(join(tmpdir(), 'diffusion-bg-'));

describe('generationSize', () => {
  it('keeps about nativeSize² pixels with the target aspect, sides on the 16-px grid', () => {
    expect(generationSize(512, 1080, 1080)).toEqual({ width: 512, height: 512 });
    expect(generationSize(512, 1080, 1350)).toEqual({ width: 464, height: 576 });
    expect(generationSize(1024, 1920, 1080)).toEqual({ width: 1360, height: 768 });
    const s = generationSize(512, 1080, 1920);
    expect(s.width % 16).toBe(0);
    expect(s.height % 16).toBe(0);
  });
});

describe('diffusion background engine', () => {
  let sd: DiffusionEngine;
  let flux: DiffusionEngine;

  beforeAll(async () => {
    writeSdTurboFolder(join(root, 'sd'), { ioType: 'float32', idType: 'int32', timestep: { type: 'int64', shape: [1] } });
    writeFluxSchnellFolder(join(root, 'flux'), { ioType: 'float32', timestepType: 'float32', clipIdType: 'int32', t5IdType: 'int64', vaeEncoder: false });
    sd = await createSdTurboEngine({ modelDir: join(root, 'sd'), providers: ['cpu'], nativeSize: 64 });
    flux = await createFluxSchnellEngine({ modelDir: join(root, 'flux'), providers: ['cpu'], nativeSize: 64 });
  });
  afterAll(async () => {
    await sd.release();
    await flux.release();
  });

  it('renders at the ad size from a Korean prompt, with the prompt used, the words understood and per-step progress', async () => {
    const bg = createDiffusionBackgroundEngine(sd);
    const progress: [number, string | undefined][] = [];
    const r = await bg.render({
      width: 150,
      height: 100,
      prompt: '향수병과 흰 대리석, 부드러운 창문 빛',
      negative: 'blurry',
      seed: 3,
      productColors: [],
      steps: 2,
      maxGroundY: 70,
      progress: (f, m) => progress.push([f, m]),
    });
    expect([r.image.width, r.image.height]).toEqual([150, 100]);
    expect(r.image.data.length).toBe(150 * 100 * 4);
    expect(r.promptUsed).toBe('white marble, soft window light');
    expect(r.understood).toEqual(['흰', '대리석', '부드러운', '창문', '빛']);
    expect(r.ignored).toEqual(['negative_prompt (needs guidance_scale > 1)', 'prompt words not in the glossary: 향수병']);
    expect(progress).toEqual([
      [0.5, 'denoising step 1/2'],
      [1, 'denoising step 2/2'],
    ]);
    expect(r.scene.width).toBe(150);
    expect(r.scene.look).toBe('sd-turbo');
    expect(r.scene.groundY).toBeLessThanOrEqual(70);
    expect(r.scene.palette.length).toBeGreaterThan(0);
    expect(Math.hypot(r.scene.lightDir.x, r.scene.lightDir.y)).toBeCloseTo(1, 5);
    expect(bg.provider).toBe('cpu');
    const again = await bg.render({ width: 150, height: 100, prompt: '흰 대리석, 부드러운 창문 빛', negative: 'blurry', seed: 3, productColors: [], steps: 2 });
    expect(again.image.data.equals(r.image.data)).toBe(true);
  });

  it('FLUX-schnell reports guidance_scale and negative_prompt as ignored', async () => {
    const bg = createDiffusionBackgroundEngine(flux);
    const r = await bg.render({ width: 96, height: 96, prompt: 'warm sunset beach', negative: 'text', seed: 1, productColors: [], guidance: 3.5 });
    expect(r.ignored).toEqual([
      'guidance_scale (flux-schnell is guidance-distilled: no guidance input)',
      'negative_prompt (flux-schnell has no negative conditioning)',
    ]);
    expect(r.promptUsed).toBe('warm sunset beach');
    expect(ignoredParameters(sd, { guidance: 7, negative: 'text' })).toEqual([]);
  });
});

describe('sceneFromGenerated', () => {
  it('puts the light on the bright side and takes its colour from the brightest pixels', () => {
    const w = 80;
    const h = 60;
    const data = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        // Bright warm upper right, dark lower left.
        const v = Math.round(255 * (x / w) * (1 - y / h));
        data.set([v, Math.round(v * 0.85), Math.round(v * 0.6), 255], (y * w + x) * 4);
      }
    const s = sceneFromGenerated({ width: w, height: h, data }, 'test');
    expect(s.lightDir.x).toBeLessThan(0); // light travels from the right…
    expect(s.lightDir.y).toBeGreaterThan(0); // …and from the top, down the frame
    expect(s.lightColor[0]).toBe(1);
    expect(s.lightColor[2]).toBeLessThan(0.7);
    const flat = sceneFromGenerated({ width: 4, height: 4, data: Buffer.alloc(64, 128) }, 'flat', 2);
    expect(flat.groundY).toBe(2);
  });
});
