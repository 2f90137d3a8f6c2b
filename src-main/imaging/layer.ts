// Operations on RGBA layers (the text layer, the cut-out): rotation about the centre with bilinear
// sampling in premultiplied space, trimming to the visible alpha, and mean brightness.
import { alphaBox, cropRgba } from './raster';
import type { RgbaImage } from './types';

/**
 * Rotates clockwise by `degrees` about the layer centre. The result is the rotated bounding box;
 * `dx, dy` is where its top-left sits relative to the unrotated layer's top-left, so the centre
 * stays put. Sampling is bilinear on premultiplied colour, then un-premultiplied.
 */
export function rotateLayer(layer: RgbaImage, degrees: number): { image: RgbaImage; dx: number; dy: number } {
  const norm = ((degrees % 360) + 360) % 360;
  if (norm === 0) return { image: layer, dx: 0, dy: 0 };
  const t = (norm * Math.PI) / 180;
  // Snap to exact values at right angles so 90° turns are lossless.
  const snap = (v: number) => (Math.abs(v) < 1e-12 ? 0 : Math.abs(Math.abs(v) - 1) < 1e-12 ? Math.sign(v) : v);
  const cos = snap(Math.cos(t)),
    sin = snap(Math.sin(t));
  const { width: sw, height: sh, data: src } = layer;
  const ow = Math.ceil(Math.abs(sw * cos) + Math.abs(sh * sin) - 1e-9);
  const oh = Math.ceil(Math.abs(sw * sin) + Math.abs(sh * cos) - 1e-9);
  const out = Buffer.alloc(ow * oh * 4);
  const scx = sw / 2,
    scy = sh / 2,
    ocx = ow / 2,
    ocy = oh / 2;
  const texel = (x: number, y: number, c: number) => {
    if (x < 0 || y < 0 || x >= sw || y >= sh) return 0;
    const i = (y * sw + x) * 4;
    // Premultiplied sample: colour weighted by its own alpha.
    return c === 3 ? src[i + 3] : (src[i + c] * src[i + 3]) / 255;
  };
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      // Inverse rotation of the output pixel centre into the source (pixel centres at +0.5).
      const u = ox + 0.5 - ocx,
        v = oy + 0.5 - ocy;
      const sx = u * cos + v * sin + scx - 0.5;
      const sy = -u * sin + v * cos + scy - 0.5;
      const x0 = Math.floor(sx),
        y0 = Math.floor(sy);
      if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) continue;
      const fx = sx - x0,
        fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy),
        w10 = fx * (1 - fy),
        w01 = (1 - fx) * fy,
        w11 = fx * fy;
      const a = w00 * texel(x0, y0, 3) + w10 * texel(x0 + 1, y0, 3) + w01 * texel(x0, y0 + 1, 3) + w11 * texel(x0 + 1, y0 + 1, 3);
      if (a <= 0.01) continue;
      const o = (oy * ow + ox) * 4;
      for (let c = 0; c < 3; c++) {
        const p = w00 * texel(x0, y0, c) + w10 * texel(x0 + 1, y0, c) + w01 * texel(x0, y0 + 1, c) + w11 * texel(x0 + 1, y0 + 1, c);
        out[o + c] = Math.min(255, Math.round((p * 255) / a));
      }
      out[o + 3] = Math.min(255, Math.round(a));
    }
  }
  return { image: { width: ow, height: oh, data: out }, dx: (sw - ow) / 2, dy: (sh - oh) / 2 };
}

/** Trims to the visible alpha; an empty layer becomes a single transparent pixel. */
export function trimToAlpha(image: RgbaImage): RgbaImage {
  const box = alphaBox(image);
  if (!box) return { width: 1, height: 1, data: Buffer.alloc(4) };
  if (box.width === image.width && box.height === image.height) return image;
  return cropRgba(image, box);
}

/** Alpha-weighted mean Rec. 709 luma of the visible pixels (128 for an empty layer). */
export function layerLuma(layer: RgbaImage): number {
  let sum = 0,
    wsum = 0;
  const d = layer.data;
  for (let p = 0; p < d.length; p += 4) {
    const a = d[p + 3];
    if (a === 0) continue;
    sum += a * (0.2126 * d[p] + 0.7152 * d[p + 1] + 0.0722 * d[p + 2]);
    wsum += a;
  }
  return wsum > 0 ? sum / wsum : 128;
}

/** The layer mirrored left–right (a new image). */
export function mirrorLayer(layer: RgbaImage): RgbaImage {
  const { width: w, height: h } = layer;
  const out = Buffer.alloc(layer.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 4,
        d = (y * w + (w - 1 - x)) * 4;
      out[d] = layer.data[s];
      out[d + 1] = layer.data[s + 1];
      out[d + 2] = layer.data[s + 2];
      out[d + 3] = layer.data[s + 3];
    }
  }
  return { width: w, height: h, data: out };
}
