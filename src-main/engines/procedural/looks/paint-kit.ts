// Scene-level helpers several looks share: a complementary accent colour and slowly varying
// fields (wall mottling, floor warps) evaluated on a coarse grid.
import { hslToRgb, rgbToHsl, type Rgb } from '../../../imaging/colour';
import { coarseField } from '../../../imaging/noise';
import type { SceneCtx } from '../backdrop-paint';

export const hueOf = (c: Rgb) => rgbToHsl(c)[0];

/** Complementary accent at a given saturation/lightness (neutral products get `fallback`). */
export function accent(ctx: SceneCtx, fallback: number, s: number, l: number, rotate = 180): Rgb {
  const h = ctx.tone.hue === null ? fallback : ctx.tone.hue + rotate;
  return hslToRgb(h, s, l);
}

/** Low-frequency mottling field in [-1, 1] (cheap: evaluated on a coarse grid). */
export function mottle(ctx: SceneCtx, scale: number, step = 8, octaves = 3): Float32Array {
  const { w, h, n2 } = ctx;
  return coarseField(w, h, step, (x, y) => n2.fbm((x / h) * scale, (y / h) * scale, octaves) * 2 - 1);
}

/**
 * A smooth field over the floor's (u, v) coordinates, evaluated on a coarse screen grid and
 * interpolated: warps, mottling and cloudiness vary slowly, so per-pixel noise would be wasted.
 */
export function floorField(ctx: SceneCtx, step: number, fn: (u: number, v: number) => number): Float32Array {
  const { w, h, hz, ground } = ctx;
  const gd = ground - hz;
  return coarseField(w, h, step, (x, y) => {
    const v = gd / Math.max(0.5, y + 0.5 - hz);
    return y < hz ? 0 : fn(((x - w / 2) / h) * v, v);
  });
}
