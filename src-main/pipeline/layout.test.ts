import { describe, expect, it } from 'vitest';
import { bottleMask, gradient, paintMask, solid } from '../../test/ocr/render-text';
import { fitIntoBox, placeText, type Placement } from './layout';
import type { GrayImage, RgbaImage } from '../imaging/types';

const W = 640,
  H = 640;
const layer = { width: 600, height: 150 };

/** Mask pixels (>= 1) inside the placed box. */
function maskUnder(mask: GrayImage, p: Placement): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(p.y)); y < Math.min(mask.height, Math.ceil(p.y + p.height)); y++)
    for (let x = Math.max(0, Math.floor(p.x)); x < Math.min(mask.width, Math.ceil(p.x + p.width)); x++) if (mask.data[y * mask.width + x]) n++;
  return n;
}

const inside = (p: Placement) => p.x >= 0 && p.y >= 0 && p.x + p.width <= W + 1e-6 && p.y + p.height <= H + 1e-6;

/** Busy texture: high-contrast 4-px noise blocks (deterministic). */
function noisy(image: RgbaImage, y0: number, y1: number): RgbaImage {
  const data = Buffer.from(image.data);
  for (let y = y0; y < y1; y++)
    for (let x = 0; x < image.width; x++) {
      const v = ((Math.imul(((x >> 2) * 73856093) ^ ((y >> 2) * 19349663), 83492791) >>> 0) % 200) + 30;
      const p = (y * image.width + x) * 4;
      data[p] = data[p + 1] = data[p + 2] = v;
    }
  return { ...image, data };
}

describe('explicit box', () => {
  it('fits the layer into the box with its aspect kept, centred, rotation carried', () => {
    const p = fitIntoBox(layer, { x: 100, y: 50, width: 400, height: 200, rotation: 90 });
    expect(p.width).toBeCloseTo(400);
    expect(p.height).toBeCloseTo(100);
    expect(p.x + p.width / 2).toBeCloseTo(300);
    expect(p.y + p.height / 2).toBeCloseTo(150);
    expect(p.rotation).toBe(90);
    const q = placeText({
      canvas: { width: W, height: H },
      layer,
      position: 'auto',
      box: { x: 0, y: 0, width: 60, height: 60, rotation: 0 },
      productMask: null,
      background: solid(W, H, [0, 0, 0]),
    });
    expect(q.width).toBeCloseTo(60);
    expect(q.height).toBeCloseTo(15);
    expect(q.y).toBeCloseTo(22.5);
  });
});

describe('bands', () => {
  const bg = gradient(W, H, [230, 230, 240], [180, 180, 200]);

  it('top: full safe width, centred, on the top margin; bottom: on the bottom margin', () => {
    const top = placeText({ canvas: { width: W, height: H }, layer, position: 'top', box: null, productMask: null, background: bg });
    expect(top.width).toBeCloseTo(W * 0.9);
    expect(top.x + top.width / 2).toBeCloseTo(W / 2);
    expect(top.y).toBeCloseTo(H * 0.05);
    const bottom = placeText({ canvas: { width: W, height: H }, layer, position: 'bottom', box: null, productMask: null, background: bg });
    expect(bottom.y + bottom.height).toBeCloseTo(H * 0.95);
    const centre = placeText({ canvas: { width: W, height: H }, layer, position: 'center', box: null, productMask: null, background: bg });
    expect(centre.y + centre.height / 2).toBeCloseTo(H / 2);
  });

  it('top band shrinks above a product that reaches into it, staying centred', () => {
    // Tall product in the middle whose neck reaches up to 20% of the frame: room above it.
    const mask = bottleMask(W, H, W / 2, Math.round(H * 0.2), H - 20, 90);
    const p = placeText({
      canvas: { width: W, height: H },
      layer,
      position: 'top',
      box: null,
      productMask: mask,
      background: paintMask(bg, mask, [200, 30, 30]),
    });
    expect(maskUnder(mask, p)).toBe(0);
    expect(inside(p)).toBe(true);
    expect(p.x + p.width / 2).toBeCloseTo(W / 2);
    expect(p.y + p.height).toBeLessThanOrEqual(H * 0.2);
    // Still a usable headline, not a speck.
    expect(p.width).toBeGreaterThan(W * 0.3);
  });

  it('top band over a product reaching almost to the frame top stays centred (never slides sideways)', () => {
    // The neck reaches up to 8%: no centred box is clear, and the band does not leave the centre line.
    const mask = bottleMask(W, H, W / 2, Math.round(H * 0.08), H - 20, 90);
    const p = placeText({ canvas: { width: W, height: H }, layer, position: 'top', box: null, productMask: mask, background: bg });
    expect(inside(p)).toBe(true);
    expect(p.x + p.width / 2).toBeCloseTo(W / 2);
    expect(p.y + p.height / 2).toBeLessThanOrEqual(H / 2);
  });

  it("behind keeps the designer's band even where the product is (avoidProduct false)", () => {
    const mask = bottleMask(W, H, W / 2, Math.round(H * 0.08), H - 20, 90);
    const p = placeText({ canvas: { width: W, height: H }, layer, position: 'top', box: null, productMask: mask, background: bg, avoidProduct: false });
    expect(p.width).toBeCloseTo(W * 0.9);
    expect(maskUnder(mask, p)).toBeGreaterThan(0);
  });
});

