import { METAL_WORDS, metal, WHITE } from './kit';
import type { MaterialDef } from './material-def';

export const silverMaterial: MaterialDef<'silver'> = {
  id: 'silver',
  keywords: { en: ['silver', 'platinum', 'steel', 'aluminium', 'aluminum'], ko: ['은', '은색', '은빛', '실버', '백금', '스틸', '강철'] },
  excludedBy: METAL_WORDS,
  spec: () =>
    metal(
      [
        [0, [252, 253, 255]],
        [0.3, [216, 220, 228]],
        [0.52, [160, 166, 178]],
        [0.56, [118, 124, 136]],
        [0.62, [178, 184, 194]],
        [0.85, [236, 239, 244]],
        [1, [182, 188, 198]],
      ],
      { front: [112, 118, 130], back: [40, 44, 52] },
      WHITE,
      [34, 38, 46],
    ),
};
