import type { Rgb } from '../../../imaging/colour';
import { base, BLACK, scale } from './kit';
import type { MaterialDef } from './material-def';

export const neonMaterial: MaterialDef<'neon'> = {
  id: 'neon',
  keywords: { en: ['neon', 'led', 'light tube', 'fluorescent', 'cyberpunk'], ko: ['네온', '형광', '발광'] },
  hints: { en: ['glow', 'glowing'], ko: ['글로우', '빛나는'] },
  // Black neon cannot glow: a dark colour word keeps the default.
  tint: { accepts: (c) => c[0] + c[1] + c[2] >= 200 },
  spec(tint) {
    const c: Rgb = tint ?? [255, 46, 170];
    return {
      ...base,
      // The tube: saturated at the glass wall, white-hot along the middle of each stroke.
      face: [
        [0, c],
        [1, c],
      ],
      texture: 'tube',
      bevel: { width: 0.1, profile: 'round', relief: 0.6 },
      ambient: 0.9,
      specular: 0.35,
      shininess: 30,
      side: { front: scale(c, 0.35), back: scale(c, 0.12) },
      depth: 0.03,
      glow: { color: c, strength: 1 },
      shadow: { opacity: 0, color: BLACK },
      outline: { color: scale(c, 0.85), alpha: 0.9 },
    };
  },
};
