import { paintRows, setRgb, smoothstep } from '../backdrop-paint';
import { complementTint } from '../backdrop-palette';
import { mottle } from './paint-kit';
import type { LookDef } from './look-def';

export const studioLook: LookDef<'studio'> = {
  id: 'studio',
  keywords: {
    en: ['studio', 'sweep', 'seamless', 'minimal', 'minimalist', 'plain', 'backdrop', 'cyclorama'],
    ko: ['스튜디오', '미니멀', '심플', '단색', '무지'],
  },
  horizon: 0.6,
  ground: 0.86,
  side: -1,
  elevation: 0.75,
  shadow: { opacity: 0.5, softness: 1.6 },
  lightColor: [1, 0.97, 0.92],
  reflect: 0,
  wallBlur: 2,
  vignette: 0.28,
  wallGlow: 0,
  sideLight: 0.1,
  paint(ctx, img) {
    const base = complementTint(ctx.tone, 30, 0.16, 0.84);
    const hzF = ctx.hz / ctx.h;
    const m = mottle(ctx, 3);
    const poolX = -ctx.side * 0.1 * (ctx.w / ctx.h);
    paintRows(img, 0, ctx.h, (x, y, ax, Y, o) => {
      // A seamless sweep: darker high on the wall, brightest at the bend, falling off toward the camera.
      let k = Y < hzF ? 0.74 + 0.26 * smoothstep(0, 1, Y / hzF) : 1 - 0.12 * ((Y - hzF) / (1 - hzF));
      const dx = ax - poolX;
      const dy = Y - 0.5;
      k += 0.14 * Math.exp(-(dx * dx + dy * dy * 1.6) / 0.09);
      k *= 1 + 0.012 * m[y * ctx.w + x];
      setRgb(o, base, k);
    });
  },
};
