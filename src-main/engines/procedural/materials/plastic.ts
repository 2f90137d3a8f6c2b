import { mix, type Rgb } from '../../../imaging/colour';
import { base, scale, WHITE } from './kit';
import type { MaterialDef } from './material-def';

export const plasticMaterial: MaterialDef<'plastic'> = {
  id: 'plastic',
  keywords: { en: ['plastic', 'toy', 'lego', 'vinyl', 'balloon', 'clay'], ko: ['플라스틱', '장난감', '풍선', '점토', '고무'] },
  tint: {},
  spec(tint) {
    const c: Rgb = tint ?? [236, 52, 62];
    return {
      ...base,
      face: [
        [0, mix(c, WHITE, 0.18)],
        [0.6, c],
        [1, scale(c, 0.88)],
      ],
      bevel: { width: 0.11, profile: 'round', relief: 1.1 },
      ambient: 0.45,
      specular: 0.85,
      shininess: 48,
      side: { front: scale(c, 0.62), back: scale(c, 0.28) },
      depth: 0.12,
      outline: { color: scale(c, 0.35), alpha: 0.5 },
    };
  },
};
