import { mix, type Rgb } from '../../../imaging/colour';
import { base, scale, WHITE } from './kit';
import type { MaterialDef } from './material-def';

export const glassMaterial: MaterialDef<'glass'> = {
  id: 'glass',
  keywords: { en: ['glass', 'crystal', 'ice', 'icy'], ko: ['유리', '크리스탈', '수정', '얼음'] },
  hints: { en: ['transparent', 'translucent'], ko: ['투명'] },
  tint: {},
  spec(tint) {
    const c: Rgb = tint ?? [120, 200, 235];
    return {
      ...base,
      face: [
        [0, mix(c, WHITE, 0.9)],
        [0.5, mix(c, WHITE, 0.65)],
        [1, mix(c, WHITE, 0.8)],
      ],
      bevel: { width: 0.1, profile: 'round', relief: 2.2 },
      ambient: 0.5,
      specular: 1,
      shininess: 90,
      side: { front: mix(c, WHITE, 0.2), back: scale(c, 0.45) },
      depth: 0.1,
      streaks: 0.5,
      faceAlpha: 0.34,
      sideAlpha: 0.7,
      shadow: { opacity: 0.25, color: scale(c, 0.25) },
      outline: { color: scale(c, 0.3), alpha: 0.85 },
    };
  },
};
