// Top / Center / Bottom keep the headline on the frame's vertical axis in every mode and format:
// the box may shrink or move up and down to clear the product (Overlay, Blend), or stay where the
// band puts it with the product in front (Behind), but it never slides sideways. Only `auto` may
// pick free space anywhere. Inputs are shaped like step 3's: a product placed by placeProduct
// (standing on the ground line, centred, 55 % of the height), a soft-edged mask, a scene behind it.
import { describe, expect, it } from 'vitest';
import { gradient, paintMask } from '../../test/ocr/render-text';
import { ASPECT_RATIOS, outputSize, type AspectRatio, type CompositionMode } from '../core/params';
import type { GrayImage, Rect, RgbaImage } from '../imaging/types';
import { BAND_HEIGHT, placeText, SAFE_MARGIN, type Placement, type Size } from './layout';
import { placeProduct, placeProductAt } from './placement';

type Shape = 'cup' | 'bottle' | 'box';

/** A cut-out's alpha at its own size: a cup with a handle on the right, a bottle with a neck, a box. */
function cutoutAlpha(shape: Shape): GrayImage {
  const [w, h] = shape === 'cup' ? [600, 520] : shape === 'bottle' ? [220, 700] : [500, 420];
  const data = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let on: boolean;
      if (shape === 'cup') {
        const body = x >= 20 && x < 470 && y >= 10 && y < h - 4;
        // The handle: a ring on the right side, two thirds up.
        const d = Math.hypot(x - 470, y - 230);
        on = body || (x >= 470 && d >= 60 && d <= 100);
      } else if (shape === 'bottle') on = y >= 200 ? x >= 10 && x < w - 10 : x >= 80 && x < w - 80;
      else on = x >= 4 && x < w - 4 && y >= 4 && y < h - 4;
      data[y * w + x] = on ? 255 : 0;
    }
  return { width: w, height: h, data };
}

/** The cut-out's alpha scaled (nearest) into the frame at `rect`, with a 2-px soft edge. */
function frameMask(frame: Size, cut: GrayImage, rect: Rect): GrayImage {
  const data = Buffer.alloc(frame.width * frame.height);
  for (let y = Math.max(0, rect.y); y < Math.min(frame.height, rect.y + rect.height); y++)
    for (let x = Math.max(0, rect.x); x < Math.min(frame.width, rect.x + rect.width); x++) {
      const sx = Math.min(cut.width - 1, Math.floor(((x - rect.x) * cut.width) / rect.width));
      const sy = Math.min(cut.height - 1, Math.floor(((y - rect.y) * cut.height) / rect.height));
      data[y * frame.width + x] = cut.data[sy * cut.width + sx];
    }
  // Soft edge: a pixel next to the silhouette gets a little alpha, as a matte's edge would.
  const soft = Buffer.from(data);
  for (let y = 1; y < frame.height - 1; y++)
    for (let x = 1; x < frame.width - 1; x++) {
      const i = y * frame.width + x;
      if (data[i]) continue;
      if (data[i - 1] || data[i + 1] || data[i - frame.width] || data[i + frame.width]) soft[i] = 40;
    }
  return { width: frame.width, height: frame.height, data: soft };
}

interface Scene {
  canvas: Size;
  mask: GrayImage;
  rect: Rect;
  background: RgbaImage;
}

/** The product as step 1 places it: centred on the ground line (or moved left by the designer). */
function scene(aspect: AspectRatio, shape: Shape, where: 'centre' | 'left' = 'centre'): Scene {
  const canvas = outputSize(aspect, 1024);
  const cut = cutoutAlpha(shape);
  const placed = placeProduct({
    productWidth: cut.width,
    productHeight: cut.height,
    frameWidth: canvas.width,
    frameHeight: canvas.height,
    groundY: Math.round(canvas.height * 0.86),
    productScale: 0.55,
  });
  const rect =
    where === 'centre'
      ? placed
      : placeProductAt(
          { x: canvas.width * 0.08, y: placed.y, width: placed.width },
          { productWidth: cut.width, productHeight: cut.height, frameWidth: canvas.width, frameHeight: canvas.height },
        );
  const mask = frameMask(canvas, cut, rect);
  const background = paintMask(gradient(canvas.width, canvas.height, [236, 230, 220], [190, 180, 168]), mask, [120, 70, 40]);
  return { canvas, mask, rect, background };
}

/** Headline layers as step 2 renders them: one wide line, two lines, a short stacked word. */
const LAYERS: Record<string, Size> = {
  'one line': { width: 1200, height: 220 },
  'two lines': { width: 900, height: 420 },
  stacked: { width: 520, height: 480 },
};
const MODES: CompositionMode[] = ['overlay', 'blend', 'behind'];
const BANDS = ['top', 'center', 'bottom'] as const;

function place(s: Scene, layer: Size, position: (typeof BANDS)[number], mode: CompositionMode): Placement {
  // The same call step 3 and the placement preview make.
  return placeText({
    canvas: s.canvas,
    layer,
    position,
    box: null,
    productMask: s.mask,
    background: s.background,
    layerLuma: 30,
    avoidProduct: mode !== 'behind',
  });
}

