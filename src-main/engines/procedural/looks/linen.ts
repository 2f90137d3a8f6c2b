import { mix } from '../../../imaging/colour';
import { coarseField } from '../../../imaging/noise';
import { lerp, paintRows, setRgb, smoothstep } from '../backdrop-paint';
import { complementTint } from '../backdrop-palette';
import type { LookDef } from './look-def';

export const linenLook: LookDef<'linen'> = {
  id: 'linen',
  keywords: {
    en: ['linen', 'fabric', 'cloth', 'textile', 'cotton', 'silk', 'drape', 'draped'],
    ko: ['린넨', '리넨', '패브릭', '직물', '천', '면직물', '실크'],
  },
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
