import { METAL_WORDS, metal } from './kit';
import type { MaterialDef } from './material-def';

export const goldMaterial: MaterialDef<'gold'> = {
  id: 'gold',
  keywords: { en: ['gold', 'golden', 'gilded', 'brass'], ko: ['금', '금색', '금빛', '황금', '골드', '황동'] },
  excludedBy: METAL_WORDS,
  spec: () =>
    metal(
      [
        [0, [255, 247, 205]],
        [0.3, [250, 212, 110]],
        [0.52, [201, 137, 38]],
        [0.56, [150, 92, 20]],
        [0.62, [214, 152, 52]],
        [0.85, [255, 224, 140]],
        [1, [226, 164, 62]],
      ],
      { front: [168, 104, 22], back: [72, 38, 6] },
      [255, 246, 214],
      [74, 40, 4],
    ),
};