/** Product pixels (alpha >= 128) under the box. */
function productUnder(mask: GrayImage, p: Placement): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(p.y)); y < Math.min(mask.height, Math.ceil(p.y + p.height)); y++)
    for (let x = Math.max(0, Math.floor(p.x)); x < Math.min(mask.width, Math.ceil(p.x + p.width)); x++) if (mask.data[y * mask.width + x] >= 128) n++;
  return n;
}

const TOL = 2;

describe('top / center / bottom stay horizontally centred', () => {
  for (const aspect of ASPECT_RATIOS)
    for (const shape of ['cup', 'bottle', 'box'] as const)
      for (const where of ['centre', 'left'] as const)
        it(`${aspect}, ${shape} product ${where === 'centre' ? 'in the middle' : 'moved left'}: every band, mode and layer`, () => {
          const s = scene(aspect, shape, where);
          const { width: W, height: H } = s.canvas;
          for (const [name, layer] of Object.entries(LAYERS))
            for (const position of BANDS)
              for (const mode of MODES) {
                const p = place(s, layer, position, mode);
                const what = `${aspect} ${shape} ${where} ${name} ${position} ${mode}: ${JSON.stringify(p)}`;
                expect(Math.abs(p.x + p.width / 2 - W / 2), what).toBeLessThanOrEqual(TOL);
                // Inside the safe margins, aspect kept, in its own part of the frame.
                expect(p.x, what).toBeGreaterThanOrEqual(W * SAFE_MARGIN - 0.5);
                expect(p.y, what).toBeGreaterThanOrEqual(H * SAFE_MARGIN - 0.5);
                expect(p.y + p.height, what).toBeLessThanOrEqual(H * (1 - SAFE_MARGIN) + 0.5);
                expect(p.width / p.height, what).toBeCloseTo(layer.width / layer.height, 6);
                const cy = p.y + p.height / 2;
                if (position === 'top') expect(cy, what).toBeLessThanOrEqual(H / 2);
                if (position === 'bottom') expect(cy, what).toBeGreaterThanOrEqual(H / 2);
                if (position === 'center') {
                  expect(cy, what).toBeGreaterThanOrEqual(H / 3);
                  expect(cy, what).toBeLessThanOrEqual((2 * H) / 3);
                }
                if (mode === 'behind') {
                  // Behind: the band's own box, the product in front of it.
                  const fit = Math.min((W * (1 - 2 * SAFE_MARGIN)) / layer.width, (H * BAND_HEIGHT[position]) / layer.height);
                  expect(p.width, what).toBeCloseTo(layer.width * fit, 6);
                  if (position === 'center') expect(cy, what).toBeCloseTo(H / 2, 6);
                }
              }
        });
});

describe('Overlay and Blend still keep clear of the product where a centred box can', () => {
  it('the d02 walk: 1:1 at 1024, a cup in the middle, Center gives a centred box (was x=51, width 418)', () => {
    const s = scene('1:1', 'cup');
    for (const mode of ['overlay', 'blend'] as const) {
      const p = place(s, LAYERS['two lines'], 'center', mode);
      expect(Math.abs(p.x + p.width / 2 - 512)).toBeLessThanOrEqual(TOL);
      expect(p.x).toBeGreaterThan(51);
    }
  });

  it('top: the headline above the product, centred, for every format with headroom above the product', () => {
    for (const aspect of ASPECT_RATIOS)
      for (const shape of ['cup', 'box'] as const) {
        const s = scene(aspect, shape);
        const pad = Math.round(0.015 * Math.min(s.canvas.width, s.canvas.height));
        // Only where a readable centred box fits between the top margin and the product.
        if (s.rect.y - pad - s.canvas.height * SAFE_MARGIN < s.canvas.height * 0.06) continue;
        for (const mode of ['overlay', 'blend'] as const) {
          const p = place(s, LAYERS['one line'], 'top', mode);
          const what = `${aspect} ${shape} ${mode}: ${JSON.stringify(p)} product ${JSON.stringify(s.rect)}`;
          expect(productUnder(s.mask, p), what).toBe(0);
          expect(Math.abs(p.x + p.width / 2 - s.canvas.width / 2), what).toBeLessThanOrEqual(TOL);
        }
      }
  });

  it('bottom and center with a product moved aside: a clear, centred box (no product under it)', () => {
    // 16:9 and 1.91:1 leave the middle free when a narrow product stands at the left.
    for (const aspect of ['16:9', '1.91:1'] as const) {
      const s = scene(aspect, 'bottle', 'left');
      for (const position of ['center', 'bottom'] as const)
        for (const layer of ['two lines', 'stacked'] as const) {
          const p = place(s, LAYERS[layer], position, 'overlay');
          const what = `${aspect} ${position} ${layer}: ${JSON.stringify(p)} product ${JSON.stringify(s.rect)}`;
          expect(Math.abs(p.x + p.width / 2 - s.canvas.width / 2), what).toBeLessThanOrEqual(TOL);
          expect(productUnder(s.mask, p), what).toBe(0);
        }
    }
  });

  it('auto is still free to go beside the product', () => {
    const s = scene('16:9', 'box', 'left');
    const p = placeText({
      canvas: s.canvas,
      layer: LAYERS['stacked'],
      position: 'auto',
      box: null,
      productMask: s.mask,
      background: s.background,
      layerLuma: 30,
    });
    expect(productUnder(s.mask, p)).toBe(0);
  });
});
