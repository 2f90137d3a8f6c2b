import { mix, type Rgb } from '../../../imaging/colour';
import { clamp01, hash2, mixRgb, paintFloor, paintRows, setRgb } from '../backdrop-paint';
import { complementTint } from '../backdrop-palette';
import { floorField, mottle } from './paint-kit';
import type { LookDef } from './look-def';

export const woodLook: LookDef<'wood'> = {
  id: 'wood',
  keywords: {
    en: ['wood', 'wooden', 'oak', 'walnut', 'timber', 'plank', 'parquet', 'rustic'],
    ko: ['나무', '원목', '우드', '목재'],
  },
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
