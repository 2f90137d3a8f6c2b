// The procedural looks: for each, the set's geometry (horizon, ground line), its light, and a
// painter that draws wall and floor textures before the shared post-process (reflection, depth
// blur, light falloff, vignette, grain) in backdrop.ts. Colours are sRGB 0..1.
import { coarseField } from '../../imaging/noise';
import type { LookId } from './backdrop-looks';
import { complementTint } from './backdrop-palette';
import { hslToRgb, mix, rgbToHsl, type Rgb } from '../../imaging/colour';
import {
  clamp01,
  fillRect,
  fract,
  hash2,
  lerp,
  mixRgb,
  neonPolyline,
  neonRing,
  paintFloor,
  paintRows,
  setRgb,
  smoothstep,
  softDisc,
  type FloatRgb,
  type SceneCtx,
} from './backdrop-paint';

export interface LookDef {
  /** Wall/floor boundary as a share of the frame height. */
  horizon: number;
  /** Ground line (product base) as a share of the frame height. */
  ground: number;
  /** Side the key light comes from by default: -1 left, +1 right. */
  side: -1 | 1;
  /** Height of the key light: 0 grazing (long shadows) .. 1 overhead (short shadows). */
  elevation: number;
  /**
   * Cast shadow: opacity 0..1 and softness (blur multiplier). Hard sun (beach, sunset) casts a
   * strong, crisp shadow; a diffuse studio or overcast light a faint, soft one.
   */
  shadow: { opacity: number; softness: number };
  /** The key light is behind the set (a low sun): the cast shadow falls toward the camera. */
  backLit?: boolean;
  lightColor: Rgb;
  /** Floor reflectivity 0..1 (mirror of the wall, strongest at grazing angles). */
  reflect: number;
  /** Depth blur of the far background, gaussian sigma in px at a 1024-px-high frame. */
  wallBlur: number;
  vignette: number;
  /** Brightness difference between the lit and the unlit side of the frame. */
  sideLight: number;
  /** Brightening of the wall behind the product by the key light's spill (0 for skies, neon). */
  wallGlow: number;
  /** No visible horizon: wall and floor are one continuous surface (sweep, drape). */
  sweep?: boolean;
  paint(ctx: SceneCtx, img: FloatRgb): void;
}

const hueOf = (c: Rgb) => rgbToHsl(c)[0];

/** Complementary accent at a given saturation/lightness (neutral products get `fallback`). */
function accent(ctx: SceneCtx, fallback: number, s: number, l: number, rotate = 180): Rgb {
  const h = ctx.tone.hue === null ? fallback : ctx.tone.hue + rotate;
  return hslToRgb(h, s, l);
}

/** Low-frequency mottling field in [-1, 1] (cheap: evaluated on a coarse grid). */
function mottle(ctx: SceneCtx, scale: number, step = 8, octaves = 3): Float32Array {
  const { w, h, n2 } = ctx;
  const f = coarseField(w, h, step, (x, y) => n2.fbm((x / h) * scale, (y / h) * scale, octaves) * 2 - 1);
  return f;
}

/**
 * A smooth field over the floor's (u, v) coordinates, evaluated on a coarse screen grid and
 * interpolated: warps, mottling and cloudiness vary slowly, so per-pixel noise would be wasted.
 */
function floorField(ctx: SceneCtx, step: number, fn: (u: number, v: number) => number): Float32Array {
  const { w, h, hz, ground } = ctx;
  const gd = ground - hz;
  return coarseField(w, h, step, (x, y) => {
    const v = gd / Math.max(0.5, y + 0.5 - hz);
    return y < hz ? 0 : fn(((x - w / 2) / h) * v, v);
  });
}

const studio: LookDef = {
  horizon: 0.6,
  ground: 0.86,
  side: -1,
  elevation: 0.75,
  shadow: { opacity: 0.5, softness: 1.6 },
  lightColor: [1, 0.97, 0.92],
  reflect: 0,
  wallBlur: 2,
  vignette: 0.28,
  wallGlow: 0,
  sideLight: 0.1,
  sweep: true,
  paint(ctx, img) {
    const base = complementTint(ctx.tone, 30, 0.16, 0.84);
    const hzF = ctx.hz / ctx.h;
    const m = mottle(ctx, 3);
    const poolX = -ctx.side * 0.1 * (ctx.w / ctx.h);
    paintRows(img, 0, ctx.h, (x, y, ax, Y, o) => {
      // A seamless sweep: darker high on the wall, brightest at the bend, falling off toward the camera.
      let k = Y < hzF ? 0.74 + 0.26 * smoothstep(0, 1, Y / hzF) : 1 - 0.12 * ((Y - hzF) / (1 - hzF));
      const dx = ax - poolX;
      const dy = Y - 0.5;
      k += 0.14 * Math.exp(-(dx * dx + dy * dy * 1.6) / 0.09);
      k *= 1 + 0.012 * m[y * ctx.w + x];
      setRgb(o, base, k);
    });
  },
};