describe('auto', () => {
  it('never covers a product standing bottom-centre: the headline goes above it', () => {
    const bg0 = gradient(W, H, [240, 236, 228], [200, 190, 175]);
    const mask = bottleMask(W, H, W / 2, Math.round(H * 0.4), H - 30, 110);
    const bg = paintMask(bg0, mask, [40, 90, 160]);
    const p = placeText({ canvas: { width: W, height: H }, layer, position: 'auto', box: null, productMask: mask, background: bg, layerLuma: 60 });
    expect(maskUnder(mask, p)).toBe(0);
    expect(inside(p)).toBe(true);
    expect(p.y + p.height).toBeLessThanOrEqual(H * 0.4);
    expect(p.candidates).toBeGreaterThan(100);
  });

  it('goes beside a product that fills the left half from top to bottom', () => {
    const mask: GrayImage = { width: W, height: H, data: Buffer.alloc(W * H) };
    for (let y = 0; y < H; y++) for (let x = 0; x < W * 0.5; x++) mask.data[y * W + x] = 255;
    const narrow = { width: 300, height: 120 };
    const p = placeText({
      canvas: { width: W, height: H },
      layer: narrow,
      position: 'auto',
      box: null,
      productMask: mask,
      background: solid(W, H, [220, 220, 220]),
    });
    expect(maskUnder(mask, p)).toBe(0);
    expect(p.x).toBeGreaterThanOrEqual(W * 0.5);
  });

  it('prefers a flat region over a busy texture, even against the top-zone preference', () => {
    const bg = noisy(solid(W, H, [200, 200, 205]), 0, H / 2);
    const p = placeText({ canvas: { width: W, height: H }, layer, position: 'auto', box: null, productMask: null, background: bg, layerLuma: 40 });
    expect(p.y).toBeGreaterThanOrEqual(H / 2);
  });

  it('prefers the region that contrasts with the text', () => {
    // Top half dark, bottom half light: dark text belongs at the bottom, light text at the top.
    const bg: RgbaImage = solid(W, H, [235, 235, 235]);
    for (let p = 0; p < (W * H) / 2; p++) bg.data[p * 4] = bg.data[p * 4 + 1] = bg.data[p * 4 + 2] = 25;
    const dark = placeText({ canvas: { width: W, height: H }, layer, position: 'auto', box: null, productMask: null, background: bg, layerLuma: 20 });
    const light = placeText({ canvas: { width: W, height: H }, layer, position: 'auto', box: null, productMask: null, background: bg, layerLuma: 240 });
    expect(dark.y).toBeGreaterThanOrEqual(H / 2);
    expect(light.y + light.height).toBeLessThanOrEqual(H / 2);
  });

  it('still returns a box inside the frame when the product leaves no free space', () => {
    const mask: GrayImage = { width: W, height: H, data: Buffer.alloc(W * H, 255) };
    const p = placeText({ canvas: { width: W, height: H }, layer, position: 'auto', box: null, productMask: mask, background: solid(W, H, [9, 9, 9]) });
    expect(inside(p)).toBe(true);
    expect(p.width).toBeGreaterThan(0);
  });
});

describe('band with little free room', () => {
  const bandFitHeight = Math.min((W * 0.9) / layer.width, (H * 0.24) / layer.height) * layer.height;

  it('bottom stays in the lower half: a smaller headline in the free strip under the product', () => {
    // A product standing on the ground, as step 1 places it: centred, 35 % to 84 % of the height.
    const mask: GrayImage = { width: W, height: H, data: Buffer.alloc(W * H) };
    for (let y = Math.round(H * 0.35); y < Math.round(H * 0.84); y++)
      for (let x = Math.round(W * 0.2); x < Math.round(W * 0.8); x++) mask.data[y * W + x] = 255;
    const bg = solid(W, H, [220, 220, 225]);
    const p = placeText({ canvas: { width: W, height: H }, layer, position: 'bottom', box: null, productMask: mask, background: bg });
    expect(maskUnder(mask, p)).toBe(0);
    expect(inside(p)).toBe(true);
    expect(p.y).toBeGreaterThanOrEqual(H * 0.84);
    const c = placeText({ canvas: { width: W, height: H }, layer, position: 'center', box: null, productMask: mask, background: bg });
    expect(c.y + c.height / 2).toBeGreaterThanOrEqual(H / 3);
    expect(c.y + c.height / 2).toBeLessThanOrEqual((2 * H) / 3);
  });

  it('bottom with no free room in the lower half keeps a readable size there instead of jumping to the top', () => {
    // Product from 30 % to 90 % of the height, leaving only 60-px slivers at the sides.
    const mask: GrayImage = { width: W, height: H, data: Buffer.alloc(W * H) };
    for (let y = Math.round(H * 0.3); y < Math.round(H * 0.9); y++) for (let x = 60; x < 580; x++) mask.data[y * W + x] = 255;
    const p = placeText({ canvas: { width: W, height: H }, layer, position: 'bottom', box: null, productMask: mask, background: solid(W, H, [220, 220, 225]) });
    expect(p.height).toBeGreaterThanOrEqual(0.55 * bandFitHeight - 1e-6);
    expect(p.y + p.height / 2).toBeGreaterThanOrEqual(H / 2);
    expect(inside(p)).toBe(true);
  });

  it('slides within its half to the nearest free region', () => {
    // A product in the bottom band only (70 % to 95 %): the headline sits just above it, still low.
    const mask: GrayImage = { width: W, height: H, data: Buffer.alloc(W * H) };
    for (let y = Math.round(H * 0.7); y < Math.round(H * 0.95); y++) for (let x = 60; x < 580; x++) mask.data[y * W + x] = 255;
    const p = placeText({ canvas: { width: W, height: H }, layer, position: 'bottom', box: null, productMask: mask, background: solid(W, H, [220, 220, 225]) });
    expect(maskUnder(mask, p)).toBe(0);
    expect(p.height).toBeGreaterThanOrEqual(0.55 * bandFitHeight - 1e-6);
    expect(p.y + p.height).toBeLessThanOrEqual(H * 0.7);
    expect(p.y + p.height / 2).toBeGreaterThanOrEqual(H / 2);
  });
});
