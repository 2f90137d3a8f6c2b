import { METAL_WORDS, metal, WHITE } from './kit';
import type { MaterialDef } from './material-def';

export const chromeMaterial: MaterialDef<'chrome'> = {
  id: 'chrome',
  keywords: { en: ['chrome', 'chromed', 'mirror', 'retro 80s'], ko: ['크롬', '거울', '미러'] },
  hints: METAL_WORDS,
  excludedBy: METAL_WORDS,
  // Chrome mirrors a sky above the horizon and dark ground below: the classic hard-edged band.
  spec: () => ({
    ...metal(
      [
        [0, [236, 246, 255]],
        [0.25, [150, 196, 240]],
        [0.5, [232, 242, 255]],
        [0.53, [64, 52, 50]],
        [0.62, [120, 98, 86]],
        [0.85, [226, 210, 196]],
        [1, [250, 246, 240]],
      ],
      { front: [70, 82, 100], back: [18, 22, 30] },
      WHITE,
      [16, 20, 30],
    ),
    shininess: 60,
    streaks: 0.35,
  }),
};
