import type { Rgb } from '../../../imaging/colour';
import { fillRect, mixRgb, paintFloor, paintRows, setRgb, softDisc } from '../backdrop-paint';
import { accent } from './paint-kit';
import type { LookDef } from './look-def';

export const nightcityLook: LookDef<'nightcity'> = {
  id: 'nightcity',
  keywords: {
    en: ['night city', 'city night', 'city lights', 'skyline', 'night', 'nightscape', 'urban', 'downtown'],
    ko: ['야경', '도시', '밤', '밤거리', '밤하늘', '도심'],
  },
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
      softDisc(
        img,
        rng() * w,
        hz - h * (0.04 + rng() * 0.3),
        h * (0.02 + rng() * 0.05),
        cs[Math.floor(rng() * cs.length)],
        0.18 + rng() * 0.35,
        0.85,
        'screen',
        hz,
      );
    }
    paintFloor(img, ctx, (u, v, _Y, o) => setRgb(o, [0.05, 0.05, 0.08], 0.9 + 0.2 * ctx.n1.fbm(u * 3, v * 3, 2)));
  },
};
