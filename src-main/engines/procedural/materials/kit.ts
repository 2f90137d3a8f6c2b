// What several materials share: the neutral defaults, the polished-metal recipe, and the generic
// metal words that rule all metals out from a negative prompt.
import type { Rgb } from '../../../imaging/colour';
import type { Keywords } from '../../prompt-keywords';
import type { MaterialSpec, Stop } from './material-def';

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];
export const scale = (a: Rgb, k: number): Rgb => [a[0] * k, a[1] * k, a[2] * k];

/** "metal" names no metal in particular: a hint for chrome, an exclusion of every metal. */
export const METAL_WORDS: Keywords = { en: ['metal', 'metallic'], ko: ['금속', '메탈'] };

export const base = {
  texture: 'none' as const,
  ambient: 0.45,
  specular: 0.6,
  shininess: 24,
  specColor: WHITE,
  streaks: 0,
  reflect: 0,
  faceAlpha: 1,
  sideAlpha: 1,
  glow: null,
  shadow: { opacity: 0.55, color: [18, 14, 10] as Rgb },
};

export function metal(face: Stop[], side: { front: Rgb; back: Rgb }, specColor: Rgb, outline: Rgb): MaterialSpec {
  return {
    ...base,
    face,
    bevel: { width: 0.07, profile: 'chisel', relief: 1.4 },
    ambient: 0.3,
    specular: 0.9,
    shininess: 40,
    specColor,
    side,
    depth: 0.13,
    streaks: 0.28,
    reflect: 0.9,
    outline: { color: outline, alpha: 0.55 },
  };
}
