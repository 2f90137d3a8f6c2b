import { describe, expect, it } from 'vitest';
import { distanceTransform } from './distance-transform';
import { applyTextEffects, boxBlurPlane, NO_TEXT_EFFECTS, resampleRgba, TextEffectsSchema, type RgbaPixels } from './text-effects';

/** A grey bar (a "letter") in the middle of a transparent layer, light on top and dark below. */
function bar(W = 120, H = 60): RgbaPixels {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 20; y < 40; y++)
    for (let x = 30; x < 90; x++) {
      const i = (y * W + x) * 4;
      const v = y < 30 ? 220 : 60;
      data.set([v, v, v, 255], i);
    }
  return { width: W, height: H, data };
}
const px = (l: RgbaPixels, x: number, y: number) => Array.from(l.data.slice((y * l.width + x) * 4, (y * l.width + x) * 4 + 4));

describe('text effects (pure)', () => {
  it('leaves a layer without effects untouched', () => {
    const l = bar();
    expect(applyTextEffects(l, null)).toBe(l);
    expect(applyTextEffects(l, NO_TEXT_EFFECTS)).toBe(l);
  });

  it('fill recolours keeping light and shade; a gradient runs top to bottom', () => {
    const red = applyTextEffects(bar(), { ...NO_TEXT_EFFECTS, fill: '#ff0000' });
    const top = px(red, 60, 24);
    const low = px(red, 60, 36);
    expect(top[0]).toBeGreaterThan(top[1]);
    expect(low[0]).toBeGreaterThan(low[2]);
    // highlight lighter than shade, both red-dominant
    expect(top[0] + top[1]).toBeGreaterThan(low[0] + low[1]);
    const grad = applyTextEffects(bar(), { ...NO_TEXT_EFFECTS, fill: '#0000ff', fill_to: '#00ff00' });
    expect(px(grad, 60, 22)[2]).toBeGreaterThan(px(grad, 60, 22)[1]);
    expect(px(grad, 60, 38)[1]).toBeGreaterThan(px(grad, 60, 38)[2]);
  });

  it('outline draws a ring of the outline colour around the glyphs, inside the same size', () => {
    const l = applyTextEffects(bar(), { ...NO_TEXT_EFFECTS, outline: '#00ff00', outline_width: 0.05 });
    expect(l.width).toBe(120);
    expect(l.height).toBe(60);
    // Just outside the (slightly shrunk) bar: green and opaque.
    let greenAbove = 0;
    for (let y = 0; y < 30; y++) {
      const [r, g, b, a] = px(l, 60, y);
      if (a > 200 && g > 200 && r < 60 && b < 60) greenAbove++;
    }
    expect(greenAbove).toBeGreaterThanOrEqual(2);
    // Far corner stays clear.
    expect(px(l, 2, 2)[3]).toBe(0);
  });

  it('shadow darkens below-right of the glyphs and scales with strength', () => {
    const weak = applyTextEffects(bar(), { ...NO_TEXT_EFFECTS, shadow: 0.3 });
    const strong = applyTextEffects(bar(), { ...NO_TEXT_EFFECTS, shadow: 1 });
    const below = (l: RgbaPixels) => px(l, 70, 41)[3];
    expect(below(strong)).toBeGreaterThan(below(weak));
    expect(below(weak)).toBeGreaterThan(0);
    const [r, g, b] = px(strong, 70, 41);
    expect(Math.max(r, g, b)).toBeLessThan(80);
  });

  it('is deterministic (server and studio get the same bytes)', () => {
    const fx = TextEffectsSchema.parse({ fill: '#ffaa00', outline: '#101010', shadow: 0.6 });
    expect(Buffer.from(applyTextEffects(bar(), fx).data).equals(Buffer.from(applyTextEffects(bar(), fx).data))).toBe(true);
  });

  it('schema refuses non-hex colours and out-of-range widths', () => {
    expect(TextEffectsSchema.safeParse({ fill: 'red' }).success).toBe(false);
    expect(TextEffectsSchema.safeParse({ outline_width: 0.5 }).success).toBe(false);
    expect(TextEffectsSchema.safeParse({ shadow: 2 }).success).toBe(false);
    expect(TextEffectsSchema.safeParse({ fill: '#ffffff', extra: 1 }).success).toBe(false);
  });

  it('distance transform and blur', () => {
    const inside = new Uint8Array(25);
    inside[12] = 1;
    const d = distanceTransform(inside, 5, 5);
    expect(d[12]).toBe(0);
    expect(d[13]).toBe(1);
    expect(d[0]).toBeCloseTo(Math.SQRT2 * 2, 5);
    const plane = new Float32Array(100);
    plane[55] = 1;
    const b = boxBlurPlane(plane, 10, 10, 1);
    expect(b.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 1);
    expect(b[55]).toBeLessThan(1);
  });

  it('resample keeps colours of opaque areas and does not darken edges', () => {
    const r = resampleRgba(bar(), 60, 30);
    expect(px(r, 30, 11).slice(0, 3)).toEqual([220, 220, 220]);
    const edge = px(r, 15, 10);
    if (edge[3] > 0) expect(edge[0]).toBeGreaterThan(150);
  });
});
