import { describe, expect, it } from 'vitest';
import { boxMean } from './box-filter';

function brute(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          s += src[yy * w + xx];
          n++;
        }
      out[y * w + x] = s / n;
    }
  return out;
}

describe('boxMean', () => {
  it('equals the brute-force clipped window mean, including borders and radii larger than the image', () => {
    for (const [w, h, r] of [
      [17, 11, 1],
      [17, 11, 3],
      [9, 23, 6],
      [5, 4, 10],
      [1, 7, 2],
    ]) {
      const src = new Float32Array(w * h).map((_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
      const got = boxMean(src, w, h, r);
      const want = brute(src, w, h, r);
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
    }
  });

  it('returns a copy for radius 0', () => {
    const src = new Float32Array([1, 2, 3, 4]);
    const out = boxMean(src, 2, 2, 0);
    expect([...out]).toEqual([1, 2, 3, 4]);
    expect(out).not.toBe(src);
  });
});
