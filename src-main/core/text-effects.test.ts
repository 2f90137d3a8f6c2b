import { describe, expect, it } from 'vitest';
import { distanceTransform } from './distance-transform';
import { applyTextEffects, boxBlurPlane, effectsPadding, NO_TEXT_EFFECTS, TextEffectsSchema, type RgbaPixels } from './text-effects';

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
    expect(effectsPadding(120, 60, null).pad).toBe(0);
  });

  it('fill recolours keeping light and shade; a gradient runs top to bottom; nothing moves', () => {
    const red = applyTextEffects(bar(), { ...NO_TEXT_EFFECTS, fill: '#ff0000' });
    // A fill alone needs no margin: the same size, the text in the same place.
    expect([red.width, red.height]).toEqual([120, 60]);
    const top = px(red, 60, 24);
    const low = px(red, 60, 36);
    expect(top[0]).toBeGreaterThan(top[1]);
    expect(low[0]).toBeGreaterThan(low[2]);
    expect(top[0] + top[1]).toBeGreaterThan(low[0] + low[1]);
    expect(px(red, 29, 30)[3]).toBe(0);
    expect(px(red, 30, 30)[3]).toBe(255);
    const grad = applyTextEffects(bar(), { ...NO_TEXT_EFFECTS, fill: '#0000ff', fill_to: '#00ff00' });
    expect(px(grad, 60, 22)[2]).toBeGreaterThan(px(grad, 60, 22)[1]);
    expect(px(grad, 60, 38)[1]).toBeGreaterThan(px(grad, 60, 38)[2]);
  });

  it('outline grows the layer by its width and rings the glyphs; the text keeps its size', () => {
    const fx = { ...NO_TEXT_EFFECTS, outline: '#00ff00', outline_width: 0.05 };
    const { pad, ow } = effectsPadding(120, 60, fx);
    expect(ow).toBe(3); // 5% of the smaller side
    const l = applyTextEffects(bar(), fx);
    expect([l.width, l.height]).toEqual([120 + 2 * pad, 60 + 2 * pad]);
    // The bar's own pixels, moved by the margin, unchanged.
    expect(px(l, 30 + pad, 25 + pad)).toEqual([220, 220, 220, 255]);
    // Just above the bar: the outline.
    const [r, g, b, a] = px(l, 60 + pad, 18 + pad);
    expect([r < 60, g > 200, b < 60, a > 200]).toEqual([true, true, true, true]);
    expect(px(l, 60 + pad, 20 + pad - ow - 2)[3]).toBe(0);
    expect(px(l, 0, 0)[3]).toBe(0);
  });

  it('a stacked (tall) layer gets an outline sized by its width, not its height', () => {
    const fx = { ...NO_TEXT_EFFECTS, outline: '#000000', outline_width: 0.02 };
    expect(effectsPadding(80, 400, fx).ow).toBe(effectsPadding(400, 80, fx).ow);
  });

  it('shadow darkens below-right of the glyphs, inside the margin, and scales with strength', () => {
    const weak = applyTextEffects(bar(), { ...NO_TEXT_EFFECTS, shadow: 0.3 });
    const strong = applyTextEffects(bar(), { ...NO_TEXT_EFFECTS, shadow: 1 });
    const { pad } = effectsPadding(120, 60, { ...NO_TEXT_EFFECTS, shadow: 1 });
    const below = (l: RgbaPixels) => px(l, 70 + pad, 41 + pad)[3];
    expect(below(strong)).toBeGreaterThan(below(weak));
    expect(below(weak)).toBeGreaterThan(0);
    const [r, g, b] = px(strong, 70 + pad, 41 + pad);
    expect(Math.max(r, g, b)).toBeLessThan(80);
    // Nothing reaches the edge of the grown layer: the margin holds the whole shadow.
    let edge = 0;
    for (let x = 0; x < strong.width; x++) edge = Math.max(edge, px(strong, x, strong.height - 1)[3]);
    expect(edge).toBeLessThan(40);
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
});