const marble: LookDef = {
  horizon: 0.58,
  ground: 0.86,
  side: 1,
  elevation: 0.7,
  shadow: { opacity: 0.6, softness: 1.1 },
  lightColor: [1, 0.98, 0.95],
  reflect: 0.2,
  wallBlur: 7,
  vignette: 0.3,
  wallGlow: 0.12,
  sideLight: 0.12,
  paint(ctx, img) {
    const wall = mix([0.86, 0.83, 0.79], complementTint(ctx.tone, 30, 0.2, 0.78), 0.45);
    const m = mottle(ctx, 2);
    paintRows(img, 0, ctx.hz, (x, y, _ax, Y, o) => setRgb(o, wall, (0.9 + 0.1 * (Y / 0.6)) * (1 + 0.02 * m[y * ctx.w + x])), ctx.wallStep);
    // Wainscot moulding line a little above the floor sells the room scale.
    fillRect(img, 0, ctx.hz - ctx.h * 0.075, ctx.w, ctx.hz - ctx.h * 0.07, [0.96, 0.95, 0.93], 0.7);
    const { n1, n2 } = ctx;
    const white: Rgb = [0.95, 0.945, 0.93];
    const vein: Rgb = [0.36, 0.37, 0.4];
    // Veins run along the ridges (level 0.5) of a domain-warped fractal field, stretched along a
    // diagonal as stone veins are. Smooth octaves make the course, two finer warped octaves make
    // the ridges wander and branch. A ridge's screen width follows the field's gradient and the
    // floor's perspective, so lines thicken and thin on their own.
    const warpU = floorField(ctx, 4, (u, v) => n2.fbm(u * 0.45 + 5, v * 0.45, 3) - 0.5);
    const lowA = floorField(ctx, 4, (u, v) => n1.fbm(u * 1.1 + v * 0.6, (v * 1.1 - u * 0.6) * 1.6, 3));
    const lowB = floorField(ctx, 4, (u, v) => n2.fbm((u * 1.6 - v * 0.5) * 2.2 + 20, (v * 1.6 + u * 0.5) * 1.3, 3));
    // Opacity along the veins: they surface, fade out and return, never an even contour line.
    const showA = floorField(ctx, 4, (u, v) => smoothstep(0.3, 0.6, n1.fbm(u * 0.9 + 31, v * 0.9, 2)));
    const showB = floorField(ctx, 4, (u, v) => smoothstep(0.35, 0.65, n2.fbm(u * 1.3 + 47, v * 1.3, 2)));
    // Soft grey clouding drifting along the main veins, and the stone's faint overall mottling.
    const cloudF = floorField(ctx, 4, (u, v) => (n2.fbm(u * 2 + 3, v * 2, 3) - 0.5) * 0.06);
    // The fine octaves on a 2-px grid (bilinear is exact enough at their wavelength of ≥ 50 px),
    // warped by the same coarse field: per-pixel work is then only the ridge shaping below.
    const warped = (fn: (wu: number, wv: number) => number) =>
      floorField(ctx, 2, (u, v) => fn(u + (n2.fbm(u * 0.45 + 5, v * 0.45, 2) - 0.5) * 1.3, v + (n2.fbm(u * 0.45, v * 0.45 + 9, 2) - 0.5) * 1.3));
    const fineA = warped((wu, wv) => (n1.fbm(wu * 5 + 3, wv * 5, 2) - 0.5) * 0.1);
    const fineB = warped((wu, wv) => (n1.fbm(wu * 7 + 11, wv * 7, 2) - 0.5) * 0.05);
    paintFloor(img, ctx, (_u, _v, _Y, o, x, y) => {
      const i = y * ctx.w + x;
      // Main veins: thin dark core inside a soft, wide grey halo. Two level sets of one field give
      // roughly parallel veins that merge and part, as in Carrara.
      const fa = lowA[i] + fineA[i];
      const ra = Math.min(Math.abs(fa - 0.5), Math.abs(fa - 0.36) * 1.4);
      const coreA = Math.exp(-(ra * ra) / 0.00002);
      const haloA = Math.exp(-(ra * ra) / 0.0016);
      // Hairline veins: finer, fainter, crossing the main ones at an angle (the branching).
      const fb = lowB[i] + fineB[i];
      const rb = Math.abs(fb - 0.5);
      const coreB = Math.exp(-(rb * rb) / 0.000014);
      const haloB = Math.exp(-(rb * rb) / 0.0003);
      const a = (coreA * 0.5 + haloA * 0.22) * showA[i];
      const b = (coreB * 0.2 + haloB * 0.08) * showB[i];
      const t = 1 - (1 - a) * (1 - b);
      mixRgb(o, white, vein, clamp01(t), 1 + cloudF[i] + warpU[i] * 0.03);
    });
  },
};

const wood: LookDef = {
  horizon: 0.58,
  ground: 0.86,
  side: -1,
  elevation: 0.65,
  shadow: { opacity: 0.7, softness: 1.0 },
  lightColor: [1, 0.9, 0.78],
  reflect: 0.08,
  wallBlur: 7,
  vignette: 0.32,
  wallGlow: 0.14,
  sideLight: 0.14,
  paint(ctx, img) {
    const wall = mix([0.88, 0.84, 0.76], complementTint(ctx.tone, 90, 0.16, 0.74), 0.5);
    const m = mottle(ctx, 2.5);
    paintRows(img, 0, ctx.hz, (x, y, _ax, Y, o) => setRgb(o, wall, (0.86 + 0.14 * (Y / 0.58)) * (1 + 0.025 * m[y * ctx.w + x])), ctx.wallStep);
    const { n1 } = ctx;
    const dark: Rgb = [0.42, 0.26, 0.15];
    const light: Rgb = [0.72, 0.52, 0.33];
    const plankW = 0.16;
    const plankL = 1.3;
    const grainWarp = floorField(ctx, 3, (u, v) => n1.fbm(u * 6, v * 0.8, 3));
    paintFloor(img, ctx, (u, v, _Y, o, x, y) => {
      const pu = u / plankW;
      const idx = Math.floor(pu);
      const off = hash2(idx, 7) * plankL;
      const row = Math.floor((v + off) / plankL);
      const tone = hash2(idx, row, 3);
      const fu = pu - idx;
      const fv = (v + off) / plankL - row;
      // Grain runs along the plank: stripes across u, warped by noise stretched along v.
      const g = Math.sin(u * 70 + (grainWarp[y * ctx.w + x] + hash2(idx, row, 4)) * 9);
      const t = clamp01(0.45 + 0.25 * g + (tone - 0.5) * 0.5);
      const seam = Math.min(fu, 1 - fu) < 0.02 || Math.min(fv, 1 - fv) * plankL < 0.006 ? 0.55 : 1;
      mixRgb(o, dark, light, t, seam);
    });
  },
};

