// Text effects on a lettering layer: a fill colour or two-colour gradient that keeps the 3D shading
// (highlights stay light, shade stays dark), an outline, and a drop shadow. Pure pixel maths on
// straight-alpha RGBA, so step 3 on the server and the studio's canvas run the very same code and
// the canvas shows the pixels Apply will make. It lives in core/ because the renderer may import
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
    outline_width: z.number().min(0.005).max(0.05).default(0.02).describe('Outline width as a share of the layer height (0.005–0.05)'),
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

/** Bilinear resample with premultiplied alpha (no dark fringes); used for mild shrinks only. */
export function resampleRgba(src: RgbaPixels, w: number, h: number): RgbaPixels {
  const out = new Uint8ClampedArray(w * h * 4);
  const { width: W, height: H, data } = src;
  const sx = W / w;
  const sy = H / h;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(H - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(H - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(W - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(W - 1, x0 + 1);
      const tx = fx - x0;
      const wts = [(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty];
      const idx = [(y0 * W + x0) * 4, (y0 * W + x1) * 4, (y1 * W + x0) * 4, (y1 * W + x1) * 4];
      let a = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < 4; k++) {
        const al = data[idx[k] + 3] * wts[k];
        a += al;
        r += data[idx[k]] * al;
        g += data[idx[k] + 1] * al;
        b += data[idx[k] + 2] * al;
      }
      const o = (y * w + x) * 4;
      if (a > 0) {
        out[o] = r / a;
        out[o + 1] = g / a;
        out[o + 2] = b / a;
      }
      out[o + 3] = a;
    }
  }
  return { width: w, height: h, data: out };
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

/** Geometry of the effects on a W×H layer: the text shrinks so outline and shadow stay inside. */
export function effectsGeometry(W: number, H: number, fx: TextEffects) {
  const ow = fx.outline ? Math.max(1, Math.round(fx.outline_width * H)) : 0;
  const sh = fx.shadow > 0 ? Math.round(0.06 * H) : 0;
  const pad = ow + sh;
  const k = Math.max(0.1, Math.min((W - 2 * pad) / W, (H - 2 * pad) / H));
  const w = Math.max(1, Math.round(W * k));
  const h = Math.max(1, Math.round(H * k));
  // The shadow falls down-right, so the text sits a little up-left of centre.
  const x0 = Math.max(0, Math.round((W - w) / 2 - sh / 3));
  const y0 = Math.max(0, Math.round((H - h) / 2 - sh / 3));
  return { ow, sh, w, h, x0, y0 };
}

/**
 * The layer with the effects, the same size as the layer (so a box placed for the plain layer
 * holds the styled one). Layers without effects come back unchanged (the same object).
 */
export function applyTextEffects(layer: RgbaPixels, fx: TextEffects | null): RgbaPixels {
  if (!hasTextEffects(fx)) return layer;
  const { width: W, height: H } = layer;
  const { ow, sh, w, h, x0, y0 } = effectsGeometry(W, H, fx);
  const text = w === W && h === H ? { width: W, height: H, data: Uint8ClampedArray.from(layer.data) } : resampleRgba(layer, w, h);
  if (fx.fill) recolourRgba(text, fx.fill, fx.fill_to ?? fx.fill);

  // The text's coverage on the full canvas.
  const cover = new Float32Array(W * H);
  for (let y = 0; y < h; y++) {
    const yy = y + y0;
    if (yy >= H) break;
    for (let x = 0; x < w; x++) {
      const xx = x + x0;
      if (xx >= W) break;
      cover[yy * W + xx] = text.data[(y * w + x) * 4 + 3] / 255;
    }
  }
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
  for (let y = 0; y < h && y + y0 < H; y++) {
    for (let x = 0; x < w && x + x0 < W; x++) {
      const s = (y * w + x) * 4;
      const a = text.data[s + 3] / 255;
      if (a > 0) over(out, ((y + y0) * W + x + x0) * 4, text.data[s], text.data[s + 1], text.data[s + 2], a);
    }
  }
  return { width: W, height: H, data: out };
}
