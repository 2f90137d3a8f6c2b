import { mix, type Rgb } from '../../../imaging/colour';
import { clamp01, fillRect, mixRgb, paintFloor, paintRows, setRgb, smoothstep } from '../backdrop-paint';
import { complementTint } from '../backdrop-palette';
import { floorField, mottle } from './paint-kit';
import type { LookDef } from './look-def';

export const marbleLook: LookDef<'marble'> = {
  id: 'marble',
  keywords: {
    en: ['marble', 'travertine', 'granite', 'luxury'],
    ko: ['대리석', '마블', '고급'],
  },
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