const concrete: LookDef = {
  horizon: 0.6,
  ground: 0.86,
  side: -1,
  elevation: 0.75,
  shadow: { opacity: 0.6, softness: 1.2 },
  lightColor: [0.97, 0.98, 1],
  reflect: 0.07,
  wallBlur: 5,
  vignette: 0.34,
  wallGlow: 0.12,
  sideLight: 0.16,
  paint(ctx, img) {
    const base = mix([0.62, 0.62, 0.61], complementTint(ctx.tone, 210, 0.08, 0.62), 0.3);
    const m = mottle(ctx, 4, 6, 4);
    const { n1, w, h } = ctx;
    const panelW = h * 0.42;
    const panelH = h * 0.21;
    paintRows(img, 0, ctx.hz, (x, y, _ax, _Y, o) => {
      const px = (x - w / 2) / panelW + 0.5;
      const py = y / panelH;
      const sx = Math.min(fract(px), 1 - fract(px)) * panelW;
      const sy = Math.min(fract(py), 1 - fract(py)) * panelH;
      const seam = sx < 1.5 || sy < 1.5 ? 0.78 : 1;
      const speck = (n1.noise(x * 0.45, y * 0.45) - 0.5) * 0.07;
      setRgb(o, base, (0.95 + 0.08 * m[y * w + x] + speck) * seam * (0.96 + (hash2(Math.floor(px), Math.floor(py), 9) - 0.5) * 0.06));
    }, ctx.wallStep);
    // Form-tie holes at the panel thirds, as in cast-in-place concrete.
    for (let py = 0; py * panelH < ctx.hz; py++) {
      for (let px = -3; px <= 3; px++) {
        for (const fx of [0.25, 0.75]) {
          for (const fy of [0.3, 0.7]) {
            const cx = w / 2 + (px - 0.5 + fx) * panelW;
            const cy = (py + fy) * panelH;
            if (cy < ctx.hz - 4) softDisc(img, cx, cy, h * 0.008, [0.3, 0.3, 0.3], 0.6, 0.6, 'multiply');
          }
        }
      }
    }
    const mottleF = floorField(ctx, 4, (u, v) => n1.fbm(u * 3, v * 3, 3) - 0.5);
    paintFloor(img, ctx, (_u, _v, _Y, o, x, y) => {
      const mm = mottleF[y * w + x];
      const speck = (n1.noise(x * 0.5 + 100, y * 0.5) - 0.5) * 0.06;
      setRgb(o, base, 0.9 + mm * 0.22 + speck);
    });
  },
};

const pastel: LookDef = {
  horizon: 0.64,
  ground: 0.87,
  side: 1,
  elevation: 0.7,
  shadow: { opacity: 0.5, softness: 1.6 },
  lightColor: [1, 0.97, 0.96],
  reflect: 0,
  wallBlur: 1.5,
  vignette: 0.18,
  wallGlow: 0.05,
  sideLight: 0.08,
  paint(ctx, img) {
    const wallC = accent(ctx, 340, 0.5, 0.85);
    const h0 = hueOf(wallC);
    const archC = hslToRgb(h0 + 35, 0.45, 0.77);
    const floorC = hslToRgb(h0 - 10, 0.4, 0.8);
    const sunC = hslToRgb(h0 - 60, 0.55, 0.78);
    const { w, h, hz } = ctx;
    paintRows(img, 0, hz, (_x, _y, _ax, Y, o) => setRgb(o, wallC, 0.95 + 0.05 * (Y / 0.64)), ctx.wallStep);
    // A disc behind and an arch framing the product, like a set-designed pastel photo.
    softDisc(img, w / 2 + ctx.side * h * 0.24, h * 0.26, h * 0.13, sunC, 1, 0.96, 'over', hz);
    const archW = h * 0.4;
    const archTop = h * 0.22;
    paintRows(img, archTop, hz, (x, y, _ax, _Y, o) => {
      const i = y * w + x;
      const dx = x + 0.5 - w / 2;
      const cy = archTop + archW / 2;
      const inside = y >= cy ? Math.abs(dx) <= archW / 2 : Math.hypot(dx, y + 0.5 - cy) <= archW / 2;
      const edge = y >= cy ? archW / 2 - Math.abs(dx) : archW / 2 - Math.hypot(dx, y + 0.5 - cy);
      const a = inside ? clamp01(edge + 0.5) : 0;
      o[0] = lerp(img.r[i], archC[0], a);
      o[1] = lerp(img.g[i], archC[1], a);
      o[2] = lerp(img.b[i], archC[2], a);
    }, ctx.wallStep);
    paintFloor(img, ctx, (_u, v, _Y, o) => setRgb(o, floorC, 0.93 + 0.07 * clamp01(1 - v * 0.3)));
  },
};

