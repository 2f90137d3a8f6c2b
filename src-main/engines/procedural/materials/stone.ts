import { base } from './kit';
import type { MaterialDef } from './material-def';

export const stoneMaterial: MaterialDef<'stone'> = {
  id: 'stone',
  keywords: { en: ['stone', 'rock', 'granite', 'concrete'], ko: ['돌', '석재', '바위', '화강암', '콘크리트', '스톤'] },
  hints: { en: ['carved'], ko: ['조각'] },
  spec: () => ({
    ...base,
    face: [
      [0, [206, 200, 188]],
      [1, [170, 164, 152]],
    ],
    texture: 'stone',
    bevel: { width: 0.06, profile: 'chisel', relief: 1.3 },
    ambient: 0.45,
    specular: 0.08,
    shininess: 8,
    side: { front: [112, 108, 100], back: [44, 42, 38] },
    depth: 0.15,
    outline: { color: [34, 33, 31], alpha: 0.55 },
  }),
};
