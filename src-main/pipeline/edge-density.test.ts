import { describe, expect, it } from 'vitest';
import { integralMean, boxSum, integralImage, lumaOf, sceneMaps, sobelMagnitude } from './edge-density';
import type { RgbaImage } from '../imaging/types';

function image(width: number, height: number, f: (x: number, y: number) => number): RgbaImage {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4,
        v = f(x, y);
      data[p] = data[p + 1] = data[p + 2] = v;
      data[p + 3] = 255;
    }
  return { width, height, data };
}

describe('sobelMagnitude', () => {
  it('is zero on a flat image, borders included', () => {
    const mag = sobelMagnitude(lumaOf(image(9, 7, () => 120)), 9, 7);
    expect(Math.max(...mag)).toBe(0);
  });

  it('gives 4×step on both columns beside a vertical step edge and zero elsewhere', () => {
    const w = 10,
      h = 6;
    const luma = lumaOf(image(w, h, (x) => (x < 5 ? 0 : 100)));
    const mag = sobelMagnitude(luma, w, h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const expected = x === 4 || x === 5 ? 400 : 0;
        expect(mag[y * w + x]).toBeCloseTo(expected, 3);
      }
  });
});

describe('integral images', () => {
  it('box sums equal brute-force sums, and boxes are clipped to the image', () => {
    const w = 13,
      h = 11;
    const v = Array.from({ length: w * h }, (_, i) => (i * 7919) % 31);
    const ii = integralImage(v, w, h);
    const brute = (x0: number, y0: number, x1: number, y1: number) => {
      let s = 0;
      for (let y = Math.max(0, y0); y < Math.min(h, y1); y++) for (let x = Math.max(0, x0); x < Math.min(w, x1); x++) s += v[y * w + x];
      return s;
    };
    for (const [x0, y0, x1, y1] of [
      [0, 0, 13, 11],
      [2, 3, 7, 9],
      [5, 5, 6, 6],
      [-4, -2, 4, 5],
      [10, 8, 40, 40],
      [6, 6, 6, 9],
    ]) {
      expect(boxSum(ii, x0, y0, x1, y1)).toBe(brute(x0, y0, x1, y1));
    }
    expect(integralMean(ii, 0, 0, w, h)).toBeCloseTo(v.reduce((a, b) => a + b, 0) / (w * h), 9);
  });
});

describe('sceneMaps', () => {
  it('reports higher edge density over a checkerboard than over a flat area, and mask coverage', () => {
    const w = 64,
      h = 32;
    const bg = image(w, h, (x, y) => (x < 32 ? 128 : ((x >> 1) + (y >> 1)) % 2 ? 40 : 220));
    const mask = { width: w, height: h, data: Buffer.alloc(w * h) };
    for (let y = 0; y < h; y++) for (let x = 0; x < 16; x++) mask.data[y * w + x] = 255;
    const maps = sceneMaps(bg, mask);
    expect(integralMean(maps.edge, 2, 2, 28, 30)).toBe(0);
    expect(integralMean(maps.edge, 36, 2, 62, 30)).toBeGreaterThan(300);
    expect(integralMean(maps.mask!, 0, 0, 32, 32)).toBeCloseTo(0.5, 6);
    expect(integralMean(maps.luma, 0, 0, 32, 32)).toBeCloseTo(128, 3);
  });
});
