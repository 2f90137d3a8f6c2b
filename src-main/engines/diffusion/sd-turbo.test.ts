// SD-Turbo end to end on the CPU through the real loading code: lock file and manifest checked,
// sessions (UNet weights as external data), tokenizer from the folder, Euler-ancestral, VAE
// scaling, masked img2img over a product ring and the exact paste-back.
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoppedError } from '../../core/errors';
import type { RgbaImage } from '../../imaging/types';
import type { DiffusionEngine } from '../contracts';
import { productScene, writeSdTurboFolder } from '../../../test/helpers/diffusion-graphs';
import { DiffusionMemoryError } from './errors';
import { pasteBackProduct, ringMask } from './ring-mask';
import { createSdTurboEngine } from './sd-turbo';

const root = mkdtempSync(join(tmpdir(), 'sd-turbo-'));
const providers = ['cpu'];

function differingPixels(a: RgbaImage, b: RgbaImage): number {
  let n = 0;
  for (let i = 0; i < a.width * a.height; i++)
    if (a.data[i * 4] !== b.data[i * 4] || a.data[i * 4 + 1] !== b.data[i * 4 + 1] || a.data[i * 4 + 2] !== b.data[i * 4 + 2]) n++;
  return n;
}

const base = { prompt: 'white marble, soft window light', negative: '', width: 64, height: 64, steps: 4, guidance: 0 };

describe('SD-Turbo engine (fp32 I/O, int32 ids, int64 timestep [1], UNet weights in model.onnx_data)', () => {
  const dir = join(root, 'sd-turbo');
  let engine: DiffusionEngine;

  beforeAll(async () => {
    writeSdTurboFolder(dir, { ioType: 'float32', idType: 'int32', timestep: { type: 'int64', shape: [1] } });
    engine = await createSdTurboEngine({ modelDir: dir, providers });
  });
  afterAll(() => engine.release());

  it('describes itself: 512² native, honours steps, guidance, negative, strength and mask', () => {
    expect(engine.id).toBe('sd-turbo');
    expect(engine.nativeSize).toBe(512);
    expect([...engine.uses]).toEqual(['steps', 'guidance', 'negative', 'strength', 'mask']);
    expect(existsSync(join(dir, 'unet', 'model.onnx_data'))).toBe(true);
  });

  it('same seed → same image on the same provider; another seed → another image; progress per step', async () => {
    const steps: [number, number][] = [];
    const a = await engine.generate({ ...base, seed: 1, onStep: (s, t) => steps.push([s, t]) });
    expect(engine.provider).toBe('cpu');
    expect(steps).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    expect(a.image.width).toBe(64);
    expect(a.image.height).toBe(64);
    expect(a.promptUsed).toBe('white marble, soft window light');
    const again = await engine.generate({ ...base, seed: 1 });
    expect(again.image.data.equals(a.image.data)).toBe(true);
    const other = await engine.generate({ ...base, seed: 2 });
    expect(differingPixels(other.image, a.image)).toBeGreaterThan(64 * 64 * 0.5);
    const prompt = await engine.generate({ ...base, seed: 1, prompt: 'red wood' });
    expect(prompt.image.data.equals(a.image.data)).toBe(false);
  });

  it('num_inference_steps is the number of denoising steps (1 step = single σ=14.6146 step)', async () => {
    const seen: number[] = [];
    await engine.generate({ ...base, seed: 3, steps: 1, onStep: (s) => seen.push(s) });
    expect(seen).toEqual([1]);
    await expect(engine.generate({ ...base, seed: 3, steps: 0 })).rejects.toThrow(/1\.\.50/);
  });

  it('guidance > 1 runs classifier-free guidance with the negative prompt', async () => {
    const plain = await engine.generate({ ...base, seed: 4, steps: 2 });
    const cfg = await engine.generate({ ...base, seed: 4, steps: 2, guidance: 3, negative: 'red' });
    expect(cfg.image.data.equals(plain.image.data)).toBe(false);
  });

  it('translates Korean prompts through the glossary and returns the prompt actually used', async () => {
    const ko = await engine.generate({ ...base, seed: 5, prompt: '흰 대리석, 부드러운 창문 빛' });
    expect(ko.promptUsed).toBe('white marble, soft window light');
    const en = await engine.generate({ ...base, seed: 5 });
    expect(ko.image.data.equals(en.image.data)).toBe(true);
  });

  it('stops between steps when the signal fires', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    const run = engine.generate({ ...base, seed: 6, onStep: (s) => (seen.push(s), s === 2 && ac.abort()) }, ac.signal);
    await expect(run).rejects.toBeInstanceOf(StoppedError);
    expect(seen).toEqual([1, 2]);
  });

  it('repaints a ring around the product (masked img2img) and the paste-back restores the product exactly', async () => {
    const { init, mask } = productScene();
    const ring = ringMask(mask, { outer: 10, inner: 2, feather: 2 });
    const seen: number[] = [];
    const out = await engine.generate({ ...base, seed: 7, init, mask: ring, strength: 0.75, onStep: (s) => seen.push(s) });
    expect(seen).toEqual([1, 2, 3]); // ⌊4 · 0.75⌋ steps
    const final = pasteBackProduct(out.image, init, mask, { inner: 2, feather: 2 });
    let ringChanged = 0;
    for (let p = 0; p < 64 * 64; p++) {
      const px = (img: RgbaImage) => img.data.subarray(p * 4, p * 4 + 4);
      // Outside the ring (and inside the eroded product) the init survives byte for byte.
      if (ring.data[p] === 0) expect(px(final).equals(px(init))).toBe(true);
      if (ring.data[p] === 255 && !px(final).equals(px(init))) ringChanged++;
    }
    const ringPixels = ring.data.filter((v) => v === 255).length;
    expect(ringChanged).toBeGreaterThan(ringPixels * 0.5);
    const again = await engine.generate({ ...base, seed: 7, init, mask: ring, strength: 0.75 });
    expect(again.image.data.equals(out.image.data)).toBe(true);
  });

  it('runs at a size off the 8-px grid and returns the requested size', async () => {
    const r = await engine.generate({ ...base, seed: 8, steps: 1, width: 70, height: 60 });
    expect([r.image.width, r.image.height]).toEqual([70, 60]);
  });

  it('release() frees the sessions; the next job loads them again', async () => {
    const before = await engine.generate({ ...base, seed: 9, steps: 1 });
    await engine.release();
    const after = await engine.generate({ ...base, seed: 9, steps: 1 });
    expect(after.image.data.equals(before.image.data)).toBe(true);
  });
});

