import { describe, expect, it } from 'vitest';
import { bevelHeight, contourNormals, extrude, insideDistance, normalsOf } from './lettering-maps';
import { fbm } from '../../imaging/noise';
import { makeRng } from '../../imaging/random';

/** A w x h plane with a filled axis-aligned rectangle. */
function rect(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Float32Array {
  const m = new Float32Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
  return m;
}

describe('insideDistance', () => {
  it('grows by one pixel per pixel inwards and is 0 outside', () => {
    const w = 40,
      h = 40;
    const d = insideDistance(rect(w, h, 10, 10, 30, 30), w, h);
    expect(d[5 * w + 5]).toBe(0);
    // Row 20: edge pixel at x=10 is half a pixel in, then +1 per pixel up to the centre.
    expect(d[20 * w + 10]).toBeCloseTo(0.5, 5);
    expect(d[20 * w + 13]).toBeCloseTo(3.5, 5);
    expect(d[20 * w + 19]).toBeCloseTo(9.5, 5);
  });
});

describe('bevelHeight and normalsOf', () => {
  it('a plateau faces the viewer and the bevel tilts outwards', () => {
    const w = 40,
      h = 40;
    const d = insideDistance(rect(w, h, 10, 10, 30, 30), w, h);
    const ht = bevelHeight(d, 4, 'chisel');
    expect(ht[20 * w + 20]).toBe(1);
    expect(ht[20 * w + 11]).toBeCloseTo(1.5 / 4, 5);
    const n = normalsOf(ht, w, h, 4);
    const at = (x: number, y: number) => [n[(y * w + x) * 3], n[(y * w + x) * 3 + 1], n[(y * w + x) * 3 + 2]];
    expect(at(20, 20)).toEqual([-0, -0, 1]);
    expect(at(11, 20)[0]).toBeLessThan(-0.5); // left edge faces left
    expect(at(28, 20)[0]).toBeGreaterThan(0.5); // right edge faces right
    expect(at(20, 11)[1]).toBeLessThan(-0.5); // top edge faces up
    const [x, y, z] = at(11, 20);
    expect(Math.hypot(x, y, z)).toBeCloseTo(1, 5);
    // A round profile rises faster at the contour than a chisel.
    expect(bevelHeight(d, 4, 'round')[20 * w + 11]).toBeGreaterThan(ht[20 * w + 11]);
  });
});

describe('extrude', () => {
  it('sweeps the mask along the direction with nearer copies in front', () => {
    const w = 40,
      h = 40;
    const mask = rect(w, h, 10, 10, 20, 20);
    const normals = contourNormals(mask, w, h);
    const ext = extrude(mask, normals, w, h, { x: 1, y: 0 }, 6, (k, _nx, _ny, out) => {
      out[0] = k * 10; // colour encodes the copy index
      out[1] = 0;
      out[2] = 0;
    });
    // Covered from x=11 (one px shift) to x=25 (6 px shift of the last column).
    expect(ext.alpha[15 * w + 25]).toBeCloseTo(1, 5);
    expect(ext.alpha[15 * w + 26]).toBe(0);
    expect(ext.alpha[15 * w + 9]).toBe(0);
    expect(ext.alpha[5 * w + 15]).toBe(0);
    // Premultiplied colour / alpha = the nearest copy covering the pixel.
    expect(ext.color[(15 * w + 15) * 3] / ext.alpha[15 * w + 15]).toBeCloseTo(10, 4);
    expect(ext.color[(15 * w + 25) * 3] / ext.alpha[15 * w + 25]).toBeCloseTo(60, 4);
    for (const a of ext.alpha) expect(a).toBeLessThanOrEqual(1.000001);
  });

  it('antialiases fractional shifts instead of stepping', () => {
    const w = 30,
      h = 30;
    const mask = rect(w, h, 5, 5, 10, 10);
    const ext = extrude(mask, contourNormals(mask, w, h), w, h, { x: 0.5, y: 0 }, 1, (_k, _nx, _ny, out) => out.fill(100));
    expect(ext.alpha[7 * w + 10]).toBeCloseTo(0.5, 5); // half a pixel past the right edge
  });
});

describe('rng and noise', () => {
  it('are deterministic for a seed and stay in 0..1', () => {
    const a = makeRng(3),
      b = makeRng(3),
      c = makeRng(4);
    const sa = [a(), a(), a()],
      sb = [b(), b(), b()];
    expect(sa).toEqual(sb);
    expect(c()).not.toBe(sa[0]);
    const n = fbm(7, 16, 3);
    for (let i = 0; i < 200; i++) {
      const v = n(i * 3.7, i * 1.3);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(fbm(7, 16, 3)(10.5, 20.25)).toBe(n(10.5, 20.25));
  });
});
