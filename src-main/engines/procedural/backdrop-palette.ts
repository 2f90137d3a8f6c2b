// The backdrop's colour choices: the product's tone (from its dominant colours) and the
// backdrop tint that complements them with enough contrast for the product to stand out.
import { hslToRgb, luma, rgbToHsl, type Rgb } from '../../imaging/colour';

/** What the backdrop needs to know about the product's colours. */
export interface ProductTone {
  /** Hue of the most saturated dominant colour, or null for a neutral (grey/white/black) product. */
  hue: number | null;
  /** Mean luma of the dominant colours, 0..1. */
  luma: number;
}

export function productTone(colors: Rgb[]): ProductTone {
  if (colors.length === 0) return { hue: null, luma: 0.5 };
  const norm = colors.map((c) => [c[0] / 255, c[1] / 255, c[2] / 255] as Rgb);
  let best: { hue: number; sat: number } | null = null;
  for (const c of norm) {
    const [h, s, l] = rgbToHsl(c);
    // Saturation of very dark/light colours is unstable; weight by how mid-tone they are.
    const eff = s * (1 - Math.abs(2 * l - 1));
    if (eff > 0.12 && (!best || eff > best.sat)) best = { hue: h, sat: eff };
  }
  const l = norm.reduce((a, c) => a + luma(c), 0) / norm.length;
  return { hue: best ? best.hue : null, luma: l };
}

/**
 * A backdrop colour for looks that take a free tint: the complement of the product hue (or the
 * look's own hue for neutral products), soft saturation, and a lightness chosen for contrast:
 * light products get a mid-tone backdrop, dark and mid products a light one.
 */
export function complementTint(tone: ProductTone, fallbackHue: number, sat: number, lightness: number, rotate = 180): Rgb {
  const hue = tone.hue === null ? fallbackHue : tone.hue + rotate;
  const l = tone.luma > 0.72 ? Math.min(lightness, 0.58) : lightness;
  return hslToRgb(hue, sat, l);
}
