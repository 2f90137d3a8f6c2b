import { mix } from '../../../imaging/colour';
import { coarseField } from '../../../imaging/noise';
import { paintFloor, paintRows, setRgb } from '../backdrop-paint';
import { accent, floorField } from './paint-kit';
import type { LookDef } from './look-def';

export const waterLook: LookDef<'water'> = {
  id: 'water',
  keywords: {
    en: ['water', 'pool', 'underwater', 'caustic', 'aqua', 'splash', 'ripple', 'wave'],
    ko: ['물', '물결', '물가', '수영장', '수중', '아쿠아'],
  },
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
    paintRows(
      img,
      0,
      hz,
      (x, y, _ax, Y, o) => {
        setRgb(o, aqua, 0.75 + 0.25 * (Y / (hz / h)));
        const c = wallC[y * w + x] * 0.3;
        o[0] += c * 0.7;
        o[1] += c * 0.8;
        o[2] += c * 0.75;
      },
      ctx.wallStep,
    );
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
