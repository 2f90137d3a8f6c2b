import { METAL_WORDS, metal } from './kit';
import type { MaterialDef } from './material-def';

export const roseGoldMaterial: MaterialDef<'rose-gold'> = {
  id: 'rose-gold',
  keywords: { en: ['rose gold', 'rose-gold', 'rosegold', 'pink gold'], ko: ['로즈골드', '로즈 골드', '핑크골드', '핑크 골드'] },
  excludedBy: METAL_WORDS,
  spec: () =>
    metal(
      [
        [0, [255, 242, 236]],
        [0.3, [248, 204, 190]],
        [0.52, [214, 146, 130]],
        [0.56, [172, 104, 94]],
        [0.62, [226, 164, 148]],
        [0.85, [255, 222, 210]],
        [1, [230, 172, 156]],
      ],
      { front: [176, 106, 96], back: [78, 38, 38] },
      [255, 240, 236],
      [80, 36, 36],
    ),
};
