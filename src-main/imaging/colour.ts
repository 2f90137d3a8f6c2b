// Colour maths: the Rgb triple, dominant colours of an image, HSL conversions, luma and mixing.
import type { RgbaImage } from './types';

export type Rgb = [number, number, number];

/**
 * Dominant colours of the opaque pixels of an RGBA image, most frequent first: a 4-bit-per-channel
 * histogram whose top bins are returned as the mean colour of their members (sRGB 0..255).
 */
export function dominantColors(img: RgbaImage, count = 3): Rgb[] {
  const bins = new Map<number, { n: number; r: number; g: number; b: number }>();
  const d = img.data;
  // Subsample large cut-outs: the histogram only needs a few tens of thousands of pixels.
  const step = Math.max(1, Math.floor(Math.sqrt((img.width * img.height) / 40000)));
  for (let y = 0; y < img.height; y += step) {
    for (let x = 0; x < img.width; x += step) {
      const i = (y * img.width + x) * 4;
      if (d[i + 3] < 160) continue;
      const key = ((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4);
      let bin = bins.get(key);
      if (!bin) bins.set(key, (bin = { n: 0, r: 0, g: 0, b: 0 }));
      bin.n++;
      bin.r += d[i];
      bin.g += d[i + 1];
      bin.b += d[i + 2];
    }
  }
  const sorted = [...bins.values()].sort((a, b) => b.n - a.n);
  const out: Rgb[] = [];
  for (const b of sorted) {
    const c: Rgb = [Math.round(b.r / b.n), Math.round(b.g / b.n), Math.round(b.b / b.n)];
    // Skip near-duplicates of colours already chosen so the list shows distinct colours.
    if (out.some((o) => Math.abs(o[0] - c[0]) + Math.abs(o[1] - c[1]) + Math.abs(o[2] - c[2]) < 48)) continue;
    out.push(c);
    if (out.length >= count) break;
  }
  return out;
}

/** sRGB 0..1 → HSL (h in degrees 0..360, s and l 0..1). */
export function rgbToHsl([r, g, b]: Rgb): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h: number;
  if (max === r) h = (g - b) / d + (g < b ? 6 : 0);
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  return [h * 60, s, l];
}

/** HSL → sRGB 0..1. */
export function hslToRgb(h: number, s: number, l: number): Rgb {
  const hue = (((h % 360) + 360) % 360) / 360;
  if (s === 0) return [l, l, l];
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const f = (t: number) => {
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return [f(hue + 1 / 3), f(hue), f(hue - 1 / 3)];
}

export const luma = ([r, g, b]: Rgb) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** Linear mix of two colours. */
export const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
