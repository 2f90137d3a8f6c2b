// The guided filter snaps a soft, misplaced matte to the edges of the photo used as guide.
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../imaging/types';
import { applyCoefficients, maskToUnit, guidedCoefficients, guidedFilter, rgbaToGuide } from './guided-filter';

/** w×h image: columns < edge are orange (the product), the rest teal (background). */
function twoTone(w: number, h: number, edge: number): RgbaImage {
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(x < edge ? [230, 120, 40, 255] : [40, 150, 160, 255], (y * w + x) * 4);
  return { width: w, height: h, data };
}

/** Matte ramping from 1 to 0 over `width` px centred on `centre` (a blurry model output). */
function rampMask(w: number, h: number, centre: number, width: number): Float32Array {
  const m = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = Math.min(1, Math.max(0, 0.5 - (x - centre) / width));
  return m;
}

/** Index and size of the largest drop between neighbouring samples. */
function largestDrop(values: ArrayLike<number>, from: number, to: number): { at: number; size: number } {
  let best = { at: -1, size: -Infinity };
  for (let i = from; i < to; i++) {
    const d = values[i - 1] - values[i];
    if (d > best.size) best = { at: i, size: d };
  }
  return best;
}

describe('guidedFilter', () => {
  it('puts a sharp step into a blurry ramp exactly at the guide’s colour edge', () => {
    const img = twoTone(64, 16, 30);
    // A 16 px ramp (0.0625 per px) centred one pixel off the true edge.
    const q = guidedFilter(rgbaToGuide(img), rampMask(64, 16, 31, 16), 4, 1e-4);
    const row = q.subarray(8 * 64, 9 * 64);
    const drop = largestDrop(row, 1, 64);
    expect(drop.at).toBe(30);
    expect(drop.size).toBeGreaterThan(0.25);
    // Far from the edge the matte stays solid on both sides.
    expect(row[5]).toBeGreaterThan(0.97);
    expect(row[60]).toBeLessThan(0.03);
  });
});

describe('fast guided filter (low-res coefficients, full-res guide)', () => {
  it('puts the edge where the full-resolution photo has it, not where the 4× coarser matte had it', () => {
    const W = 256;
    const H = 32;
    const edge = 121; // not a multiple of 4: the coarse grid cannot represent it
    const full = twoTone(W, H, edge);
    const low = twoTone(W / 4, H / 4, Math.round(edge / 4));
    const lowMask = rampMask(W / 4, H / 4, edge / 4, 4);
    const coef = guidedCoefficients(rgbaToGuide(low), lowMask, 2, 1e-4);
    const out = applyCoefficients(coef, full);
    expect([out.width, out.height]).toEqual([W, H]);
    const row = out.data.subarray(16 * W, 17 * W);
    // Bilinear upsampling of this matte would fall ~16 levels per pixel around x≈121; the refined
    // matte drops by far more in one step, exactly at the photo's edge.
    const drop = largestDrop(row, 1, W);
    expect(drop.at).toBe(edge);
    expect(drop.size).toBeGreaterThan(80);
    expect(row[40]).toBe(255);
    expect(row[200]).toBe(0);
  });

  it('maskToUnit maps bytes to 0..1', () => {
    const f = maskToUnit({ width: 3, height: 1, data: Buffer.from([0, 51, 255]) });
    expect(f[0]).toBe(0);
    expect(f[1]).toBeCloseTo(0.2, 6);
    expect(f[2]).toBe(1);
  });
});
