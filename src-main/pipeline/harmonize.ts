// Colour and light harmonization of the placed product's RIM only. Interior pixels are never
// touched (labels stay sharp and exact); within a few pixels of the silhouette:
//   - light wrap: the blurred scene behind bleeds over the edge (screen + a little colour cast),
//     as a real lens and real bounce light do;
//   - key-light tint: edges that face the light pick up the light's colour and brightness.
// `strength` (0..1) scales both; 0 leaves the image unchanged.
import { blurPlane } from '../imaging/filters';
import { boundsOf, clamp255 } from '../imaging/raster';
import type { GrayImage, RgbaImage } from '../imaging/types';

export interface HarmonizeOptions {
  lightDir: { x: number; y: number };
  /** sRGB 0..1. */
  lightColor: [number, number, number];
  strength: number;
  /** Frame height / 1024. */
  scale: number;
}

/** Gaussian sigma of the rim at this scale; the rim reaches about 3 sigma into the product. */
export const rimSigma = (scale: number) => 2.5 * scale + 0.5;

/**
 * Rim band width in px inside the silhouette that harmonization may change (beyond it pixels are
 * bit-exact). Three box passes of radius r reach 3r; r is about sigma*1.05 for sigma ≥ 1.
 */
export const rimReach = (scale: number) => Math.ceil(3 * (rimSigma(scale) * 1.1 + 1));

/**
 * Harmonizes `img` (the composite, product already pasted) in place. `backdrop` is the scene
 * without the product (with shadows), `mask` the placed product alpha, both full canvas.
 */
export function harmonizeRim(img: RgbaImage, backdrop: RgbaImage, mask: GrayImage, opts: HarmonizeOptions): RgbaImage {
  const strength = Math.min(1, Math.max(0, opts.strength));
  if (strength === 0) return img;
  const box = boundsOf(mask, 0);
  if (!box) return img;
  const W = img.width;
  const H = img.height;
  const sig = rimSigma(opts.scale);
  const bgSig = 7 * opts.scale + 1;
  const pad = Math.ceil(bgSig * 3.5 + sig * 3.5);
  const x0 = Math.max(0, box.x - pad);
  const y0 = Math.max(0, box.y - pad);
  const x1 = Math.min(W, box.x + box.width + pad);
  const y1 = Math.min(H, box.y + box.height + pad);
  const w = x1 - x0;
  const h = y1 - y0;
  const n = w * h;
  // Outside-ness near each pixel: blurred (1 - alpha).
  const outside = new Float32Array(n);
  // Scene colour around the product, with the product itself left out (normalised by coverage).
  const bg = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const gi = (y + y0) * W + x + x0;
      const o = 1 - mask.data[gi] / 255;
      outside[i] = o;
      for (let c = 0; c < 3; c++) bg[c][i] = backdrop.data[gi * 4 + c] * o;
    }
  }
  const cover = Float32Array.from(outside);
  blurPlane(outside, w, h, sig);
  blurPlane(cover, w, h, bgSig);
  for (const p of bg) blurPlane(p, w, h, bgSig);
  const toLight = { x: -opts.lightDir.x, y: -opts.lightDir.y };
  const lc = opts.lightColor;
  const lm = Math.max(lc[0], lc[1], lc[2]) || 1;
  const d = img.data;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gi = (y + y0) * W + x + x0;
      const a = mask.data[gi] / 255;
      const o = outside[i];
      if (a === 0 || o < 0.004) continue;
      const wrap = a * Math.min(1, o * 2) * strength;
      // Outward normal of the silhouette = gradient of outside-ness; facing the light → lit rim.
      const gx = outside[i + 1] - outside[i - 1];
      const gy = outside[i + w] - outside[i - w];
      const gl = Math.hypot(gx, gy) || 1;
      const facing = Math.max(0, (gx * toLight.x + gy * toLight.y) / gl);
      const cov = cover[i] > 0.02 ? 1 / cover[i] : 0;
      for (let c = 0; c < 3; c++) {
        const p = d[gi * 4 + c] / 255;
        const b = Math.min(1, (bg[c][i] * cov) / 255);
        // Light wrap: screen the scene over the edge, plus a small colour cast toward it.
        let v = p + (1 - (1 - p) * (1 - b) - p) * wrap * 0.45;
        v += (b - v) * wrap * 0.18;
        // Key light on the rim facing it.
        const lit = facing * wrap * 0.5;
        v += (Math.min(1, v * 1.25) * (lc[c] / lm) - v) * lit;
        d[gi * 4 + c] = clamp255(v * 255);
      }
    }
  }
  return img;
}