describe('SD-Turbo export variants and broken folders', () => {
  it('int64 ids, fp32 scalar timestep, static 77-token encoder, tokenizer from vocab.json + merges.txt, no vae_encoder', async () => {
    const dir = join(root, 'variant');
    writeSdTurboFolder(dir, {
      ioType: 'float32',
      idType: 'int64',
      timestep: { type: 'float32', shape: [] },
      seq: 77,
      tokenizer: { format: 'vocab+merges', pad: '!' },
      vaeEncoder: false,
    });
    const engine = await createSdTurboEngine({ modelDir: dir, providers });
    expect([...engine.uses]).toEqual(['steps', 'guidance', 'negative']);
    const r = await engine.generate({ ...base, seed: 1, steps: 2 });
    expect(r.image.width).toBe(64);
    const { init, mask } = productScene();
    await expect(engine.generate({ ...base, seed: 1, init, mask })).rejects.toThrow(/vae_encoder/);
    await engine.release();
  });

  it('an ORT allocation failure becomes DiffusionMemoryError saying what to lower', async () => {
    const dir = join(root, 'oom');
    writeSdTurboFolder(dir, { ioType: 'float32', idType: 'int32', timestep: { type: 'int64', shape: [1] }, oomUnet: true });
    const engine = await createSdTurboEngine({ modelDir: dir, providers });
    const err = await engine.generate({ ...base, seed: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiffusionMemoryError);
    expect((err as Error).message).toMatch(/out of .*memory in unet on cpu at 64×64: lower the image size/);
    expect((err as DiffusionMemoryError).cause).toBeInstanceOf(Error);
    await engine.release();
  });

  it('refuses a folder whose lock file disagrees with the files, or whose manifest is another pipeline', async () => {
    const dir = join(root, 'cut');
    writeSdTurboFolder(dir, { ioType: 'float32', idType: 'int32', timestep: { type: 'int64', shape: [1] } });
    truncateSync(join(dir, 'unet', 'model.onnx_data'), 10);
    await expect(createSdTurboEngine({ modelDir: dir, providers })).rejects.toThrow(/incomplete \(unet\/model\.onnx_data is 10 bytes, the lock says \d+\)/);
    rmSync(join(dir, 'adforge-lock.json'));
    writeFileSync(join(dir, 'model_index.json'), JSON.stringify({ _class_name: 'FluxPipeline' }));
    await expect(createSdTurboEngine({ modelDir: dir, providers })).rejects.toThrow(/FluxPipeline, not a SD pipeline/);
    await expect(createSdTurboEngine({ modelDir: join(root, 'nowhere'), providers })).rejects.toThrow(/does not exist/);
  });
});
