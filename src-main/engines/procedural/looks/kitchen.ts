import { mix } from '../../../imaging/colour';
import { fract, hash2, paintFloor, paintRows, setRgb, softDisc } from '../backdrop-paint';
import { complementTint } from '../backdrop-palette';
import type { LookDef } from './look-def';

export const kitchenLook: LookDef<'kitchen'> = {
  id: 'kitchen',
  keywords: {
    en: ['kitchen', 'countertop', 'counter', 'cooking', 'culinary'],
    ko: ['주방', '부엌', '키친', '조리대'],
  },
  horizon: 0.6,
  ground: 0.87,
  side: -1,
  elevation: 0.7,
  shadow: { opacity: 0.62, softness: 1.1 },
  lightColor: [1, 0.92, 0.8],
  reflect: 0.14,
  wallBlur: 6,
  vignette: 0.3,
  wallGlow: 0.08,
  sideLight: 0.12,
  paint(ctx, img) {
    const { w, h, hz, n1, rng } = ctx;
    const tw = h * 0.1;
    const th = h * 0.05;
    const grout = h * 0.0035;
    const tile = mix([0.93, 0.92, 0.9], complementTint(ctx.tone, 190, 0.2, 0.85), 0.25);
    paintRows(
      img,
      0,
      hz,
      (x, y, _ax, Y, o) => {
        const row = Math.floor(y / th);
        const bx = (x - w / 2) / tw + (row % 2) * 0.5;
        const gx = Math.min(fract(bx), 1 - fract(bx)) * tw;
        const gy = Math.min(fract(y / th), 1 - fract(y / th)) * th;
        if (gx < grout || gy < grout) return setRgb(o, [0.66, 0.64, 0.6], 0.9);
        // Glazed tiles: each a little different, with a soft highlight toward its upper edge.
        const var_ = (hash2(Math.floor(bx), row, 2) - 0.5) * 0.05;
        const gloss = 0.06 * (1 - fract(y / th));
        setRgb(o, tile, 0.9 + var_ + gloss + 0.08 * Y);
      },
      ctx.wallStep,
    );
    // Pendant lamps and their warm bokeh high in the room.
    for (const fx of [-0.32, 0.3]) {
      softDisc(img, w / 2 + fx * h, h * 0.08, h * 0.2, [1, 0.75, 0.4], 0.3, 0, 'screen', hz);
      softDisc(img, w / 2 + fx * h, h * 0.08, h * 0.05, [1, 0.93, 0.75], 0.95, 0.7, 'over', hz);
    }
    for (let k = 0; k < 18; k++) softDisc(img, rng() * w, rng() * h * 0.35, h * (0.015 + rng() * 0.03), [1, 0.85, 0.6], 0.2 + rng() * 0.3, 0.8, 'screen', hz);
    // Quartz counter with grey and dark flecks.
    paintFloor(img, ctx, (u, v, _Y, o, x, y) => {
      const cloud = n1.fbm(u * 4, v * 4, 3) - 0.5;
      const f = hash2(x >> 1, y >> 1, 6);
      const fleck = f > 0.985 ? -0.35 : f > 0.95 ? -0.1 : 0;
      setRgb(o, [0.88, 0.87, 0.84], 0.93 + cloud * 0.08 + fleck);
    });
  },
};
