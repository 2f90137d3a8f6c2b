// The product-ring mask (round dilation minus erosion, feathered) and the exact paste-back.
import { describe, expect, it } from 'vitest';
import { distanceTransform } from '../../core/distance-transform';
import { keepMask, pasteBack, pasteBackProduct, ringMask } from './ring-mask';

function disc(w: number, h: number, cx: number, cy: number, r: number) {
  const data = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * w + x] = 255;
  return { width: w, height: h, data };
}

describe('distanceTransform', () => {
  it('equals brute-force Euclidean distance', () => {
    const w = 23;
    const h = 17;
    const f = new Uint8Array(w * h);
    let s = 3;
    for (let i = 0; i < f.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      f[i] = s % 13 === 0 ? 1 : 0;
    }
    const d = distanceTransform(f, w, h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let best = Infinity;
        for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) if (f[yy * w + xx]) best = Math.min(best, Math.hypot(x - xx, y - yy));
        expect(d[y * w + x]).toBeCloseTo(best, 5);
      }
    expect(distanceTransform(new Uint8Array(4), 2, 2)[0]).toBe(Infinity);
  });
});

describe('ringMask', () => {
  const mask = disc(120, 100, 60, 50, 20);

  it('is dilate(mask, outer) − erode(mask, inner): 0 beyond outer, 0 deeper than inner, 255 in between', () => {
    const ring = ringMask(mask, { outer: 12, inner: 4, feather: 0 });
    const at = (x: number, y: number) => ring.data[y * 120 + x];
    expect(at(60, 50)).toBe(0); // product centre (eroded interior)
    expect(at(60 + 18, 50)).toBe(255); // 2 px inside the edge
    expect(at(60 + 25, 50)).toBe(255); // 5 px outside
    expect(at(60 + 31, 50)).toBe(255); // 11 px outside
    expect(at(60 + 34, 50)).toBe(0); // 14 px outside
    expect(at(5, 5)).toBe(0);
    // Round, not square: along the diagonal the ring ends at the same Euclidean distance.
    const d = Math.round((20 + 11) / Math.SQRT2);
    expect(at(60 + d, 50 + d)).toBe(255);
    const far = Math.round((20 + 14) / Math.SQRT2);
    expect(at(60 + far, 50 + far)).toBe(0);
  });

  it('feathers inside the band and stays exactly 0 outside it', () => {
    const ring = ringMask(mask, { outer: 12, inner: 4, feather: 6 });
    const at = (x: number) => ring.data[50 * 120 + x];
    expect(at(60)).toBe(0);
    expect(at(60 + 16)).toBe(0); // exactly `inner` deep
    expect(at(60 + 25)).toBe(255);
    const soft = at(60 + 30); // 10 px out: inside the outer feather
    expect(soft).toBeGreaterThan(0);
    expect(soft).toBeLessThan(255);
    expect(at(60 + 32)).toBe(0);
    for (let i = 0; i < ring.data.length; i++) {
      const x = i % 120;
      const y = Math.floor(i / 120);
      const r = Math.hypot(x - 60, y - 50);
      if (r < 20 - 4.5 || r > 20 + 12.5) expect(ring.data[i]).toBe(0);
    }
  });

  it('an empty mask gives an empty ring', () => {
    expect(ringMask({ width: 8, height: 8, data: Buffer.alloc(64) }, { outer: 3, inner: 1, feather: 1 }).data.every((v) => v === 0)).toBe(true);
  });
});

describe('paste-back', () => {
  it('restores the original inside the eroded mask byte for byte and keeps the repaint elsewhere', () => {
    const w = 120;
    const h = 100;
    const mask = disc(w, h, 60, 50, 20);
    const original = { width: w, height: h, data: Buffer.alloc(w * h * 4) };
    const repainted = { width: w, height: h, data: Buffer.alloc(w * h * 4) };
    for (let i = 0; i < w * h * 4; i++) {
      original.data[i] = (i * 7) % 256;
      repainted.data[i] = (i * 13 + 5) % 256;
    }
    const opts = { inner: 4, feather: 3 };
    const out = pasteBackProduct(repainted, original, mask, opts);
    const keep = keepMask(mask, opts);
    const ring = ringMask(mask, { outer: 10, ...opts });
    let inside = 0;
    for (let p = 0; p < w * h; p++) {
      const r = Math.hypot((p % w) - 60, Math.floor(p / w) - 50);
      if (r <= 15) {
        inside++;
        expect(keep.data[p]).toBe(255);
        expect(ring.data[p]).toBe(0);
        for (let c = 0; c < 4; c++) expect(out.data[p * 4 + c]).toBe(original.data[p * 4 + c]);
      }
      if (mask.data[p] === 0) for (let c = 0; c < 4; c++) expect(out.data[p * 4 + c]).toBe(repainted.data[p * 4 + c]);
      // Inside the product, ring and keep weights add up to one.
      if (mask.data[p]) expect(Math.abs(ring.data[p] + keep.data[p] - 255)).toBeLessThanOrEqual(1);
    }
    expect(inside).toBeGreaterThan(600);
    expect(() => pasteBack(repainted, original, { width: 1, height: 1, data: Buffer.alloc(1) })).toThrow(/keep mask/);
  });
});
