import { coarseField } from '../../../imaging/noise';
import { hash2, lerp, mixRgb, paintFloor, paintRows, smoothstep } from '../backdrop-paint';
import type { LookDef } from './look-def';

export const beachLook: LookDef<'beach'> = {
  id: 'beach',
  keywords: {
    en: ['beach', 'sea', 'ocean', 'sand', 'sandy', 'coast', 'seaside', 'tropical', 'summer', 'shore'],
    ko: ['해변', '바다', '모래', '해안', '여름', '바닷가', '해수욕장'],
  },
  horizon: 0.56,
  ground: 0.87,
  side: 1,
  elevation: 0.7,
  shadow: { opacity: 0.85, softness: 0.6 },
  lightColor: [1, 0.96, 0.88],
  reflect: 0,
  wallBlur: 3,
  vignette: 0.22,
  wallGlow: 0,
  sideLight: 0.06,
  paint(ctx, img) {
    const { w, h, hz, n1, n2 } = ctx;
    const hzF = hz / h;
    const clouds = coarseField(w, h, 8, (x, y) => n2.fbm((x / h) * 2, (y / h) * 4, 4));
    paintRows(
      img,
      0,
      hz,
      (x, y, _ax, Y, o) => {
        mixRgb(o, [0.36, 0.6, 0.9], [0.78, 0.89, 0.97], Math.pow(Y / hzF, 1.4));
        const c = smoothstep(0.55, 0.78, clouds[y * w + x]) * (1 - Y / hzF) * 0.9;
        o[0] = lerp(o[0], 0.98, c);
        o[1] = lerp(o[1], 0.98, c);
        o[2] = lerp(o[2], 0.99, c);
      },
      ctx.wallStep,
    );
    const seaEnd = hz + h * 0.075;
    const wet = seaEnd + h * 0.025;
    paintFloor(img, ctx, (u, v, Y, o, x, y) => {
      if (y < seaEnd) {
        const t = (y - hz) / (seaEnd - hz);
        const wave = n1.noise((x / h) * 6, (y / h) * 90) - 0.5;
        mixRgb(o, [0.08, 0.36, 0.55], [0.2, 0.68, 0.72], t, 1 + wave * 0.25);
        const foam = smoothstep(0.82, 1, t + wave * 0.3);
        o[0] = lerp(o[0], 0.95, foam);
        o[1] = lerp(o[1], 0.96, foam);
        o[2] = lerp(o[2], 0.95, foam);
        return;
      }
      const ripple = Math.sin(v * 48 + n1.fbm(u * 3, v * 3, 3) * 8) * 0.035;
      const grain = (hash2(x, y, 11) - 0.5) * 0.07;
      const wetK = smoothstep(wet + h * 0.03, wet, y);
      mixRgb(o, [0.9, 0.8, 0.63], [0.62, 0.54, 0.44], wetK * 0.8, 0.98 + ripple + grain + 0.05 * (Y - 0.8));
    });
  },
};
