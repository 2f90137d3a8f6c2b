import type { Rgb } from '../../../imaging/colour';
import { coarseField } from '../../../imaging/noise';
import { clamp01, lerp, mixRgb, paintFloor, paintRows, setRgb, smoothstep, softDisc } from '../backdrop-paint';
import type { LookDef } from './look-def';

export const sunsetLook: LookDef<'sunset'> = {
  id: 'sunset',
  keywords: {
    en: ['sunset', 'sunrise', 'dusk', 'dawn', 'golden hour', 'twilight'],
    ko: ['노을', '일몰', '석양', '황혼', '해질녘', '일출', '저녁놀'],
  },
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
    paintRows(
      img,
      0,
      hz,
      (x, y, _ax, Y, o) => {
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
      },
      ctx.wallStep,
    );
    const sx = w / 2 + ctx.side * h * 0.3;
    const sy = hz - h * 0.07;
    softDisc(img, sx, sy, h * 0.45, [1, 0.6, 0.3], 0.45, 0, 'screen', hz);
    softDisc(img, sx, sy, h * 0.05, [1, 0.95, 0.78], 1, 0.85, 'over', hz);
    // Distant hills, hazier in front of the sun.
    paintRows(
      img,
      hz - h * 0.09,
      hz,
      (x, y, _ax, _Y, o) => {
        const i = y * w + x;
        const ridge = hz - h * (0.035 + 0.05 * n1.fbm((x / h) * 2.5, 3.7, 4));
        const a = clamp01(y + 0.5 - ridge);
        o[0] = lerp(img.r[i], 0.36, a);
        o[1] = lerp(img.g[i], 0.2, a);
        o[2] = lerp(img.b[i], 0.3, a);
      },
      ctx.wallStep,
    );
    paintFloor(img, ctx, (u, v, _Y, o) => {
      const mm = n1.fbm(u * 5 + 40, v * 5, 3) - 0.5;
      setRgb(o, [0.62, 0.42, 0.34], 0.85 + mm * 0.25 + 0.15 * clamp01(1 - v));
    });
  },
};
