// SDXL-Turbo end to end on the CPU: fp16 I/O everywhere (fp16 timestep [1], webnn-style), int32 ids
// for text_encoder and int64 for text_encoder_2, hidden_states.* outputs, pooled text_embeds,
// time_ids, the encoder_2 table as external data, masked img2img and paste-back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../imaging/types';
import type { DiffusionEngine } from '../contracts';
import { productScene, writeSdxlTurboFolder } from '../../../test/helpers/diffusion-graphs';
import { pasteBackProduct, ringMask } from './ring-mask';
import { createSdxlTurboEngine } from './sdxl-turbo';

const root = mkdtempSync(join(tmpdir(), 'sdxl-turbo-'));
const base = { prompt: 'a photo of warm sunset beach', negative: '', width: 64, height: 64, steps: 4, guidance: 0 };

describe('SDXL-Turbo engine (fp16 I/O, int32 + int64 ids, fp16 timestep)', () => {
  let engine: DiffusionEngine;
  const logs: string[] = [];

  beforeAll(async () => {
    writeSdxlTurboFolder(join(root, 'm'), { ioType: 'float16', idType: 'int32', idType2: 'int64', timestep: { type: 'float16', shape: [1] } });
    engine = await createSdxlTurboEngine({ modelDir: join(root, 'm'), providers: ['cpu'], log: (m) => logs.push(m) });
  });
  afterAll(() => engine.release());

  it('generates deterministically per seed with one progress call per step', async () => {
    const seen: number[] = [];
    const a = await engine.generate({ ...base, seed: 11, onStep: (s) => seen.push(s) });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(engine.nativeSize).toBe(512);
    expect(logs).toEqual(
      expect.arrayContaining(['sdxl-turbo: loaded text_encoder on cpu', 'sdxl-turbo: loaded text_encoder_2 on cpu', 'sdxl-turbo: loaded unet on cpu']),
    );
    const b = await engine.generate({ ...base, seed: 11 });
    expect(b.image.data.equals(a.image.data)).toBe(true);
    const c = await engine.generate({ ...base, seed: 12 });
    expect(c.image.data.equals(a.image.data)).toBe(false);
    // The picture is not degenerate: fp16 round trips kept real values (no NaN, not one flat colour).
    const reds = new Set<number>();
    for (let i = 0; i < a.image.data.length; i += 4) reds.add(a.image.data[i]);
    expect(reds.size).toBeGreaterThan(10);
  });

  it('CFG with an empty negative uses zero embeddings (force_zeros_for_empty_prompt) and changes the image', async () => {
    const plain = await engine.generate({ ...base, seed: 13, steps: 2 });
    const guided = await engine.generate({ ...base, seed: 13, steps: 2, guidance: 2 });
    expect(guided.image.data.equals(plain.image.data)).toBe(false);
    const negative = await engine.generate({ ...base, seed: 13, steps: 2, guidance: 2, negative: 'red wood' });
    expect(negative.image.data.equals(guided.image.data)).toBe(false);
  });

  it('truncates a long prompt to the encoders’ 77 tokens and says so in promptUsed', async () => {
    const long = Array.from({ length: 90 }, () => 'marble').join(' ');
    const r = await engine.generate({ ...base, seed: 1, steps: 1, prompt: long });
    expect(r.promptUsed.split(' ')).toHaveLength(75);
  });

  it('repaints the ring and keeps the product exactly after paste-back', async () => {
    const { init, mask } = productScene();
    const ring = ringMask(mask, { outer: 12, inner: 3, feather: 3 });
    const out = await engine.generate({ ...base, seed: 14, init, mask: ring, strength: 1 });
    const final = pasteBackProduct(out.image, init, mask, { inner: 3, feather: 3 });
    let changed = 0;
    const px = (img: RgbaImage, p: number) => img.data.subarray(p * 4, p * 4 + 4);
    for (let p = 0; p < 64 * 64; p++) {
      if (ring.data[p] === 0) expect(px(final, p).equals(px(init, p))).toBe(true);
      else if (ring.data[p] === 255 && !px(final, p).equals(px(init, p))) changed++;
    }
    expect(changed).toBeGreaterThan(ring.data.filter((v) => v === 255).length * 0.5);
  });
});
