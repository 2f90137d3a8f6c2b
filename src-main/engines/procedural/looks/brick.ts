import { fract, hash2, mixRgb, paintFloor, paintRows, setRgb, smoothstep } from '../backdrop-paint';
import { mottle } from './paint-kit';
import type { LookDef } from './look-def';

export const brickLook: LookDef<'brick'> = {
  id: 'brick',
  keywords: {
    en: ['brick', 'loft', 'exposed brick', 'red brick'],
    ko: ['벽돌', '로프트'],
  },
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
    paintRows(
      img,
      0,
      hz,
      (x, y, _ax, _Y, o) => {
        const row = Math.floor(y / bh);
        const bx = (x - w / 2) / bw + (row % 2) * 0.5;
        const gx = Math.min(fract(bx), 1 - fract(bx)) * bw;
        const gy = Math.min(fract(y / bh), 1 - fract(y / bh)) * bh;
        const rough = (n1.noise(x * 0.25, y * 0.25) - 0.5) * 0.12;
        if (gx < mortar || gy < mortar) return setRgb(o, [0.7, 0.66, 0.6], 0.85 + rough);
        const hv = hash2(Math.floor(bx), row, 8);
        const edge = smoothstep(mortar, mortar * 2.5, Math.min(gx, gy));
        mixRgb(o, [0.5, 0.22, 0.16], [0.66, 0.36, 0.26], hv, (0.82 + 0.18 * edge) * (1 + rough + 0.08 * m[y * w + x]));
      },
      ctx.wallStep,
    );
    paintFloor(img, ctx, (u, v, _Y, o, x, y) => {
      const mm = n1.fbm(u * 3 + 20, v * 3, 3) - 0.5;
      setRgb(o, [0.45, 0.42, 0.4], 0.9 + mm * 0.22 + (hash2(x, y, 13) - 0.5) * 0.04);
    });
  },
};