const neon: LookDef = {
  horizon: 0.64,
  ground: 0.87,
  side: -1,
  elevation: 0.8,
  shadow: { opacity: 0.45, softness: 1.3 },
  lightColor: [1, 0.7, 0.95],
  reflect: 0.5,
  wallBlur: 2.5,
  vignette: 0.4,
  wallGlow: 0,
  sideLight: 0.04,
  paint(ctx, img) {
    const { w, h, hz, n1 } = ctx;
    const c1 = accent(ctx, 320, 1, 0.58);
    const c2 = hslToRgb(hueOf(c1) + 150, 1, 0.55);
    const bw = h * 0.085;
    const bh = h * 0.038;
    paintRows(img, 0, hz, (x, y, _ax, Y, o) => {
      // Dark painted brick wall: the neon needs something to light.
      const row = Math.floor(y / bh);
      const bx = (x + (row % 2) * bw * 0.5) / bw;
      const mortar = Math.min(fract(bx) * bw, (1 - fract(bx)) * bw, fract(y / bh) * bh, (1 - fract(y / bh)) * bh) < 1.5;
      const k = (mortar ? 0.6 : 1) * (0.9 + 0.2 * hash2(Math.floor(bx), row, 5)) * (0.85 + 0.3 * n1.noise(x * 0.2, y * 0.2));
      setRgb(o, [0.07, 0.06, 0.1], k * (0.8 + 0.4 * Y));
    }, ctx.wallStep);
    const cx = w / 2;
    neonRing(img, cx, h * 0.4, h * 0.24, c1, h * 0.0045, h * 0.03, 1);
    const x2 = cx - ctx.side * h * 0.44;
    neonPolyline(img, [[x2, h * 0.12], [x2, h * 0.52]], c2, h * 0.004, h * 0.025, 0.9);
    neonPolyline(img, [[x2 + ctx.side * h * 0.06, h * 0.2], [x2 + ctx.side * h * 0.06, h * 0.44]], c2, h * 0.004, h * 0.025, 0.7);
    paintFloor(img, ctx, (u, v, _Y, o) => setRgb(o, [0.05, 0.045, 0.07], 0.9 + 0.2 * n1.fbm(u * 4, v * 4, 2)));
  },
};

const sunset: LookDef = {
  horizon: 0.62,
  ground: 0.87,
  side: -1,
  elevation: 0.35,
  shadow: { opacity: 0.78, softness: 0.8 },
  backLit: true,
  lightColor: [1, 0.72, 0.48],
  reflect: 0.3,
  wallBlur: 4,
  vignette: 0.35,
  wallGlow: 0,
  sideLight: 0.12,
  paint(ctx, img) {
    const { w, h, hz, n1 } = ctx;
    const hzF = hz / h;
    const stops: [number, Rgb][] = [
      [0, [0.17, 0.15, 0.38]],
      [0.45, [0.58, 0.3, 0.45]],
      [0.8, [0.97, 0.55, 0.32]],
      [1, [1, 0.78, 0.5]],
    ];
    const clouds = coarseField(w, h, 8, (x, y) => n1.fbm((x / h) * 1.2, (y / h) * 7, 4));
    paintRows(img, 0, hz, (x, y, _ax, Y, o) => {
      const t = Y / hzF;
      let k = 0;
      while (k < stops.length - 2 && t > stops[k + 1][0]) k++;
      const [t0, a] = stops[k];
      const [t1, b] = stops[k + 1];
      mixRgb(o, a, b, smoothstep(0, 1, (t - t0) / (t1 - t0)));
      // Stretched cloud bands, lit pink underneath.
      const c = smoothstep(0.52, 0.75, clouds[y * w + x]) * (1 - t) * 0.7;
      o[0] = lerp(o[0], 0.95, c * 0.6);
      o[1] = lerp(o[1], 0.55, c * 0.6);
      o[2] = lerp(o[2], 0.55, c * 0.6);
    }, ctx.wallStep);
    const sx = w / 2 + ctx.side * h * 0.3;
    const sy = hz - h * 0.07;
    softDisc(img, sx, sy, h * 0.45, [1, 0.6, 0.3], 0.45, 0, 'screen', hz);
    softDisc(img, sx, sy, h * 0.05, [1, 0.95, 0.78], 1, 0.85, 'over', hz);
    // Distant hills, hazier in front of the sun.
    paintRows(img, hz - h * 0.09, hz, (x, y, _ax, _Y, o) => {
      const i = y * w + x;
      const ridge = hz - h * (0.035 + 0.05 * n1.fbm(x / h * 2.5, 3.7, 4));
      const a = clamp01(y + 0.5 - ridge);
      o[0] = lerp(img.r[i], 0.36, a);
      o[1] = lerp(img.g[i], 0.2, a);
      o[2] = lerp(img.b[i], 0.3, a);
    }, ctx.wallStep);
    paintFloor(img, ctx, (u, v, _Y, o) => {
      const mm = n1.fbm(u * 5 + 40, v * 5, 3) - 0.5;
      setRgb(o, [0.62, 0.42, 0.34], 0.85 + mm * 0.25 + 0.15 * clamp01(1 - v));
    });
  },
};

