// Drawing primitives for the procedural backdrop over a float RGB image (planar, sRGB 0..1):
// region fills with per-pixel shaders, a perspective floor, soft discs (bokeh, suns, lamps) and
// glowing polylines (neon). Float planes keep blending and blurring free of banding.
import type { ValueNoise } from '../../imaging/noise';
import type { ProductTone } from './backdrop-palette';
import type { Rgb } from '../../imaging/colour';

export interface FloatRgb {
  width: number;
  height: number;
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
}

export function createFloatRgb(width: number, height: number): FloatRgb {
  const n = width * height;
  return { width, height, r: new Float32Array(n), g: new Float32Array(n), b: new Float32Array(n) };
}

/** What a look's painter knows about the frame. Lengths are in pixels unless said otherwise. */
export interface SceneCtx {
  w: number;
  h: number;
  /** Horizon (wall/floor boundary), px. */
  hz: number;
  /** Ground line: where the product's base will stand, px. */
  ground: number;
  /** Side the key light comes from: -1 left, +1 right. */
  side: -1 | 1;
  n1: ValueNoise;
  n2: ValueNoise;
  rng: () => number;
  tone: ProductTone;
  /**
   * Shading step for the far wall (1 or 2 px): where depth blur will soften the wall anyway,
   * shaders run on every other pixel and row, which halves the backdrop's cost.
   */
  wallStep: 1 | 2;
}

export const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
export const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
export const fract = (v: number) => v - Math.floor(v);
export function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
}

/** Integer hash → [0, 1): per-tile / per-plank randomness without storing tables. */
export function hash2(i: number, j: number, seed = 0): number {
  let h = (Math.imul(i, 374761393) + Math.imul(j, 668265263) + Math.imul(seed, 982451653)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Sets out to a colour scaled by k. */
export function setRgb(out: Float32Array, c: Rgb, k = 1): void {
  out[0] = c[0] * k;
  out[1] = c[1] * k;
  out[2] = c[2] * k;
}

/** Sets out to mix(a, b, t) * k. */
export function mixRgb(out: Float32Array, a: Rgb, b: Rgb, t: number, k = 1): void {
  out[0] = (a[0] + (b[0] - a[0]) * t) * k;
  out[1] = (a[1] + (b[1] - a[1]) * t) * k;
  out[2] = (a[2] + (b[2] - a[2]) * t) * k;
}

/**
 * Wall shader over rows [y0, y1): fn gets pixel x, y, the centred lateral coordinate ax (in
 * frame heights) and Y = y / h, and writes RGB into `o`.
 */
export type WallShader = (x: number, y: number, ax: number, Y: number, o: Float32Array) => void;

export function paintRows(img: FloatRgb, y0: number, y1: number, fn: WallShader, step: 1 | 2 = 1): void {
  const { width: w, height: h } = img;
  const o = new Float32Array(3);
  const a = Math.max(0, Math.floor(y0));
  const b = Math.min(h, Math.ceil(y1));
  for (let y = a; y < b; y += step) {
    const Y = y / h;
    for (let x = 0; x < w; x += step) {
      fn(x, y, (x - w / 2) / h, Y, o);
      fillBlock(img, x, y, step, b, o);
    }
  }
}

/** Writes o into the step×step block at (x, y), clipped to the image width and to rows < yEnd. */
function fillBlock(img: FloatRgb, x: number, y: number, step: number, yEnd: number, o: Float32Array): void {
  const w = img.width;
  for (let dy = 0; dy < step && y + dy < yEnd; dy++) {
    for (let dx = 0; dx < step && x + dx < w; dx++) {
      const i = (y + dy) * w + x + dx;
      img.r[i] = o[0];
      img.g[i] = o[1];
      img.b[i] = o[2];
    }
  }
}

/**
 * Floor shader below the horizon in perspective: u is the lateral and v the depth coordinate on
 * the ground plane, both scaled so that 1 unit = 1 frame height at the ground line (v = 1 there,
 * v < 1 nearer the camera, v → ∞ at the horizon). Y = y / h for screen-space effects.
 */
export type FloorShader = (u: number, v: number, Y: number, o: Float32Array, x: number, y: number) => void;

export function paintFloor(img: FloatRgb, ctx: SceneCtx, fn: FloorShader): void {
  const { width: w, height: h } = img;
  const o = new Float32Array(3);
  const gd = ctx.ground - ctx.hz;
  // The far half of the floor (toward the horizon) is depth-blurred later: shade it at half resolution.
  const coarseEnd = ctx.hz + gd * 0.45;
  for (let y = Math.max(0, Math.floor(ctx.hz)); y < h;) {
    const step = ctx.wallStep === 2 && y < coarseEnd ? 2 : 1;
    const v = gd / Math.max(0.5, y + 0.5 - ctx.hz);
    const Y = y / h;
    for (let x = 0; x < w; x += step) {
      const u = ((x - w / 2) / h) * v;
      fn(u, v, Y, o, x, y);
      fillBlock(img, x, y, step, h, o);
    }
    y += step;
  }
}

export type BlendMode = 'over' | 'add' | 'screen' | 'multiply';

function blendPixel(img: FloatRgb, i: number, c: Rgb, a: number, mode: BlendMode): void {
  if (mode === 'add') {
    img.r[i] += c[0] * a;
    img.g[i] += c[1] * a;
    img.b[i] += c[2] * a;
  } else if (mode === 'screen') {
    img.r[i] = 1 - (1 - img.r[i]) * (1 - c[0] * a);
    img.g[i] = 1 - (1 - img.g[i]) * (1 - c[1] * a);
    img.b[i] = 1 - (1 - img.b[i]) * (1 - c[2] * a);
  } else if (mode === 'multiply') {
    img.r[i] *= 1 - a + c[0] * a;
    img.g[i] *= 1 - a + c[1] * a;
    img.b[i] *= 1 - a + c[2] * a;
  } else {
    img.r[i] += (c[0] - img.r[i]) * a;
    img.g[i] += (c[1] - img.g[i]) * a;
    img.b[i] += (c[2] - img.b[i]) * a;
  }
}

/**
 * A disc of radius r with a soft edge: full `alpha` inside r * hardness, falling smoothly to 0 at r.
 * hardness 0 gives a gaussian-like glow, 0.9 a crisp bokeh ball.
 */
export function softDisc(
  img: FloatRgb,
  cx: number,
  cy: number,
  r: number,
  c: Rgb,
  alpha: number,
  hardness = 0.7,
  mode: BlendMode = 'over',
  yMax = img.height,
): void {
  const x0 = Math.max(0, Math.floor(cx - r));
  const x1 = Math.min(img.width - 1, Math.ceil(cx + r));
  const y0 = Math.max(0, Math.floor(cy - r));
  const y1 = Math.min(Math.min(img.height, yMax) - 1, Math.ceil(cy + r));
  const inner = r * hardness;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      if (d >= r) continue;
      const a = alpha * (d <= inner ? 1 : 1 - smoothstep(inner, r, d));
      blendPixel(img, y * img.width + x, c, a, mode);
    }
  }
}

