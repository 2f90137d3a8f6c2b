import { base } from './kit';
import type { MaterialDef } from './material-def';

export const woodMaterial: MaterialDef<'wood'> = {
  id: 'wood',
  keywords: { en: ['wood', 'wooden', 'timber', 'oak', 'walnut'], ko: ['나무', '원목', '목재', '우드'] },
  spec: () => ({
    ...base,
    face: [
      [0, [214, 160, 104]],
      [1, [176, 118, 66]],
    ],
    texture: 'wood',
    bevel: { width: 0.05, profile: 'round', relief: 1.2 },
    ambient: 0.5,
    specular: 0.15,
    shininess: 12,
    side: { front: [118, 72, 34], back: [52, 28, 10] },
    depth: 0.14,
    outline: { color: [54, 30, 12], alpha: 0.5 },
  }),
};
