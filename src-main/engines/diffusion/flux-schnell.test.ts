// FLUX.1-schnell end to end on the CPU: CLIP-L (int32 ids) + T5 (int64 ids, 256 tokens), packed
// 2×2 latents, [seq,3] ids, σ timesteps, the 16-channel VAE with scale and shift, transformer
// weights as external data; low-memory load order; prompt cache; masked img2img and paste-back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoppedError } from '../../core/errors';
import type { RgbaImage } from '../../imaging/types';
import type { DiffusionEngine } from '../contracts';
import { productScene, writeFluxSchnellFolder } from '../../../test/helpers/diffusion-graphs';
import { createFluxSchnellEngine } from './flux-schnell';
import { pasteBackProduct, ringMask } from './ring-mask';

const root = mkdtempSync(join(tmpdir(), 'flux-'));
const base = { prompt: 'white marble, soft window light', negative: '', width: 64, height: 64, steps: 4, guidance: 0 };

describe('FLUX.1-schnell engine (fp32 I/O, int32 CLIP ids, int64 T5 ids, fp32 timestep [B])', () => {
  let engine: DiffusionEngine;
  const logs: string[] = [];

  beforeAll(async () => {
    writeFluxSchnellFolder(join(root, 'm'), { ioType: 'float32', timestepType: 'float32', clipIdType: 'int32', t5IdType: 'int64' });
    engine = await createFluxSchnellEngine({ modelDir: join(root, 'm'), providers: ['cpu'], log: (m) => logs.push(m), lowMemory: false });
  });
  afterAll(() => engine.release());

  it('is 1024² native and honours steps, strength and mask (no guidance input, no negative)', () => {
    expect(engine.id).toBe('flux-schnell');
    expect(engine.nativeSize).toBe(1024);
    expect([...engine.uses]).toEqual(['steps', 'strength', 'mask']);
  });

  it('4 flow-matching steps, deterministic per seed, different seeds differ', async () => {
    const seen: [number, number][] = [];
    const a = await engine.generate({ ...base, seed: 1, onStep: (s, t) => seen.push([s, t]) });
    expect(seen.map(([s]) => s)).toEqual([1, 2, 3, 4]);
    expect(seen.every(([, t]) => t === 4)).toBe(true);
    expect([a.image.width, a.image.height]).toEqual([64, 64]);
    expect(a.promptUsed).toBe(base.prompt);
    const b = await engine.generate({ ...base, seed: 1 });
    expect(b.image.data.equals(a.image.data)).toBe(true);
    const c = await engine.generate({ ...base, seed: 2 });
    expect(c.image.data.equals(a.image.data)).toBe(false);
    const d = await engine.generate({ ...base, seed: 1, prompt: 'red wood' });
    expect(d.image.data.equals(a.image.data)).toBe(false);
    // guidance_scale means nothing to schnell: same image whatever it is.
    const g = await engine.generate({ ...base, seed: 1, guidance: 3.5 });
    expect(g.image.data.equals(a.image.data)).toBe(true);
  });

  it('sizes snap to the 16-px grid and come back at the requested size', async () => {
    const r = await engine.generate({ ...base, seed: 3, steps: 1, width: 72, height: 40 });
    expect([r.image.width, r.image.height]).toEqual([72, 40]);
  });

  it('stops between steps', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    await expect(engine.generate({ ...base, seed: 4, onStep: (s) => (seen.push(s), s === 1 && ac.abort()) }, ac.signal)).rejects.toBeInstanceOf(StoppedError);
    expect(seen).toEqual([1]);
  });

  it('masked img2img repaints the ring; paste-back keeps the product exactly', async () => {
    const { init, mask } = productScene();
    const ring = ringMask(mask, { outer: 12, inner: 2, feather: 3 });
    const seen: number[] = [];
    const out = await engine.generate({ ...base, seed: 5, init, mask: ring, strength: 0.6, onStep: (s) => seen.push(s) });
    expect(seen).toEqual([1, 2, 3]); // FluxImg2Img: 4·0.6 = 2.4 → start at index 1
    const final = pasteBackProduct(out.image, init, mask, { inner: 2, feather: 3 });
    const px = (img: RgbaImage, p: number) => img.data.subarray(p * 4, p * 4 + 4);
    let changed = 0;
    for (let p = 0; p < 64 * 64; p++) {
      if (ring.data[p] === 0) expect(px(final, p).equals(px(init, p))).toBe(true);
      else if (ring.data[p] === 255 && !px(final, p).equals(px(init, p))) changed++;
    }
    expect(changed).toBeGreaterThan(ring.data.filter((v) => v === 255).length * 0.5);
  });
});

describe('FLUX.1-schnell low-memory loading and other exports', () => {
  it('runs and releases the encoders before the transformer loads; a repeated prompt skips them', async () => {
    const dir = join(root, 'low');
    writeFluxSchnellFolder(dir, { ioType: 'float32', timestepType: 'float32', clipIdType: 'int32', t5IdType: 'int64' });
    const logs: string[] = [];
    const engine = await createFluxSchnellEngine({ modelDir: dir, providers: ['cpu'], lowMemory: true, log: (m) => logs.push(m) });
    const first = await engine.generate({ ...base, seed: 9, steps: 2 });
    expect(logs[0]).toMatch(/low-memory loading/);
    const order = logs.filter((l) => /^flux-schnell: (loaded|released) /.test(l)).map((l) => l.replace('flux-schnell: ', '').replace(' on cpu', ''));
    expect(order).toEqual([
      'loaded text_encoder',
      'released text_encoder',
      'loaded text_encoder_2',
      'released text_encoder_2',
      'loaded transformer',
      'released transformer',
      'loaded vae_decoder',
      'released vae_decoder',
    ]);
    logs.length = 0;
    const second = await engine.generate({ ...base, seed: 9, steps: 2 });
    expect(second.image.data.equals(first.image.data)).toBe(true);
    expect(logs.filter((l) => l.includes('text_encoder'))).toEqual([]);
    // Same result as the resident mode.
    const resident = await createFluxSchnellEngine({ modelDir: dir, providers: ['cpu'], lowMemory: false });
    expect((await resident.generate({ ...base, seed: 9, steps: 2 })).image.data.equals(first.image.data)).toBe(true);
    await resident.release();
    await engine.release();
  });

  it('fp16 I/O, fp16 timestep, [B,seq,3] ids, static T5 window of 256 and int32 T5 ids', async () => {
    const dir = join(root, 'fp16');
    writeFluxSchnellFolder(dir, {
      ioType: 'float16',
      timestepType: 'float16',
      clipIdType: 'int32',
      t5IdType: 'int32',
      t5Seq: 256,
      idsRank: 3,
      vaeEncoder: false,
    });
    const engine = await createFluxSchnellEngine({ modelDir: dir, providers: ['cpu'] });
    expect([...engine.uses]).toEqual(['steps']);
    const a = await engine.generate({ ...base, seed: 1, prompt: '따뜻한 햇살, 흰 대리석' });
    expect(a.promptUsed).toBe('warm sunlight, white marble');
    const b = await engine.generate({ ...base, seed: 1, prompt: 'warm sunlight, white marble' });
    expect(b.image.data.equals(a.image.data)).toBe(true);
    await engine.release();
  });
});
