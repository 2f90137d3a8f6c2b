import { mix } from '../../../imaging/colour';
import { fract, hash2, paintFloor, paintRows, setRgb, softDisc } from '../backdrop-paint';
import { complementTint } from '../backdrop-palette';
import { floorField, mottle } from './paint-kit';
import type { LookDef } from './look-def';

export const concreteLook: LookDef<'concrete'> = {
  id: 'concrete',
  keywords: {
    en: ['concrete', 'cement', 'industrial', 'brutalist', 'terrazzo'],
    ko: ['콘크리트', '시멘트', '인더스트리얼'],
  },
  horizon: 0.6,
  ground: 0.86,
  side: -1,
  elevation: 0.75,
  shadow: { opacity: 0.6, softness: 1.2 },
  lightColor: [0.97, 0.98, 1],
  reflect: 0.07,
  wallBlur: 5,
  vignette: 0.34,
  wallGlow: 0.12,
  sideLight: 0.16,
  paint(ctx, img) {
    const base = mix([0.62, 0.62, 0.61], complementTint(ctx.tone, 210, 0.08, 0.62), 0.3);
    const m = mottle(ctx, 4, 6, 4);
    const { n1, w, h } = ctx;
    const panelW = h * 0.42;
    const panelH = h * 0.21;
    paintRows(
      img,
      0,
      ctx.hz,
      (x, y, _ax, _Y, o) => {
        const px = (x - w / 2) / panelW + 0.5;
        const py = y / panelH;
        const sx = Math.min(fract(px), 1 - fract(px)) * panelW;
        const sy = Math.min(fract(py), 1 - fract(py)) * panelH;
        const seam = sx < 1.5 || sy < 1.5 ? 0.78 : 1;
        const speck = (n1.noise(x * 0.45, y * 0.45) - 0.5) * 0.07;
        setRgb(o, base, (0.95 + 0.08 * m[y * w + x] + speck) * seam * (0.96 + (hash2(Math.floor(px), Math.floor(py), 9) - 0.5) * 0.06));
      },
      ctx.wallStep,
    );
    // Form-tie holes at the panel thirds, as in cast-in-place concrete.
    for (let py = 0; py * panelH < ctx.hz; py++) {
      for (let px = -3; px <= 3; px++) {
        for (const fx of [0.25, 0.75]) {
          for (const fy of [0.3, 0.7]) {
            const cx = w / 2 + (px - 0.5 + fx) * panelW;
            const cy = (py + fy) * panelH;
            if (cy < ctx.hz - 4) softDisc(img, cx, cy, h * 0.008, [0.3, 0.3, 0.3], 0.6, 0.6, 'multiply');
          }
        }
      }
    }
    const mottleF = floorField(ctx, 4, (u, v) => n1.fbm(u * 3, v * 3, 3) - 0.5);
    paintFloor(img, ctx, (_u, _v, _Y, o, x, y) => {
      const mm = mottleF[y * w + x];
      const speck = (n1.noise(x * 0.5 + 100, y * 0.5) - 0.5) * 0.06;
      setRgb(o, base, 0.9 + mm * 0.22 + speck);
    });
  },
};
