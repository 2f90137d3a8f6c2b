// Edge colours of a cut-out: the old background's colour must not survive in soft edge pixels.
import { describe, expect, it } from 'vitest';
import type { GrayImage, RgbaImage } from '../../imaging/types';
import { bleedTransparentColours, estimateForeground } from './foreground';

const RED = [220, 30, 40];
const GREEN = [30, 200, 60];

/** A red product whose alpha ramps to 0 over 8 px, composited over green: I = αF + (1−α)B. */
function softEdge(w: number, h: number): { image: RgbaImage; alpha: GrayImage } {
  const data = Buffer.alloc(w * h * 4);
  const alpha = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const a = Math.min(1, Math.max(0, (w / 2 + 4 - x) / 8));
      const i = y * w + x;
      alpha[i] = Math.round(a * 255);
      for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(a * RED[c] + (1 - a) * GREEN[c]);
      data[i * 4 + 3] = 255;
    }
  return { image: { width: w, height: h, data }, alpha: { width: w, height: h, data: alpha } };
}

const rgb = (img: RgbaImage, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3)];
const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('estimateForeground', () => {
  for (const [w, h] of [
    [120, 40],
    [2000, 60],
  ]) {
    it(`recovers the product colour on soft edges (${w}×${h}), keeps opaque pixels exact`, () => {
      const { image, alpha } = softEdge(w, h);
      const out = estimateForeground(image, alpha);
      const y = h / 2;
      for (let x = w / 2 - 3; x <= w / 2 + 3; x++) {
        const a = alpha.data[y * w + x];
        if (a === 0 || a === 255) continue;
        // The photo's pixel is a red/green mix; the estimate is close to the pure product red.
        expect(dist(rgb(out, x, y), RED)).toBeLessThan(dist(rgb(image, x, y), RED) / 3 + 4);
        expect(out.data[(y * w + x) * 4 + 3]).toBe(a);
      }
      // Opaque product pixels are untouched (labels are never repainted).
      expect(rgb(out, 5, y)).toEqual(rgb(image, 5, y));
      // Fully transparent pixels next to the product carry the product's colour, not green.
      expect(dist(rgb(out, w / 2 + 8, y), RED)).toBeLessThan(30);
    });
  }
});

describe('bleedTransparentColours', () => {
  it('keeps visible pixels and fills hidden RGB under alpha 0 with the nearby visible colour', () => {
    const w = 40;
    const h = 10;
    const data = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) data.set(i % w < 20 ? [10, 90, 200, 255] : [0, 0, 0, 0], i * 4);
    const out = bleedTransparentColours({ width: w, height: h, data });
    expect([...out.data.subarray(0, 4)]).toEqual([10, 90, 200, 255]);
    const hidden = (5 * w + 22) * 4;
    expect([...out.data.subarray(hidden, hidden + 4)]).toEqual([10, 90, 200, 0]);
    // Far from any visible pixel the wide radius still reaches it.
    const far = (5 * w + 39) * 4;
    expect(out.data[far + 2]).toBe(200);
  });
});