/** Axis-aligned rectangle with an optional soft edge of `soft` px. */
export function fillRect(img: FloatRgb, x0: number, y0: number, x1: number, y1: number, c: Rgb, alpha: number, mode: BlendMode = 'over', soft = 0): void {
  const xa = Math.max(0, Math.floor(x0 - soft));
  const xb = Math.min(img.width, Math.ceil(x1 + soft));
  const ya = Math.max(0, Math.floor(y0 - soft));
  const yb = Math.min(img.height, Math.ceil(y1 + soft));
  for (let y = ya; y < yb; y++) {
    const fy = soft > 0 ? clamp01(Math.min(y + 0.5 - y0 + soft, y1 - y - 0.5 + soft) / (2 * soft)) : 1;
    for (let x = xa; x < xb; x++) {
      const fx = soft > 0 ? clamp01(Math.min(x + 0.5 - x0 + soft, x1 - x - 0.5 + soft) / (2 * soft)) : 1;
      const a = alpha * fx * fy;
      if (a > 0) blendPixel(img, y * img.width + x, c, a, mode);
    }
  }
}

function segDist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp01(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/**
 * A neon tube along a polyline: a near-white core of half-width `core` and a coloured glow that
 * falls off exponentially over `glow` px, added onto the image.
 */
export function neonPolyline(img: FloatRgb, pts: [number, number][], c: Rgb, core: number, glow: number, intensity = 1): void {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  const reach = core + glow * 4;
  const xa = Math.max(0, Math.floor(x0 - reach));
  const xb = Math.min(img.width - 1, Math.ceil(x1 + reach));
  const ya = Math.max(0, Math.floor(y0 - reach));
  const yb = Math.min(img.height - 1, Math.ceil(y1 + reach));
  const white: Rgb = [1, 1, 1];
  const coreCol: Rgb = [c[0] * 0.35 + 0.65, c[1] * 0.35 + 0.65, c[2] * 0.35 + 0.65];
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      let d = Infinity;
      for (let k = 0; k + 1 < pts.length; k++) d = Math.min(d, segDist(x + 0.5, y + 0.5, pts[k][0], pts[k][1], pts[k + 1][0], pts[k + 1][1]));
      if (d > reach) continue;
      const i = y * img.width + x;
      const g = Math.exp(-Math.max(0, d - core) / glow) * 0.55 * intensity;
      blendPixel(img, i, c, g, 'add');
      if (d < core + 1) blendPixel(img, i, d < core ? coreCol : white, (1 - smoothstep(core - 1, core + 1, d)) * intensity, 'over');
    }
  }
}

/** A neon ring (analytic distance, so large rings stay cheap); same look as neonPolyline. */
export function neonRing(img: FloatRgb, cx: number, cy: number, radius: number, c: Rgb, core: number, glow: number, intensity = 1): void {
  const reach = core + glow * 4;
  const xa = Math.max(0, Math.floor(cx - radius - reach));
  const xb = Math.min(img.width - 1, Math.ceil(cx + radius + reach));
  const ya = Math.max(0, Math.floor(cy - radius - reach));
  const yb = Math.min(img.height - 1, Math.ceil(cy + radius + reach));
  const white: Rgb = [1, 1, 1];
  const coreCol: Rgb = [c[0] * 0.35 + 0.65, c[1] * 0.35 + 0.65, c[2] * 0.35 + 0.65];
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      const d = Math.abs(Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - radius);
      if (d > reach) continue;
      const i = y * img.width + x;
      blendPixel(img, i, c, Math.exp(-Math.max(0, d - core) / glow) * 0.55 * intensity, 'add');
      if (d < core + 1) blendPixel(img, i, d < core ? coreCol : white, (1 - smoothstep(core - 1, core + 1, d)) * intensity, 'over');
    }
  }
}
