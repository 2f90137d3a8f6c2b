import { base } from './kit';
import type { MaterialDef } from './material-def';

export const marbleMaterial: MaterialDef<'marble'> = {
  id: 'marble',
  keywords: { en: ['marble'], ko: ['대리석', '마블'] },
  spec: () => ({
    ...base,
    face: [
      [0, [250, 248, 244]],
      [1, [226, 222, 216]],
    ],
    texture: 'marble',
    bevel: { width: 0.06, profile: 'chisel', relief: 1.3 },
    ambient: 0.5,
    specular: 0.35,
    shininess: 30,
    side: { front: [150, 146, 140], back: [70, 68, 66] },
    depth: 0.13,
    streaks: 0.12,
    outline: { color: [60, 58, 56], alpha: 0.6 },
  }),
};
