import { hslToRgb } from '../../../imaging/colour';
import { fract, hash2, neonPolyline, neonRing, paintFloor, paintRows, setRgb } from '../backdrop-paint';
import { accent, hueOf } from './paint-kit';
import type { LookDef } from './look-def';

export const neonLook: LookDef<'neon'> = {
  id: 'neon',
  keywords: {
    en: ['neon', 'cyberpunk', 'synthwave', 'vaporwave', 'glow', 'glowing', 'led', 'club'],
    ko: ['네온', '사이버펑크', '클럽'],
  },
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
    paintRows(
      img,
      0,
      hz,
      (x, y, _ax, Y, o) => {
        // Dark painted brick wall: the neon needs something to light.
        const row = Math.floor(y / bh);
        const bx = (x + (row % 2) * bw * 0.5) / bw;
        const mortar = Math.min(fract(bx) * bw, (1 - fract(bx)) * bw, fract(y / bh) * bh, (1 - fract(y / bh)) * bh) < 1.5;
        const k = (mortar ? 0.6 : 1) * (0.9 + 0.2 * hash2(Math.floor(bx), row, 5)) * (0.85 + 0.3 * n1.noise(x * 0.2, y * 0.2));
        setRgb(o, [0.07, 0.06, 0.1], k * (0.8 + 0.4 * Y));
      },
      ctx.wallStep,
    );
    const cx = w / 2;
    neonRing(img, cx, h * 0.4, h * 0.24, c1, h * 0.0045, h * 0.03, 1);
    const x2 = cx - ctx.side * h * 0.44;
    neonPolyline(
      img,
      [
        [x2, h * 0.12],
        [x2, h * 0.52],
      ],
      c2,
      h * 0.004,
      h * 0.025,
      0.9,
    );
    neonPolyline(
      img,
      [
        [x2 + ctx.side * h * 0.06, h * 0.2],
        [x2 + ctx.side * h * 0.06, h * 0.44],
      ],
      c2,
      h * 0.004,
      h * 0.025,
      0.7,
    );
    paintFloor(img, ctx, (u, v, _Y, o) => setRgb(o, [0.05, 0.045, 0.07], 0.9 + 0.2 * n1.fbm(u * 4, v * 4, 2)));
  },
};
