import { describe, expect, it } from 'vitest';
import { alphaOver } from './composite';
import { layerLuma, rotateLayer, trimToAlpha } from './layer';
import { scaleLayer } from './resize';
import type { RgbaImage } from './types';

function rgba(width: number, height: number, f: (x: number, y: number) => [number, number, number, number]): RgbaImage {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(f(x, y), (y * width + x) * 4);
  return { width, height, data };
}
const px = (im: RgbaImage, x: number, y: number) => [...im.data.subarray((y * im.width + x) * 4, (y * im.width + x) * 4 + 4)];

describe('rotateLayer', () => {
  it('turns 90° clockwise losslessly: the top-left pixel goes to the top-right', () => {
    const src = rgba(6, 2, (x, y) => [x * 40, y * 100, 7, 255]);
    const { image, dx, dy } = rotateLayer(src, 90);
    expect([image.width, image.height]).toEqual([2, 6]);
    expect([dx, dy]).toEqual([2, -2]);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 6; x++) expect(px(image, 1 - y, x)).toEqual(px(src, x, y));
  });

  it('keeps colour on soft edges at 30° (premultiplied sampling: no dark halo)', () => {
    const src = rgba(40, 20, (x) => (x < 20 ? [255, 255, 255, 255] : [0, 0, 0, 0]));
    const { image } = rotateLayer(src, 30);
    for (let p = 0; p < image.data.length; p += 4) if (image.data[p + 3] > 0) expect(image.data[p]).toBe(255);
  });
});

describe('scaleLayer', () => {
  it('downscales with alpha-aware lanczos: a white shape on transparent stays white at its edges', async () => {
    const src = rgba(100, 40, (x, y) => ((x - 50) ** 2 / 1600 + (y - 20) ** 2 / 256 < 1 ? [255, 255, 255, 255] : [0, 0, 0, 0]));
    const out = await scaleLayer(src, 37, 15);
    expect([out.width, out.height]).toEqual([37, 15]);
    for (let p = 0; p < out.data.length; p += 4) if (out.data[p + 3] > 16) expect(out.data[p]).toBeGreaterThan(240);
  });
});

describe('alphaOver', () => {
  it('blends by alpha, clips at the borders and leaves fully occluded pixels byte-identical', () => {
    const base = rgba(4, 4, () => [100, 100, 100, 255]);
    const layer = rgba(3, 3, () => [200, 0, 0, 128]);
    const occ = { width: 4, height: 4, data: Buffer.alloc(16) };
    occ.data[3 * 4 + 3] = 255; // bottom-right pixel occluded
    const out = alphaOver(base, layer, 1, 1, { occluder: occ });
    expect(px(out, 0, 0)).toEqual([100, 100, 100, 255]);
    expect(px(out, 1, 1)).toEqual([150, 50, 50, 255]);
    expect(px(out, 3, 3)).toEqual([100, 100, 100, 255]);
    const clipped = alphaOver(base, layer, -2, -2);
    expect(px(clipped, 0, 0)).toEqual([150, 50, 50, 255]);
    expect(px(clipped, 1, 1)).toEqual([100, 100, 100, 255]);
  });
});

describe('trim and luma', () => {
  it('trims to the visible alpha and measures the visible luma only', () => {
    const im = rgba(10, 8, (x, y) => (x >= 3 && x < 7 && y >= 2 && y < 5 ? [255, 255, 255, 255] : [0, 0, 0, 0]));
    const t = trimToAlpha(im);
    expect([t.width, t.height]).toEqual([4, 3]);
    expect(layerLuma(im)).toBeCloseTo(255, 3);
    expect(trimToAlpha(rgba(3, 3, () => [9, 9, 9, 0])).width).toBe(1);
  });
});
