import { mix } from '../../../imaging/colour';
import { fillRect, fract, mixRgb, paintFloor, paintRows, setRgb, softDisc } from '../backdrop-paint';
import { complementTint } from '../backdrop-palette';
import type { LookDef } from './look-def';

export const officeLook: LookDef<'office'> = {
  id: 'office',
  keywords: {
    en: ['office', 'desk', 'workspace', 'workplace', 'window', 'business'],
    ko: ['사무실', '오피스', '책상', '창가', '업무'],
  },
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
    paintRows(
      img,
      winY0,
      winY1,
      (x, y, _ax, Y, o) => {
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
        const bar =
          Math.min(fract(fx * 3), 1 - fract(fx * 3)) * (ww / 3) < h * 0.009 || Math.abs(fy - 0.62) * (winY1 - winY0) < h * 0.007 || fy < 0.015 || fy > 0.985;
        if (bar) return setRgb(o, [0.35, 0.36, 0.38]);
        const bld = n1.noise(Math.floor(x / (h * 0.05)) * 0.7, 2) * 0.25 + 0.12;
        const isBld = 1 - fy < bld;
        if (isBld) return setRgb(o, [0.8, 0.84, 0.9]);
        mixRgb(o, [0.97, 0.98, 1], [0.86, 0.92, 0.99], 1 - Y);
      },
      ctx.wallStep,
    );
    // A plant on the far side, out of focus.
    const px = w / 2 - ctx.side * h * 0.55;
    for (let k = 0; k < 26; k++) {
      const a = rng() * Math.PI;
      const r = rng() * h * 0.16;
      softDisc(
        img,
        px + Math.cos(a) * r * (ctx.side < 0 ? -1 : 1) * 0.8,
        hz - h * 0.2 - Math.sin(a) * r,
        h * (0.025 + rng() * 0.03),
        [0.16 + rng() * 0.1, 0.34 + rng() * 0.12, 0.14],
        0.9,
        0.5,
        'over',
        hz,
      );
    }
    fillRect(img, px - h * 0.05, hz - h * 0.12, px + h * 0.05, hz, [0.85, 0.84, 0.8], 1);
    // Light oak desk, grain running left to right.
    paintFloor(img, ctx, (u, v, _Y, o) => {
      const g = Math.sin(v * 140 + n1.fbm(u * 1.5, v * 12, 3) * 10);
      setRgb(o, [0.8, 0.68, 0.53], 0.92 + 0.05 * g + (n1.noise(u * 3, v * 20) - 0.5) * 0.06);
    });
  },
};
