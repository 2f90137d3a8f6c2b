import { describe, expect, it } from 'vitest';
import { baseRow, depthScale, groundLimitFor, MAX_WIDTH_SHARE, placeProduct } from './placement';
import { createRgba } from '../imaging/raster';

describe('placeProduct', () => {
  const frame = { frameWidth: 1024, frameHeight: 1024, groundY: 880 };

  it('scales the product to product_scale of the frame height and stands its base on the ground line', () => {
    const r = placeProduct({ ...frame, productWidth: 300, productHeight: 700, productScale: 0.55 });
    expect(r.height).toBe(Math.round(0.55 * 1024));
    expect(r.y + r.height - 1).toBe(880);
    expect(Math.abs(r.x + r.width / 2 - 512)).toBeLessThanOrEqual(1);
  });

  it('limits the width to 80 % of the frame', () => {
    const r = placeProduct({ ...frame, productWidth: 1600, productHeight: 400, productScale: 0.55 });
    expect(r.width).toBeLessThanOrEqual(Math.round(MAX_WIDTH_SHARE * 1024));
    expect(r.y + r.height - 1).toBe(880);
  });

  it('keeps the box inside the canvas when the requested scale would push the top out', () => {
    for (const [w, h] of [
      [1024, 1024],
      [576, 1024],
      [1024, 536],
    ]) {
      const r = placeProduct({ frameWidth: w, frameHeight: h, groundY: Math.round(h * 0.87), productWidth: 200, productHeight: 900, productScale: 0.9 });
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.width).toBeLessThanOrEqual(w);
      expect(r.y + r.height).toBeLessThanOrEqual(h);
      expect(r.y + r.height - 1).toBe(Math.round(h * 0.87));
    }
  });

  it('puts the lowest opaque row, not the last row, on the ground line', () => {
    const img = createRgba(10, 100);
    for (let y = 0; y < 90; y++) for (let x = 0; x < 10; x++) img.data[(y * 10 + x) * 4 + 3] = 255;
    for (let x = 0; x < 10; x++) img.data[(95 * 10 + x) * 4 + 3] = 40; // faint tail below the base
    expect(baseRow(img)).toBe(89);
    const r = placeProduct({ ...frame, productWidth: 10, productHeight: 100, productBaseRow: 89, productScale: 0.5 });
    const scale = r.height / 100;
    expect(Math.abs(r.y + Math.round(90 * scale) - 1 - 880)).toBeLessThanOrEqual(1);
  });

  it("with the bottom reserved, raises the base to the band's edge, not above the horizon, and scales for depth", () => {
    const floor = { horizonY: 590, defaultGroundY: 880 };
    const limit = groundLimitFor('bottom', 1024)!;
    expect(limit).toBe(Math.round(1024 * 0.7));
    const r = placeProduct({ ...frame, productWidth: 300, productHeight: 700, productScale: 0.55, reserve: 'bottom', floor });
    expect(r.baseY).toBe(limit);
    expect(r.y + r.height - 1).toBe(r.baseY);
    expect(r.height).toBe(Math.round(0.55 * 1024 * depthScale(limit, floor)));
    expect(depthScale(limit, floor)).toBeGreaterThanOrEqual(0.8);
    // A high horizon: the base stays on the floor, below horizon + 7 %.
    const high = placeProduct({
      ...frame,
      productWidth: 300,
      productHeight: 700,
      productScale: 0.55,
      reserve: 'bottom',
      floor: { horizonY: 700, defaultGroundY: 880 },
    });
    expect(high.baseY).toBe(Math.round(700 + 0.07 * 1024));
    // Without a reserve nothing changes.
    expect(placeProduct({ ...frame, productWidth: 300, productHeight: 700, productScale: 0.55, reserve: null, floor }).baseY).toBe(880);
  });

  it('with the top reserved, keeps the top below 30 % of the height', () => {
    const r = placeProduct({ ...frame, productWidth: 300, productHeight: 700, productScale: 0.9, reserve: 'top' });
    expect(r.y).toBeGreaterThanOrEqual(Math.floor(0.3 * 1024));
    expect(r.baseY).toBe(880);
  });
});
