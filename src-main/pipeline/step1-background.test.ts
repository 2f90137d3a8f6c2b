import { describe, expect, it } from 'vitest';
import type { SubStepId } from '../core/jobs';
import { proceduralBackgroundEngine } from '../engines/procedural/backdrop';
import { rimReach } from './harmonize';
import { alphaOf, boundsOf, cropRgba, luminance, pasteGray, createGray, psnr, createRgba } from '../imaging/raster';
import { erodeGray } from '../imaging/filters';
import { resizeRgba } from '../imaging/resize';
import { alphaOver } from '../imaging/composite';
import { baseRow } from './placement';
import { drawSampleBottle } from '../../test/helpers/sample-product';
import { runStep1, type Step1Input } from './step1-background';
import type { StepContext } from './types';

const S = 512;
const cutout = drawSampleBottle(600);

function ctxWith(seed = 11, signal = new AbortController().signal) {
  const events: [SubStepId, number][] = [];
  const ctx: StepContext = { signal, seed, progress: (s, f) => events.push([s, f]), log: () => {} };
  return { ctx, events };
}

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

describe('runStep1', () => {
  it('places the product inside the canvas with its base on the ground line, at the documented scale', async () => {
    const { ctx, events } = ctxWith();
    const r = await runStep1(input(), proceduralBackgroundEngine, ctx);
    const box = r.scene.productBox!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(S);
    expect(box.y + box.height).toBeLessThanOrEqual(S);
    expect(Math.abs(box.height - 0.55 * S)).toBeLessThanOrEqual(1);
    expect(Math.abs(baseRow(r.mask) - r.scene.groundY)).toBeLessThanOrEqual(1);
    expect(boundsOf(r.mask, 127)).not.toBeNull();
    for (let i = 3; i < r.image.data.length; i += 4) if (r.image.data[i] !== 255) throw new Error('step 1 image must be opaque');
    // Sub-steps reported in pipeline order, each finishing at 1.
    const order = [...new Set(events.map((e) => e[0]))];
    expect(order).toEqual(['background_generation', 'product_placement', 'harmonization']);
    for (const s of order) expect(events.filter((e) => e[0] === s).at(-1)![1]).toBe(1);
  });

  it('shadows the floor under the base and on the side away from the light', async () => {
    const withProduct = await runStep1(input(), proceduralBackgroundEngine, ctxWith(5).ctx);
    const backdrop = await runStep1(input({ cutout: null }), proceduralBackgroundEngine, ctxWith(5).ctx);
    const box = withProduct.scene.productBox!;
    const g = withProduct.scene.groundY;
    const lp = luminance(withProduct.image);
    const lb = luminance(backdrop.image);
    // Darkening = backdrop luminance − composite luminance, averaged over a floor patch.
    const darkening = (x0: number, x1: number, y0: number, y1: number) => {
      let d = 0,
        n = 0;
      for (let y = Math.floor(y0); y < y1; y++)
        for (let x = Math.floor(x0); x < x1; x++)
          if (withProduct.mask.data[Math.floor(y) * S + Math.floor(x)] < 8) {
            d += lb.data[Math.floor(y) * S + Math.floor(x)] - lp.data[Math.floor(y) * S + Math.floor(x)];
            n++;
          }
      return d / n;
    };
    const w = 40;
    const rightSide = darkening(box.x + box.width + 2, box.x + box.width + 2 + w, g - 20, g);
    const leftSide = darkening(box.x - 2 - w, box.x - 2, g - 20, g);
    const under = darkening(box.x + box.width * 0.3, box.x + box.width * 0.7, g + 2, g + 5);
    const far = darkening(0, 40, S - 30, S);
    expect(withProduct.scene.lightDir.x).toBeGreaterThan(0); // light from the left
    expect(rightSide).toBeGreaterThan(leftSide + 5);
    expect(under).toBeGreaterThan(25);
    expect(Math.abs(far)).toBeLessThan(1);
    console.log(`shadow darkening (luma): under base ${under.toFixed(1)}, away from light ${rightSide.toFixed(1)}, toward light ${leftSide.toFixed(1)}`);
  });

  it('preserves the product: inside the eroded mask the placed pixels equal the scaled input', async () => {
    for (const prompt of ['marble', 'neon sign', 'sunset']) {
      const r = await runStep1(input({ prompt, strength: 1 }), proceduralBackgroundEngine, ctxWith(3).ctx);
      const box = r.scene.productBox!;
      const scaled = await resizeRgba(cutout.image, box.width, box.height);
      const placed = cropRgba(r.image, box);
      // Reference: the scaled cut-out over the same pixels (so semi-transparent edges compare fairly).
      const ref = alphaOver(cropRgba(r.image, box), scaled);
      const localMask = cropRgbaMask(r.mask, box);
      const interior = erodeGray(localMask, rimReach(S / 1024) + 1);
      const inner = psnr(placed, ref, interior, 250);
      const whole = psnr(placed, ref, localMask, 0);
      console.log(`product preservation (${prompt}): PSNR inside eroded mask ${inner} dB, over the whole mask incl. harmonized rim ${whole.toFixed(1)} dB`);
      expect(inner).toBeGreaterThanOrEqual(40);
      expect(whole).toBeGreaterThan(20);
    }
  });

  it("keeps the headline's band free: 'bottom' stands the product further back, 'top' keeps its top low", async () => {
    for (const prompt of ['sunny beach with sand', 'white marble countertop', 'sunset', 'minimal studio']) {
      const plain = await runStep1(input({ prompt }), proceduralBackgroundEngine, ctxWith(7).ctx);
      const low = await runStep1(input({ prompt, reserve: 'bottom' }), proceduralBackgroundEngine, ctxWith(7).ctx);
      // Nothing of the product in the bottom 24 % + safe margin band (5 %): the headline's room.
      const free = boundsOf(low.mask, 8)!;
      expect(free.y + free.height).toBeLessThanOrEqual(Math.ceil(S * 0.71));
      // groundY is where the base really stands, and the product is only a little smaller.
      expect(Math.abs(baseRow(low.mask) - low.scene.groundY)).toBeLessThanOrEqual(1);
      expect(low.scene.groundY).toBeLessThan(plain.scene.groundY);
      const ratio = low.scene.productBox!.height / plain.scene.productBox!.height;
      expect(ratio).toBeGreaterThanOrEqual(0.79);
      expect(ratio).toBeLessThan(1);
      console.log(`reserve bottom (${low.scene.look}): base ${plain.scene.groundY} → ${low.scene.groundY} px of ${S}, product height ×${ratio.toFixed(2)}`);
    }
    const top = await runStep1(input({ productScale: 0.8, reserve: 'top' }), proceduralBackgroundEngine, ctxWith(7).ctx);
    expect(boundsOf(top.mask, 8)!.y).toBeGreaterThanOrEqual(Math.floor(S * 0.3));
  });

  it('with no cut-out returns the backdrop alone and an empty mask', async () => {
    const r = await runStep1(input({ cutout: null, prompt: '정원' }), proceduralBackgroundEngine, ctxWith().ctx);
    expect(r.scene.productBox).toBeNull();
    expect(r.scene.look).toBe('garden');
    expect(r.mask.data.every((v) => v === 0)).toBe(true);
  });

  it('is deterministic for a seed, and stops when aborted', async () => {
    const a = await runStep1(input(), proceduralBackgroundEngine, ctxWith(77).ctx);
    const b = await runStep1(input(), proceduralBackgroundEngine, ctxWith(77).ctx);
    expect(a.image.data.equals(b.image.data)).toBe(true);
    const ac = new AbortController();
    ac.abort();
    await expect(runStep1(input(), proceduralBackgroundEngine, ctxWith(1, ac.signal).ctx)).rejects.toThrow('Stopped');
  });
});

function cropRgbaMask(mask: ReturnType<typeof createGray>, box: { x: number; y: number; width: number; height: number }) {
  const rgba = createRgba(mask.width, mask.height);
  for (let i = 0; i < mask.data.length; i++) rgba.data[i * 4 + 3] = mask.data[i];
  return alphaOf(cropRgba(rgba, box));
}
void pasteGray;
