// Text effects on a lettering layer: a fill colour or two-colour gradient that keeps the 3D shading
// (highlights stay light, shade stays dark), an outline, and a drop shadow. Pure pixel maths on
// straight-alpha RGBA, so step 3 on the server and the studio's canvas run the very same code and
// the canvas shows the pixels Apply will make. The styled layer is the plain one grown by a margin
// (effectsPadding): the text keeps its size and place, the outline and shadow reach past its box. It lives in core/ because the renderer may import
// only core/ (docs/adr/0002).
import { z } from 'zod';
import { distanceTransform } from './distance-transform';

const HEX = /^#[0-9a-fA-F]{6}$/;
const hex = (d: string) => z.string().regex(HEX, 'a colour as #rrggbb').describe(d);

export const TextEffectsSchema = z
  .object({
    fill: hex('Fill colour #rrggbb (the lettering keeps its light and shade), or null for its own colours').nullable().default(null),
    fill_to: hex('Second colour: a top-to-bottom gradient from fill to this (needs fill)').nullable().default(null),
    outline: hex('Outline colour #rrggbb, or null for none').nullable().default(null),
    outline_width: z
      .number()
      .min(0.005)
      .max(0.05)
      .default(0.02)
      .describe("Outline width as a share of the lettering layer's smaller side (0.005–0.05); outline and shadow reach past the text's box"),
    shadow: z.number().min(0).max(1).default(0).describe('Drop shadow strength 0–1 (0 = none)'),
  })
  .strict();
export type TextEffects = z.output<typeof TextEffectsSchema>;

export const NO_TEXT_EFFECTS: TextEffects = { fill: null, fill_to: null, outline: null, outline_width: 0.02, shadow: 0 };

export const hasTextEffects = (fx: TextEffects | null | undefined): fx is TextEffects => !!fx && (!!fx.fill || !!fx.outline || fx.shadow > 0);

/** A straight-alpha RGBA raster (Buffer, Uint8Array or a canvas's Uint8ClampedArray). */
export interface RgbaPixels {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

function rgbOf(hexColour: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hexColour);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [255, 255, 255];
}

/** Recolours in place keeping the shading: luma under mid-grey darkens the colour, above it lightens it. */
export function recolourRgba(img: RgbaPixels, top: string, bottom: string): void {
  const { data, width, height } = img;
  const c0 = rgbOf(top);
  const c1 = rgbOf(bottom);
  let lo = 255;
  let hi = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 128) continue;
    const l = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  const span = Math.max(1, hi - lo);
  for (let y = 0; y < height; y++) {
    const t = height > 1 ? y / (height - 1) : 0;
    const c = [0, 1, 2].map((k) => c0[k] + (c1[k] - c0[k]) * t);
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (data[i + 3] === 0) continue;
      // The lettering's own light and shade, stretched to 0..1 and centred on the chosen colour.
      const l = (0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] - lo) / span;
      for (let k = 0; k < 3; k++) {
        const v = l < 0.5 ? c[k] * (0.35 + 1.3 * l) : c[k] + (255 - c[k]) * (l - 0.5) * 1.2;
        data[i + k] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
}

/** Separable box blur of a float plane, `passes` times (three approximate a Gaussian). */
export function boxBlurPlane(src: Float32Array, w: number, h: number, radius: number, passes = 3): Float32Array {
  const a = Float32Array.from(src);
  if (radius < 1) return a;
  const b = new Float32Array(w * h);
  const r = Math.round(radius);
  const norm = 1 / (2 * r + 1);
  for (let p = 0; p < passes; p++) {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      let acc = 0;
      for (let k = -r; k <= r; k++) acc += a[row + Math.min(w - 1, Math.max(0, k))];
      for (let x = 0; x < w; x++) {
        b[row + x] = acc * norm;
        acc += a[row + Math.min(w - 1, x + r + 1)] - a[row + Math.max(0, x - r)];
      }
    }
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) acc += b[Math.min(h - 1, Math.max(0, k)) * w + x];
      for (let y = 0; y < h; y++) {
        a[y * w + x] = acc * norm;
        acc += b[Math.min(h - 1, y + r + 1) * w + x] - b[Math.max(0, y - r) * w + x];
      }
    }
  }
  return a;
}