const beach: LookDef = {
  horizon: 0.56,
  ground: 0.87,
  side: 1,
  elevation: 0.7,
  shadow: { opacity: 0.85, softness: 0.6 },
  lightColor: [1, 0.96, 0.88],
  reflect: 0,
  wallBlur: 3,
  vignette: 0.22,
  wallGlow: 0,
  sideLight: 0.06,
  paint(ctx, img) {
    const { w, h, hz, n1, n2 } = ctx;
    const hzF = hz / h;
    const clouds = coarseField(w, h, 8, (x, y) => n2.fbm((x / h) * 2, (y / h) * 4, 4));
    paintRows(img, 0, hz, (x, y, _ax, Y, o) => {
      mixRgb(o, [0.36, 0.6, 0.9], [0.78, 0.89, 0.97], Math.pow(Y / hzF, 1.4));
      const c = smoothstep(0.55, 0.78, clouds[y * w + x]) * (1 - Y / hzF) * 0.9;
      o[0] = lerp(o[0], 0.98, c);
      o[1] = lerp(o[1], 0.98, c);
      o[2] = lerp(o[2], 0.99, c);
    }, ctx.wallStep);
    const seaEnd = hz + h * 0.075;
    const wet = seaEnd + h * 0.025;
    paintFloor(img, ctx, (u, v, Y, o, x, y) => {
      if (y < seaEnd) {
        const t = (y - hz) / (seaEnd - hz);
        const wave = n1.noise(x / h * 6, y / h * 90) - 0.5;
        mixRgb(o, [0.08, 0.36, 0.55], [0.2, 0.68, 0.72], t, 1 + wave * 0.25);
        const foam = smoothstep(0.82, 1, t + wave * 0.3);
        o[0] = lerp(o[0], 0.95, foam);
        o[1] = lerp(o[1], 0.96, foam);
        o[2] = lerp(o[2], 0.95, foam);
        return;
      }
      const ripple = Math.sin(v * 48 + n1.fbm(u * 3, v * 3, 3) * 8) * 0.035;
      const grain = (hash2(x, y, 11) - 0.5) * 0.07;
      const wetK = smoothstep(wet + h * 0.03, wet, y);
      mixRgb(o, [0.9, 0.8, 0.63], [0.62, 0.54, 0.44], wetK * 0.8, 0.98 + ripple + grain + 0.05 * (Y - 0.8));
    });
  },
};

const garden: LookDef = {
  horizon: 0.62,
  ground: 0.87,
  side: -1,
  elevation: 0.75,
  shadow: { opacity: 0.68, softness: 1.0 },
  lightColor: [1, 0.96, 0.82],
  reflect: 0,
  wallBlur: 10,
  vignette: 0.34,
  wallGlow: 0.06,
  sideLight: 0.14,
  paint(ctx, img) {
    const { w, h, hz, n1, n2, rng } = ctx;
    const leaf = coarseField(w, h, 4, (x, y) => n1.fbm((x / h) * 7, (y / h) * 7, 4));
    const lit = coarseField(w, h, 8, (x, y) => n2.fbm((x / h) * 2.5, (y / h) * 2.5, 3));
    paintRows(img, 0, hz, (x, y, _ax, _Y, o) => {
      const i = y * w + x;
      const l = leaf[i];
      mixRgb(o, [0.08, 0.2, 0.08], [0.36, 0.56, 0.2], smoothstep(0.3, 0.7, l));
      const sun = smoothstep(0.45, 0.7, lit[i]);
      o[0] = lerp(o[0], 0.62, sun * 0.4 * l);
      o[1] = lerp(o[1], 0.78, sun * 0.4 * l);
      o[2] = lerp(o[2], 0.36, sun * 0.4 * l);
    }, ctx.wallStep);
    // Sunlit gaps between leaves, and a few blossoms in the product's complementary colour.
    const bloom = accent(ctx, 330, 0.6, 0.7);
    for (let k = 0; k < 55; k++) {
      const x = rng() * w;
      const y = rng() * (hz - h * 0.05);
      const r = h * (0.008 + rng() * 0.03);
      if (k % 5 === 0) softDisc(img, x, y, r * 0.8, bloom, 0.85, 0.6, 'over', hz);
      else softDisc(img, x, y, r, [0.93, 0.97, 0.7], 0.25 + rng() * 0.45, 0.75, 'screen', hz);
    }
    const stoneF = floorField(ctx, 3, (u, v) => n1.fbm(u * 3 + 50, v * 3, 4));
    const mossF = floorField(ctx, 4, (u, v) => smoothstep(0.55, 0.75, n2.fbm(u * 2 + 9, v * 2, 3)));
    paintFloor(img, ctx, (_u, _v, _Y, o, x, y) => {
      const st = stoneF[y * w + x];
      const moss = mossF[y * w + x];
      mixRgb(o, [0.66, 0.64, 0.58], [0.4, 0.48, 0.3], moss * 0.7, 0.86 + (st - 0.5) * 0.3 + (hash2(x, y, 4) - 0.5) * 0.04);
    });
  },
};

