import { mix, type Rgb } from '../../../imaging/colour';
import { base, scale, WHITE } from './kit';
import type { MaterialDef } from './material-def';

export const candyMaterial: MaterialDef<'candy'> = {
  id: 'candy',
  keywords: { en: ['candy', 'lollipop', 'jelly', 'gummy'], ko: ['캔디', '사탕', '젤리', '막대사탕'] },
  hints: { en: ['sweet', 'sugar'], ko: ['달콤'] },
  tint: {},
  spec(tint) {
    const c: Rgb = tint ?? [232, 32, 64];
    return {
      ...base,
      face: [
        [0, mix(c, WHITE, 0.25)],
        [0.6, c],
        [1, scale(c, 0.85)],
      ],
      texture: 'candy',
      bevel: { width: 0.12, profile: 'round', relief: 1.2 },
      ambient: 0.5,
      specular: 0.95,
      shininess: 60,
      side: { front: scale(c, 0.6), back: scale(c, 0.3) },
      depth: 0.12,
      streaks: 0.15,
      outline: { color: scale(c, 0.35), alpha: 0.55 },
    };
  },
};
