// Where the product goes in the frame. Documented rule (also in the product_scale parameter):
//   - product height = product_scale × frame height (default 0.55),
//   - but never wider than 80 % of the frame width, and never so tall that its top leaves the frame
//     (a margin of 3 % of the frame height is kept above it),
//   - centred horizontally, its lowest opaque row standing on the scene's ground line.
import type { GrayImage, Rect, RgbaImage } from './types';

export const MAX_WIDTH_SHARE = 0.8;
export const TOP_MARGIN_SHARE = 0.03;

/** Lowest row whose alpha reaches `threshold` (the product's base), or height - 1 if none. */
export function baseRow(img: RgbaImage | GrayImage, threshold = 128): number {
  const channels = img.data.length === img.width * img.height ? 1 : 4;
  const off = channels === 4 ? 3 : 0;
  for (let y = img.height - 1; y >= 0; y--) {
    for (let x = 0; x < img.width; x++) if (img.data[(y * img.width + x) * channels + off] >= threshold) return y;
  }
  return img.height - 1;
}

export interface PlacementInput {
  /** Size of the trimmed cut-out. */
  productWidth: number;
  productHeight: number;
  /** Row of the cut-out's base (lowest opaque row); defaults to its last row. */
  productBaseRow?: number;
  frameWidth: number;
  frameHeight: number;
  groundY: number;
  /** Product height / frame height. */
  productScale: number;
}

/** Target rectangle (output pixels, integers) of the scaled product. */
export function placeProduct(p: PlacementInput): Rect {
  const base = p.productBaseRow ?? p.productHeight - 1;
  const ground = Math.min(p.frameHeight - 1, Math.max(0, Math.round(p.groundY)));
  const margin = TOP_MARGIN_SHARE * p.frameHeight;
  let s = (p.productScale * p.frameHeight) / p.productHeight;
  s = Math.min(s, (MAX_WIDTH_SHARE * p.frameWidth) / p.productWidth);
  // The part above the base must fit between the top margin and the ground line.
  s = Math.min(s, (ground + 1 - margin) / (base + 1));
  // And the part below the base (soft alpha tails) must fit under it.
  const below = p.productHeight - 1 - base;
  if (below > 0) s = Math.min(s, (p.frameHeight - 1 - ground) / below);
  const width = Math.max(1, Math.min(p.frameWidth, Math.round(p.productWidth * s)));
  const height = Math.max(1, Math.min(p.frameHeight, Math.round(p.productHeight * s)));
  // The base row lands on the ground line; the scaled base is at row round((base + 1) * s) - 1.
  const baseScaled = Math.min(height - 1, Math.max(0, Math.round((base + 1) * (height / p.productHeight)) - 1));
  let y = ground - baseScaled;
  y = Math.max(0, Math.min(p.frameHeight - height, y));
  const x = Math.max(0, Math.min(p.frameWidth - width, Math.round((p.frameWidth - width) / 2)));
  return { x, y, width, height };
}