const kitchen: LookDef = {
  horizon: 0.6,
  ground: 0.87,
  side: -1,
  elevation: 0.7,
  shadow: { opacity: 0.62, softness: 1.1 },
  lightColor: [1, 0.92, 0.8],
  reflect: 0.14,
  wallBlur: 6,
  vignette: 0.3,
  wallGlow: 0.08,
  sideLight: 0.12,
  paint(ctx, img) {
    const { w, h, hz, n1, rng } = ctx;
    const tw = h * 0.1;
    const th = h * 0.05;
    const grout = h * 0.0035;
    const tile = mix([0.93, 0.92, 0.9], complementTint(ctx.tone, 190, 0.2, 0.85), 0.25);
    paintRows(img, 0, hz, (x, y, _ax, Y, o) => {
      const row = Math.floor(y / th);
      const bx = (x - w / 2) / tw + (row % 2) * 0.5;
      const gx = Math.min(fract(bx), 1 - fract(bx)) * tw;
      const gy = Math.min(fract(y / th), 1 - fract(y / th)) * th;
      if (gx < grout || gy < grout) return setRgb(o, [0.66, 0.64, 0.6], 0.9);
      // Glazed tiles: each a little different, with a soft highlight toward its upper edge.
      const var_ = (hash2(Math.floor(bx), row, 2) - 0.5) * 0.05;
      const gloss = 0.06 * (1 - fract(y / th));
      setRgb(o, tile, 0.9 + var_ + gloss + 0.08 * Y);
    }, ctx.wallStep);
    // Pendant lamps and their warm bokeh high in the room.
    for (const fx of [-0.32, 0.3]) {
      softDisc(img, w / 2 + fx * h, h * 0.08, h * 0.2, [1, 0.75, 0.4], 0.3, 0, 'screen', hz);
      softDisc(img, w / 2 + fx * h, h * 0.08, h * 0.05, [1, 0.93, 0.75], 0.95, 0.7, 'over', hz);
    }
    for (let k = 0; k < 18; k++) softDisc(img, rng() * w, rng() * h * 0.35, h * (0.015 + rng() * 0.03), [1, 0.85, 0.6], 0.2 + rng() * 0.3, 0.8, 'screen', hz);
    // Quartz counter with grey and dark flecks.
    paintFloor(img, ctx, (u, v, _Y, o, x, y) => {
      const cloud = n1.fbm(u * 4, v * 4, 3) - 0.5;
      const f = hash2(x >> 1, y >> 1, 6);
      const fleck = f > 0.985 ? -0.35 : f > 0.95 ? -0.1 : 0;
      setRgb(o, [0.88, 0.87, 0.84], 0.93 + cloud * 0.08 + fleck);
    });
  },
};

const office: LookDef = {
  horizon: 0.6,
  ground: 0.87,
  side: -1,
  elevation: 0.55,
  shadow: { opacity: 0.62, softness: 1.1 },
  lightColor: [0.94, 0.97, 1],
  reflect: 0.14,
  wallBlur: 11,
  vignette: 0.26,
  wallGlow: 0.06,
  sideLight: 0.18,
  paint(ctx, img) {
    const { w, h, hz, n1, rng } = ctx;
    const wall = mix([0.78, 0.79, 0.8], complementTint(ctx.tone, 210, 0.12, 0.78), 0.35);
    paintRows(img, 0, hz, (_x, _y, _ax, Y, o) => setRgb(o, wall, 0.9 + 0.1 * Y), ctx.wallStep);
    // A tall window on the light side with mullions; a faint skyline beyond.
    const winX0 = ctx.side < 0 ? w * 0.0 : w * 0.45;
    const winX1 = ctx.side < 0 ? w * 0.55 : w;
    const winY0 = h * 0.05;
    const winY1 = hz - h * 0.06;
    paintRows(img, winY0, winY1, (x, y, _ax, Y, o) => {
      const i = y * w + x;
      if (x < winX0 || x >= winX1) {
        o[0] = img.r[i];
        o[1] = img.g[i];
        o[2] = img.b[i];
        return;
      }
      const ww = winX1 - winX0;
      const fx = (x - winX0) / ww;
      const fy = (y - winY0) / (winY1 - winY0);
      const bar = Math.min(fract(fx * 3), 1 - fract(fx * 3)) * (ww / 3) < h * 0.009 || Math.abs(fy - 0.62) * (winY1 - winY0) < h * 0.007 || fy < 0.015 || fy > 0.985;
      if (bar) return setRgb(o, [0.35, 0.36, 0.38]);
      const bld = n1.noise(Math.floor(x / (h * 0.05)) * 0.7, 2) * 0.25 + 0.12;
      const isBld = 1 - fy < bld;
      if (isBld) return setRgb(o, [0.8, 0.84, 0.9]);
      mixRgb(o, [0.97, 0.98, 1], [0.86, 0.92, 0.99], 1 - Y);
    }, ctx.wallStep);
    // A plant on the far side, out of focus.
    const px = w / 2 - ctx.side * h * 0.55;
    for (let k = 0; k < 26; k++) {
      const a = rng() * Math.PI;
      const r = rng() * h * 0.16;
      softDisc(img, px + Math.cos(a) * r * (ctx.side < 0 ? -1 : 1) * 0.8, hz - h * 0.2 - Math.sin(a) * r, h * (0.025 + rng() * 0.03), [0.16 + rng() * 0.1, 0.34 + rng() * 0.12, 0.14], 0.9, 0.5, 'over', hz);
    }
    fillRect(img, px - h * 0.05, hz - h * 0.12, px + h * 0.05, hz, [0.85, 0.84, 0.8], 1);
    // Light oak desk, grain running left to right.
    paintFloor(img, ctx, (u, v, _Y, o) => {
      const g = Math.sin(v * 140 + n1.fbm(u * 1.5, v * 12, 3) * 10);
      setRgb(o, [0.8, 0.68, 0.53], 0.92 + 0.05 * g + (n1.noise(u * 3, v * 20) - 0.5) * 0.06);
    });
  },
};

