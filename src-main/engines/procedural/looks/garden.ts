import { coarseField } from '../../../imaging/noise';
import { hash2, lerp, mixRgb, paintFloor, paintRows, smoothstep, softDisc } from '../backdrop-paint';
import { accent, floorField } from './paint-kit';
import type { LookDef } from './look-def';

export const gardenLook: LookDef<'garden'> = {
  id: 'garden',
  keywords: {
    en: ['garden', 'plant', 'leaf', 'leaves', 'foliage', 'forest', 'nature', 'natural', 'green', 'park', 'flower', 'botanical', 'greenery', 'jungle'],
    ko: ['정원', '숲', '숲속', '식물', '자연', '꽃', '꽃밭', '꽃잎', '공원', '풀', '풀밭', '나뭇잎', '초록'],
  },
  horizon: 0.62,
  ground: 0.87,
  side: -1,
  elevation: 0.75,
  shadow: { opacity: 0.68, softness: 1.0 },
  lightColor: [1, 0.96, 0.82],
  reflect: 0,
  wallBlur: 10,
  vignette: 0.34,
  wallGlow: 0.06,
  sideLight: 0.14,
  paint(ctx, img) {
    const { w, h, hz, n1, n2, rng } = ctx;
    const leaf = coarseField(w, h, 4, (x, y) => n1.fbm((x / h) * 7, (y / h) * 7, 4));
    const lit = coarseField(w, h, 8, (x, y) => n2.fbm((x / h) * 2.5, (y / h) * 2.5, 3));
    paintRows(
      img,
      0,
      hz,
      (x, y, _ax, _Y, o) => {
        const i = y * w + x;
        const l = leaf[i];
        mixRgb(o, [0.08, 0.2, 0.08], [0.36, 0.56, 0.2], smoothstep(0.3, 0.7, l));
        const sun = smoothstep(0.45, 0.7, lit[i]);
        o[0] = lerp(o[0], 0.62, sun * 0.4 * l);
        o[1] = lerp(o[1], 0.78, sun * 0.4 * l);
        o[2] = lerp(o[2], 0.36, sun * 0.4 * l);
      },
      ctx.wallStep,
    );
    // Sunlit gaps between leaves, and a few blossoms in the product's complementary colour.
    const bloom = accent(ctx, 330, 0.6, 0.7);
    for (let k = 0; k < 55; k++) {
      const x = rng() * w;
      const y = rng() * (hz - h * 0.05);
      const r = h * (0.008 + rng() * 0.03);
      if (k % 5 === 0) softDisc(img, x, y, r * 0.8, bloom, 0.85, 0.6, 'over', hz);
      else softDisc(img, x, y, r, [0.93, 0.97, 0.7], 0.25 + rng() * 0.45, 0.75, 'screen', hz);
    }
    const stoneF = floorField(ctx, 3, (u, v) => n1.fbm(u * 3 + 50, v * 3, 4));
    const mossF = floorField(ctx, 4, (u, v) => smoothstep(0.55, 0.75, n2.fbm(u * 2 + 9, v * 2, 3)));
    paintFloor(img, ctx, (_u, _v, _Y, o, x, y) => {
      const st = stoneF[y * w + x];
      const moss = mossF[y * w + x];
      mixRgb(o, [0.66, 0.64, 0.58], [0.4, 0.48, 0.3], moss * 0.7, 0.86 + (st - 0.5) * 0.3 + (hash2(x, y, 4) - 0.5) * 0.04);
    });
  },
};
