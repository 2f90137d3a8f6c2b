import { hslToRgb } from '../../../imaging/colour';
import { clamp01, lerp, paintFloor, paintRows, setRgb, softDisc } from '../backdrop-paint';
import { accent, hueOf } from './paint-kit';
import type { LookDef } from './look-def';

export const pastelLook: LookDef<'pastel'> = {
  id: 'pastel',
  keywords: {
    en: ['pastel', 'candy', 'pink', 'lavender', 'mint', 'cute', 'playful'],
    ko: ['파스텔', '핑크', '분홍', '귀여운'],
  },
  horizon: 0.64,
  ground: 0.87,
  side: 1,
  elevation: 0.7,
  shadow: { opacity: 0.5, softness: 1.6 },
  lightColor: [1, 0.97, 0.96],
  reflect: 0,
  wallBlur: 1.5,
  vignette: 0.18,
  wallGlow: 0.05,
  sideLight: 0.08,
  paint(ctx, img) {
    const wallC = accent(ctx, 340, 0.5, 0.85);
    const h0 = hueOf(wallC);
    const archC = hslToRgb(h0 + 35, 0.45, 0.77);
    const floorC = hslToRgb(h0 - 10, 0.4, 0.8);
    const sunC = hslToRgb(h0 - 60, 0.55, 0.78);
    const { w, h, hz } = ctx;
    paintRows(img, 0, hz, (_x, _y, _ax, Y, o) => setRgb(o, wallC, 0.95 + 0.05 * (Y / 0.64)), ctx.wallStep);
    // A disc behind and an arch framing the product, like a set-designed pastel photo.
    softDisc(img, w / 2 + ctx.side * h * 0.24, h * 0.26, h * 0.13, sunC, 1, 0.96, 'over', hz);
    const archW = h * 0.4;
    const archTop = h * 0.22;
    paintRows(
      img,
      archTop,
      hz,
      (x, y, _ax, _Y, o) => {
        const i = y * w + x;
        const dx = x + 0.5 - w / 2;
        const cy = archTop + archW / 2;
        const inside = y >= cy ? Math.abs(dx) <= archW / 2 : Math.hypot(dx, y + 0.5 - cy) <= archW / 2;
        const edge = y >= cy ? archW / 2 - Math.abs(dx) : archW / 2 - Math.hypot(dx, y + 0.5 - cy);
        const a = inside ? clamp01(edge + 0.5) : 0;
        o[0] = lerp(img.r[i], archC[0], a);
        o[1] = lerp(img.g[i], archC[1], a);
        o[2] = lerp(img.b[i], archC[2], a);
      },
      ctx.wallStep,
    );
    paintFloor(img, ctx, (_u, v, _Y, o) => setRgb(o, floorC, 0.93 + 0.07 * clamp01(1 - v * 0.3)));
  },
};