/** Straight-alpha "over" of one pixel colour with coverage `a` (0..1) onto out at i. */
function over(out: Uint8ClampedArray, i: number, r: number, g: number, b: number, a: number): void {
  if (a <= 0) return;
  const da = out[i + 3] / 255;
  const oa = a + da * (1 - a);
  if (oa <= 0) return;
  out[i] = (r * a + out[i] * da * (1 - a)) / oa;
  out[i + 1] = (g * a + out[i + 1] * da * (1 - a)) / oa;
  out[i + 2] = (b * a + out[i + 2] * da * (1 - a)) / oa;
  out[i + 3] = oa * 255;
}

/**
 * Room the effects need on every side of a W×H layer, px. Sizes follow the layer's smaller side (a
 * line's height, or a stacked headline's width), so a vertical headline gets no fatter outline.
 */
export function effectsPadding(W: number, H: number, fx: TextEffects | null): { pad: number; ow: number; sh: number } {
  if (!hasTextEffects(fx)) return { pad: 0, ow: 0, sh: 0 };
  const unit = Math.min(W, H);
  const ow = fx.outline ? Math.max(1, Math.round(fx.outline_width * unit)) : 0;
  const sh = fx.shadow > 0 ? Math.max(2, Math.round(0.06 * unit)) : 0;
  // The shadow's offset (0.5 sh) plus its blur's visible reach (about two radii of 0.4 sh).
  return { pad: ow + Math.ceil(1.3 * sh), ow, sh };
}

/**
 * The layer with the effects, grown by effectsPadding on every side so nothing is cut and the text
 * keeps its size: a box placed for the plain layer holds the text exactly, and the outline and
 * shadow reach past it. Layers without effects come back unchanged (the same object).
 */
export function applyTextEffects(layer: RgbaPixels, fx: TextEffects | null): RgbaPixels {
  if (!hasTextEffects(fx)) return layer;
  const { width: w, height: h } = layer;
  const { pad, ow, sh } = effectsPadding(w, h, fx);
  const W = w + 2 * pad;
  const H = h + 2 * pad;
  const text: RgbaPixels = { width: w, height: h, data: Uint8ClampedArray.from(layer.data) };
  if (fx.fill) recolourRgba(text, fx.fill, fx.fill_to ?? fx.fill);

  // The text's coverage on the grown canvas.
  const cover = new Float32Array(W * H);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) cover[(y + pad) * W + x + pad] = text.data[(y * w + x) * 4 + 3] / 255;
  // Outline: coverage of the text grown by `ow`, antialiased over the last pixel.
  let shape = cover;
  if (ow > 0) {
    const inside = new Uint8Array(W * H);
    for (let i = 0; i < inside.length; i++) inside[i] = cover[i] >= 0.5 ? 1 : 0;
    const dist = distanceTransform(inside, W, H);
    shape = new Float32Array(W * H);
    for (let i = 0; i < shape.length; i++) shape[i] = Math.max(cover[i], Math.min(1, Math.max(0, ow + 0.5 - dist[i])));
  }

  const out = new Uint8ClampedArray(W * H * 4);
  if (sh > 0) {
    const blur = boxBlurPlane(shape, W, H, sh * 0.4);
    const dx = Math.round(sh * 0.35);
    const dy = Math.round(sh * 0.5);
    const strength = Math.min(1, fx.shadow);
    for (let y = dy; y < H; y++) {
      for (let x = dx; x < W; x++) {
        const a = blur[(y - dy) * W + (x - dx)] * strength;
        if (a > 0) over(out, (y * W + x) * 4, 0, 0, 0, a);
      }
    }
  }
  if (ow > 0 && fx.outline) {
    const [r, g, b] = rgbOf(fx.outline);
    for (let i = 0; i < shape.length; i++) if (shape[i] > 0) over(out, i * 4, r, g, b, shape[i]);
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 4;
      const a = text.data[s + 3] / 255;
      if (a > 0) over(out, ((y + pad) * W + x + pad) * 4, text.data[s], text.data[s + 1], text.data[s + 2], a);
    }
  }
  return { width: W, height: H, data: out };
}
