// params.product_box: the product stands where the designer put it, mirrored when asked, and its
// shadows follow it (they are cast from the placed mask).
import { describe, expect, it } from 'vitest';
import { proceduralBackgroundEngine } from '../engines/procedural/backdrop';
import { boundsOf, luminance } from '../imaging/raster';
import { drawSampleBottle } from '../../test/helpers/sample-product';
import { GenerateRequestSchema } from '../core/params';
import { placeProductAt, MIN_VISIBLE_PX } from './placement';
import { runStep1, type Step1Input } from './step1-background';
import type { StepContext } from './types';

const S = 512;
const cutout = drawSampleBottle(600);
const ctx = (): StepContext => ({ signal: new AbortController().signal, seed: 7, progress: () => {}, log: () => {} });
const input = (over: Partial<Step1Input> = {}): Step1Input => ({
  cutout,
  width: S,
  height: S,
  prompt: 'oak wood table, light from the left',
  negative: '',
  productScale: 0.55,
  strength: 0.6,
  ...over,
});

describe('product_box', () => {
  it('is part of the request schema (null by default, flip false by default, unknown keys refused)', () => {
    expect(GenerateRequestSchema.parse({}).product_box).toBeNull();
    expect(GenerateRequestSchema.parse({ product_box: { x: 1, y: 2, width: 100 } }).product_box).toEqual({ x: 1, y: 2, width: 100, flip: false });
    expect(GenerateRequestSchema.safeParse({ product_box: { x: 1, y: 2, width: 100, rotation: 3 } }).success).toBe(false);
  });

  it('placeProductAt keeps the aspect and a sliver inside the frame', () => {
    const p = { productWidth: 200, productHeight: 400, frameWidth: S, frameHeight: S };
    expect(placeProductAt({ x: 10, y: 20, width: 100 }, p)).toEqual({ x: 10, y: 20, width: 100, height: 200, baseY: 219 });
    const off = placeProductAt({ x: -500, y: 9000, width: 100 }, p);
    expect(off.x + off.width).toBe(MIN_VISIBLE_PX);
    expect(off.y).toBe(S - MIN_VISIBLE_PX);
  });

  it('stands the product at the box, mirrored when flipped, with its shadows following', async () => {
    const auto = await runStep1(input(), proceduralBackgroundEngine, ctx());
    const empty = await runStep1(input({ cutout: null }), proceduralBackgroundEngine, ctx());
    const w = 120;
    const moved = await runStep1(input({ productBox: { x: 40, y: 150, width: w, flip: false } }), proceduralBackgroundEngine, ctx());
    const box = moved.scene.productBox!;
    expect(box).toMatchObject({ x: 40, y: 150, width: w });
    const b = boundsOf(moved.mask, 127)!;
    expect(b.x).toBeGreaterThanOrEqual(40);
    expect(b.x + b.width).toBeLessThanOrEqual(40 + w);
    // Where the automatic placement stood, the moved job shows the plain backdrop.
    const a = auto.scene.productBox!;
    const cx = a.x + Math.round(a.width / 2),
      cy = a.y + Math.round(a.height / 2);
    const at = (img: typeof moved.image, x: number, y: number) => img.data.subarray((y * S + x) * 4, (y * S + x) * 4 + 3);
    const diff = (u: Uint8Array | Buffer, v: Uint8Array | Buffer) => Math.max(...[0, 1, 2].map((c) => Math.abs(u[c] - v[c])));
    expect(diff(at(moved.image, cx, cy), at(empty.image, cx, cy))).toBeLessThanOrEqual(8);
    // Its contact shadow darkens the floor just under its own base, not under the old one.
    const lm = luminance(moved.image),
      le = luminance(empty.image);
    const under = (x: number, y: number) => le.data[y * S + x] - lm.data[y * S + x];
    const baseY = moved.scene.groundY;
    let dark = 0;
    for (let x = b.x; x < b.x + b.width; x++) dark += under(x, Math.min(S - 1, baseY + 2));
    expect(dark / b.width).toBeGreaterThan(3);
    // Flipped: the mask is the mirror image of the unflipped one within the same box.
    const flipped = await runStep1(input({ productBox: { x: 40, y: 150, width: w, flip: true } }), proceduralBackgroundEngine, ctx());
    expect(flipped.scene.productFlip).toBe(true);
    let same = 0,
      n = 0;
    for (let y = box.y; y < box.y + box.height; y++)
      for (let x = 0; x < box.width; x++) {
        const m = moved.mask.data[y * S + box.x + x],
          f = flipped.mask.data[y * S + box.x + box.width - 1 - x];
        n++;
        if (Math.abs(m - f) <= 2) same++;
      }
    expect(same / n).toBeGreaterThan(0.99);
  });
});