const nightcity: LookDef = {
  horizon: 0.62,
  ground: 0.87,
  side: 1,
  elevation: 0.7,
  shadow: { opacity: 0.45, softness: 1.3 },
  lightColor: [0.78, 0.84, 1],
  reflect: 0.45,
  wallBlur: 9,
  vignette: 0.4,
  wallGlow: 0,
  sideLight: 0.08,
  paint(ctx, img) {
    const { w, h, hz, rng } = ctx;
    paintRows(img, 0, hz, (_x, _y, _ax, Y, o) => mixRgb(o, [0.02, 0.03, 0.09], [0.16, 0.13, 0.3], Math.pow(Y / (hz / h), 2)), ctx.wallStep);
    // Skyline: towers with lit windows.
    let x = -rng() * h * 0.1;
    while (x < w) {
      const bw = h * (0.05 + rng() * 0.1);
      const top = hz - h * (0.1 + rng() * 0.35);
      fillRect(img, x, top, x + bw, hz, [0.03, 0.035, 0.07], 1);
      const cols = Math.max(2, Math.floor(bw / (h * 0.012)));
      for (let cy = top + h * 0.01; cy < hz - h * 0.01; cy += h * 0.014) {
        for (let c = 0; c < cols; c++) {
          if (rng() < 0.6) continue;
          const wx = x + (c + 0.25) * (bw / cols);
          fillRect(img, wx, cy, wx + (bw / cols) * 0.5, cy + h * 0.007, rng() < 0.8 ? [1, 0.8, 0.45] : [0.7, 0.85, 1], 0.9);
        }
      }
      x += bw + h * 0.004;
    }
    // Street-light bokeh in front of the skyline.
    const cs: Rgb[] = [[1, 0.7, 0.35], [1, 0.85, 0.6], [0.5, 0.7, 1], [1, 0.35, 0.35], accent(ctx, 200, 0.8, 0.6)];
    for (let k = 0; k < 34; k++) {
      softDisc(img, rng() * w, hz - h * (0.04 + rng() * 0.3), h * (0.02 + rng() * 0.05), cs[Math.floor(rng() * cs.length)], 0.18 + rng() * 0.35, 0.85, 'screen', hz);
    }
    paintFloor(img, ctx, (u, v, _Y, o) => setRgb(o, [0.05, 0.05, 0.08], 0.9 + 0.2 * ctx.n1.fbm(u * 3, v * 3, 2)));
  },
};

const linen: LookDef = {
  horizon: 0.6,
  ground: 0.86,
  side: -1,
  elevation: 0.6,
  shadow: { opacity: 0.52, softness: 1.5 },
  lightColor: [1, 0.96, 0.9],
  reflect: 0,
  wallBlur: 2,
  vignette: 0.3,
  wallGlow: 0.08,
  sideLight: 0.14,
  sweep: true,
  paint(ctx, img) {
    const { w, h, hz, n1, n2 } = ctx;
    const base = mix([0.86, 0.81, 0.72], complementTint(ctx.tone, 35, 0.22, 0.8), 0.35);
    const folds = coarseField(w, h, 4, (x, y) => {
      const X = x / h;
      const Y = y / h;
      // Drape: mostly vertical folds on the wall that relax into soft ripples on the floor.
      const warp = n2.fbm(X * 1.5, Y * 1.5, 3);
      const wallF = Math.sin(X * 14 + warp * 6);
      const floorF = Math.sin(X * 6 + Y * 9 + warp * 5);
      const t = smoothstep(hz / h - 0.08, hz / h + 0.08, Y);
      return lerp(wallF, floorF, t);
    });
    const hzF = hz / h;
    paintRows(img, 0, h, (x, y, _ax, Y, o) => {
      const i = y * w + x;
      // Plain weave at thread scale plus slubs (long thicker threads).
      const weave = ((x & 1) ^ (y & 1)) * 0.008;
      const slub = (n1.noise(x * 0.35, y * 0.012) - 0.5) * 0.045 + (n1.noise(x * 0.012 + 70, y * 0.35) - 0.5) * 0.035;
      const sweep = Y < hzF ? 0.84 + 0.16 * smoothstep(0, 1, Y / hzF) : 1 - 0.1 * ((Y - hzF) / (1 - hzF));
      setRgb(o, base, sweep * (1 + folds[i] * 0.055 + weave + slub));
    });
  },
};

const water: LookDef = {
  horizon: 0.6,
  ground: 0.87,
  side: 1,
  elevation: 0.9,
  shadow: { opacity: 0.65, softness: 0.8 },
  lightColor: [0.92, 1, 1],
  reflect: 0.22,
  wallBlur: 4,
  vignette: 0.32,
  wallGlow: 0.05,
  sideLight: 0.08,
  paint(ctx, img) {
    const { w, h, hz, n1, n2 } = ctx;
    const aqua = mix([0.3, 0.72, 0.8], accent(ctx, 185, 0.5, 0.6, 150), 0.25);
    const caustic = (a: number, b: number) => {
      // Bright web where two warped noise fields cross mid-level: looks like refracted sunlight.
      const r1 = 1 - Math.abs(2 * n1.fbm(a, b, 3) - 1);
      const r2 = 1 - Math.abs(2 * n2.fbm(a * 1.3 + 5, b * 1.3, 3) - 1);
      return Math.pow(r1, 8) + Math.pow(r2, 10) * 0.7;
    };
    const wallC = coarseField(w, h, 2, (x, y) => caustic((x / h) * 5, (y / h) * 5));
    paintRows(img, 0, hz, (x, y, _ax, Y, o) => {
      setRgb(o, aqua, 0.75 + 0.25 * (Y / (hz / h)));
      const c = wallC[y * w + x] * 0.3;
      o[0] += c * 0.7;
      o[1] += c * 0.8;
      o[2] += c * 0.75;
    }, ctx.wallStep);
    const floorC = floorField(ctx, 2, (u, v) => caustic(u * 4, v * 4));
    paintFloor(img, ctx, (_u, _v, _Y, o, x, y) => {
      setRgb(o, [0.72, 0.9, 0.92], 0.9);
      const c = floorC[y * w + x] * 0.38;
      o[0] += c * 0.9;
      o[1] += c;
      o[2] += c;
    });
  },
};

