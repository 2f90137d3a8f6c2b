// The product cut-out end to end through a real ONNX session: a small graph with IS-Net's tensor
// signature that "segments" red things (so the expected matte is known), then refinement, trimming
// and edge decontamination; plus the input-alpha and nothing-found paths.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv1x1Model } from '../../test/helpers/onnx-graph';
import type { Segmenter } from '../engines/contracts';
import { createIsnetSegmenter } from '../engines/segment/isnet';
import { productBounds, cutOutProduct, hasMeaningfulAlpha } from './cutout';
import type { RgbaImage } from '../imaging/types';

const RED = [220, 30, 40];
const GREEN = [30, 200, 60];

/** A red disc with a 2 px anti-aliased rim over green, composited exactly (I = αF + (1−α)B). */
function discPhoto(w = 400, h = 300, cx = 250, cy = 140, r = 60): RgbaImage {
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const a = Math.min(1, Math.max(0, (r - Math.hypot(x - cx, y - cy)) / 2 + 0.5));
      const o = (y * w + x) * 4;
      for (let c = 0; c < 3; c++) data[o + c] = Math.round(a * RED[c] + (1 - a) * GREEN[c]);
      data[o + 3] = 255;
    }
  return { width: w, height: h, data };
}

let segmenter: Segmenter;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutout-'));
  const modelPath = join(dir, 'red-detector.onnx');
  // logit = 16·((R−128) − (G−128))/256: red → +12, green → −11; Sigmoid inside like IS-Net.
  writeFileSync(modelPath, conv1x1Model({ input: 'input', output: 'output', size: 1024, weights: [16, -16, 0], bias: 0, sigmoid: true }));
  segmenter = await createIsnetSegmenter({ cacheDir: dir, modelPath, providers: ['cpu'] });
});

describe('cutOutProduct', () => {
  it('segments, trims to the product with a small padding, and removes the green fringe', async () => {
    const photo = discPhoto();
    const cut = await cutOutProduct(photo, false, segmenter);
    expect(cut.engine).toBe('isnet-medium');
    // Disc spans x 190..310, y 80..200; padding is small (≥ 2 px, ~1%).
    expect(cut.box.x).toBeGreaterThanOrEqual(183);
    expect(cut.box.x).toBeLessThanOrEqual(190);
    expect(cut.box.y).toBeGreaterThanOrEqual(73);
    expect(cut.box.y).toBeLessThanOrEqual(80);
    expect(cut.box.x + cut.box.width).toBeGreaterThanOrEqual(310);
    expect(cut.box.x + cut.box.width).toBeLessThanOrEqual(317);
    expect([cut.image.width, cut.image.height]).toEqual([cut.box.width, cut.box.height]);
    const px = (x: number, y: number) => [
      ...cut.image.data.subarray(((y - cut.box.y) * cut.box.width + (x - cut.box.x)) * 4, ((y - cut.box.y) * cut.box.width + (x - cut.box.x)) * 4 + 4),
    ];
    // Centre: opaque and exactly the photo's colour.
    expect(px(250, 140)).toEqual([...RED, 255]);
    // Corner of the box: transparent.
    expect(px(cut.box.x + 1, cut.box.y + 1)[3]).toBe(0);
    // Every soft edge pixel is decontaminated: its colour is much closer to red than the photo's.
    let edgePixels = 0;
    for (let y = cut.box.y; y < cut.box.y + cut.box.height; y++)
      for (let x = cut.box.x; x < cut.box.x + cut.box.width; x++) {
        const [r, g, b, a] = px(x, y);
        if (a < 30 || a > 225) continue;
        edgePixels++;
        const o = (y * photo.width + x) * 4;
        const before = Math.hypot(photo.data[o] - RED[0], photo.data[o + 1] - RED[1], photo.data[o + 2] - RED[2]);
        const after = Math.hypot(r - RED[0], g - RED[1], b - RED[2]);
        expect(after).toBeLessThan(before * 0.5 + 6);
      }
    expect(edgePixels).toBeGreaterThan(100);
  });

  it('falls back to the whole photo when nothing is found, and says so', async () => {
    const green = discPhoto(200, 150, -1000, -1000, 1);
    const cut = await cutOutProduct(green, false, segmenter);
    expect(cut.engine).toBe('isnet-medium:no-product-found:whole-image');
    expect(cut.box).toEqual({ x: 0, y: 0, width: 200, height: 150 });
    for (let i = 3; i < cut.image.data.length; i += 4) expect(cut.image.data[i]).toBe(255);
  });

  it('keeps an input alpha that describes a cut-out, trims to it, and bleeds colour under alpha 0', async () => {
    const w = 120;
    const h = 80;
    const data = Buffer.alloc(w * h * 4); // transparent black everywhere
    for (let y = 20; y < 60; y++) for (let x = 30; x < 90; x++) data.set([10, 90, 200, x === 30 ? 128 : 255], (y * w + x) * 4);
    const photo = { width: w, height: h, data };
    expect(hasMeaningfulAlpha(photo)).toBe(true);
    const cut = await cutOutProduct(photo, true, segmenter);
    expect(cut.engine).toBe('input-alpha');
    expect(cut.box).toEqual({ x: 30, y: 20, width: 60, height: 40 });
    expect([...cut.image.data.subarray(0, 4)]).toEqual([10, 90, 200, 128]);
    expect([...cut.image.data.subarray(4, 8)]).toEqual([10, 90, 200, 255]);
  });

  it('segments a PNG whose alpha channel is fully opaque', async () => {
    const cut = await cutOutProduct(discPhoto(), true, segmenter);
    expect(cut.engine).toBe('isnet-medium');
    expect(cut.box.width).toBeLessThan(140);
  });

  it('stops when the job is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(cutOutProduct(discPhoto(), false, segmenter, ac.signal)).rejects.toThrow('Stopped by user');
  });
});

describe('productBounds', () => {
  it('finds the box of alpha above the threshold, padded and clamped to the image', () => {
    const data = Buffer.alloc(50 * 40);
    data[10 * 50 + 12] = 200;
    data[30 * 50 + 48] = 9;
    expect(productBounds({ width: 50, height: 40, data }, 8, 0)).toEqual({ x: 12, y: 10, width: 37, height: 21 });
    expect(productBounds({ width: 50, height: 40, data }, 8, 0.1)).toEqual({ x: 8, y: 6, width: 42, height: 29 });
    expect(productBounds({ width: 50, height: 40, data: Buffer.alloc(2000) })).toBeNull();
  });
});
