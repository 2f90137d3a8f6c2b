import { describe, expect, it } from 'vitest';
import { cellMeans, softLight, tintLayerToScene } from './scene-tint';
import type { RgbaPixels } from './text-effects';

function fill(width: number, height: number, rgba: [number, number, number, number]): RgbaPixels {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < data.length; p += 4) data.set(rgba, p);
  return { width, height, data };
}

describe('softLight', () => {
  it('is neutral at 0.5, lightens above, darkens below, keeps black and white', () => {
    for (const b of [0, 0.2, 0.6, 1]) expect(softLight(b, 0.5)).toBeCloseTo(b, 12);
    expect(softLight(0.4, 0.8)).toBeGreaterThan(0.4);
    expect(softLight(0.4, 0.2)).toBeLessThan(0.4);
    expect(softLight(1, 0.1)).toBe(1);
    expect(softLight(0, 0.9)).toBe(0);
  });
});

describe('cellMeans', () => {
  it('averages each cell', () => {
    const im = fill(8, 8, [255, 0, 0, 255]);
    for (let y = 0; y < 8; y++) for (let x = 4; x < 8; x++) im.data.set([0, 0, 255, 255], (y * 8 + x) * 4);
    const c = cellMeans(im, 2);
    expect([...c.slice(0, 3)]).toEqual([1, 0, 0]);
    expect([...c.slice(3, 6)]).toEqual([0, 0, 1]);
  });
});

describe('tintLayerToScene', () => {
  const layer = fill(40, 20, [200, 200, 200, 255]);

  it('shifts grey text toward the scene hue, brighter on the side facing the light', () => {
    const bg = fill(100, 100, [40, 60, 160, 255]); // blue scene
    const out = tintLayerToScene({ layer, left: 30, top: 40, background: bg, lightColor: [1, 1, 1], lightDir: { x: 1, y: 0 }, strength: 1 });
    const px = (x: number, y: number) => [...out.data.subarray((y * 40 + x) * 4, (y * 40 + x) * 4 + 4)];
    const [r, , b, a] = px(20, 10);
    expect(b).toBeGreaterThan(r + 15); // bluish
    expect(a).toBe(255); // alpha untouched
    // Light travels +x, so the left end faces it.
    const lum = (p: number[]) => 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
    expect(lum(px(1, 10))).toBeGreaterThan(lum(px(38, 10)) + 10);
  });

  it('keeps at least 85% of the text/background luma difference', () => {
    // Light grey text on a mid-grey warm scene: tinting must not pull it into the background.
    const bg = fill(100, 100, [150, 120, 100, 255]);
    const out = tintLayerToScene({ layer, left: 30, top: 40, background: bg, lightColor: [1, 0.6, 0.4], lightDir: { x: 0, y: 1 }, strength: 1 });
    const l = (d: ArrayLike<number>, p: number) => 0.2126 * d[p] + 0.7152 * d[p + 1] + 0.0722 * d[p + 2];
    const lb = l(bg.data, 0),
      l0 = l(layer.data, 0);
    for (let p = 0; p < out.data.length; p += 4) expect(Math.abs(l(out.data, p) - lb)).toBeGreaterThanOrEqual(0.85 * Math.abs(l0 - lb) - 1.5);
  });
});

describe('tintLayerToScene through a map (the studio stage)', () => {
  it('a 1:1 map gives the same pixels as left/top', () => {
    const layer = fill(40, 20, [200, 180, 160, 255]);
    const bg = fill(100, 100, [40, 60, 160, 255]);
    for (let y = 0; y < 100; y++) for (let x = 50; x < 100; x++) bg.data.set([200, 90, 30, 255], (y * 100 + x) * 4);
    const common = { layer, background: bg, lightColor: [1, 0.9, 0.8] as [number, number, number], lightDir: { x: 0.6, y: 0.8 }, strength: 0.7 };
    const a = tintLayerToScene({ ...common, left: 35, top: 40 });
    const b = tintLayerToScene({
      ...common,
      left: 0,
      top: 0,
      map: {
        at: (x, y, out) => {
          out[0] = x + 35;
          out[1] = y + 40;
        },
        centre: [55, 50],
        half: Math.hypot(40, 20) / 2,
      },
    });
    expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
  });
});