const snow: LookDef = {
  horizon: 0.58,
  ground: 0.87,
  side: 1,
  elevation: 0.45,
  shadow: { opacity: 0.64, softness: 1.1 },
  lightColor: [0.96, 0.97, 1],
  reflect: 0,
  wallBlur: 3.5,
  vignette: 0.25,
  wallGlow: 0,
  sideLight: 0.1,
  paint(ctx, img) {
    const { w, h, hz, n1, rng } = ctx;
    paintRows(img, 0, hz, (_x, _y, _ax, Y, o) => mixRgb(o, [0.55, 0.66, 0.82], [0.86, 0.89, 0.94], Math.pow(Y / (hz / h), 1.3)), ctx.wallStep);
    // Two ranges of snowy hills, the nearer one brighter.
    for (const [depth, col, amp] of [[0.13, [0.8, 0.85, 0.93], 0.07], [0.05, [0.9, 0.93, 0.98], 0.04]] as [number, Rgb, number][]) {
      paintRows(img, hz - h * (depth + amp + 0.02), hz, (x, y, _ax, _Y, o) => {
        const i = y * w + x;
        const ridge = hz - h * (depth + amp * n1.fbm(x / h * 2 + depth * 10, 1.7, 4));
        const a = clamp01(y + 0.5 - ridge);
        const shade = 1 - 0.08 * clamp01((y - ridge) / (h * 0.05));
        o[0] = lerp(img.r[i], col[0] * shade, a);
        o[1] = lerp(img.g[i], col[1] * shade, a);
        o[2] = lerp(img.b[i], col[2] * shade, a);
      }, ctx.wallStep);
    }
    for (let k = 0; k < 60; k++) softDisc(img, rng() * w, rng() * hz, h * (0.003 + rng() * 0.01), [1, 1, 1], 0.5 + rng() * 0.4, 0.5, 'over', hz);
    paintFloor(img, ctx, (u, v, _Y, o, x, y) => {
      const bump = n1.fbm(u * 2.5, v * 2.5, 4);
      const shade = smoothstep(0.35, 0.7, bump);
      mixRgb(o, [0.74, 0.81, 0.94], [0.97, 0.98, 1], shade);
      if (hash2(x, y, 12) > 0.9975) o[0] = o[1] = o[2] = 1.25;
    });
  },
};

const brick: LookDef = {
  horizon: 0.62,
  ground: 0.87,
  side: -1,
  elevation: 0.7,
  shadow: { opacity: 0.62, softness: 1.1 },
  lightColor: [1, 0.88, 0.74],
  reflect: 0.06,
  wallBlur: 5,
  vignette: 0.38,
  wallGlow: 0.18,
  sideLight: 0.2,
  paint(ctx, img) {
    const { w, h, hz, n1 } = ctx;
    const bw = h * 0.11;
    const bh = h * 0.045;
    const mortar = h * 0.005;
    const m = mottle(ctx, 6, 4, 3);
    paintRows(img, 0, hz, (x, y, _ax, _Y, o) => {
      const row = Math.floor(y / bh);
      const bx = (x - w / 2) / bw + (row % 2) * 0.5;
      const gx = Math.min(fract(bx), 1 - fract(bx)) * bw;
      const gy = Math.min(fract(y / bh), 1 - fract(y / bh)) * bh;
      const rough = (n1.noise(x * 0.25, y * 0.25) - 0.5) * 0.12;
      if (gx < mortar || gy < mortar) return setRgb(o, [0.7, 0.66, 0.6], 0.85 + rough);
      const hv = hash2(Math.floor(bx), row, 8);
      const edge = smoothstep(mortar, mortar * 2.5, Math.min(gx, gy));
      mixRgb(o, [0.5, 0.22, 0.16], [0.66, 0.36, 0.26], hv, (0.82 + 0.18 * edge) * (1 + rough + 0.08 * m[y * w + x]));
    }, ctx.wallStep);
    paintFloor(img, ctx, (u, v, _Y, o, x, y) => {
      const mm = n1.fbm(u * 3 + 20, v * 3, 3) - 0.5;
      setRgb(o, [0.45, 0.42, 0.4], 0.9 + mm * 0.22 + (hash2(x, y, 13) - 0.5) * 0.04);
    });
  },
};

export const LOOKS: Record<LookId, LookDef> = {
  studio,
  marble,
  wood,
  concrete,
  pastel,
  neon,
  sunset,
  beach,
  garden,
  kitchen,
  office,
  nightcity,
  linen,
  water,
  snow,
  brick,
};
