import type { Rgb } from '../../../imaging/colour';
import { clamp01, hash2, lerp, mixRgb, paintFloor, paintRows, smoothstep, softDisc } from '../backdrop-paint';
import type { LookDef } from './look-def';

export const snowLook: LookDef<'snow'> = {
  id: 'snow',
  keywords: {
    en: ['snow', 'snowy', 'winter', 'ice', 'icy', 'frost', 'frozen', 'christmas'],
    ko: ['눈', '눈밭', '눈덮인', '설경', '겨울', '얼음', '크리스마스'],
  },
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
    for (const [depth, col, amp] of [
      [0.13, [0.8, 0.85, 0.93], 0.07],
      [0.05, [0.9, 0.93, 0.98], 0.04],
    ] as [number, Rgb, number][]) {
      paintRows(
        img,
        hz - h * (depth + amp + 0.02),
        hz,
        (x, y, _ax, _Y, o) => {
          const i = y * w + x;
          const ridge = hz - h * (depth + amp * n1.fbm((x / h) * 2 + depth * 10, 1.7, 4));
          const a = clamp01(y + 0.5 - ridge);
          const shade = 1 - 0.08 * clamp01((y - ridge) / (h * 0.05));
          o[0] = lerp(img.r[i], col[0] * shade, a);
          o[1] = lerp(img.g[i], col[1] * shade, a);
          o[2] = lerp(img.b[i], col[2] * shade, a);
        },
        ctx.wallStep,
      );
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
