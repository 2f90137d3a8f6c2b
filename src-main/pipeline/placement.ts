// Where the product goes in the frame. Documented rule (also in the product_scale parameter):
//   - product height = product_scale × frame height (default 0.55),
//   - but never wider than 80 % of the frame width, and never so tall that its top leaves the frame
//     (a margin of 3 % of the frame height is kept above it),
//   - centred horizontally, its lowest opaque row standing on the scene's ground line.
// Room for a headline (`reserve`):
//   - 'bottom': the product stands further back on the floor so that a band of the frame's bottom
//     (the layout's bottom text band) stays free; its base never rises above the horizon plus a
//     margin, and it is scaled down a little, as perspective would;
//   - 'top': the product's top stays below TOP_RESERVE_SHARE of the frame height.
import { BAND_HEIGHT, SAFE_MARGIN } from './layout';
import type { GrayImage, Rect, RgbaImage } from '../imaging/types';

export const MAX_WIDTH_SHARE = 0.8;
export const TOP_MARGIN_SHARE = 0.03;
/** With the top reserved for a headline, the product's top stays below this share of the height. */
export const TOP_RESERVE_SHARE = 0.3;
/** Gap between the raised base and the bottom text band (share of the height): the contact shadow. */
const BOTTOM_RESERVE_GAP = 0.01;
/** Least floor depth between the horizon and a raised base (share of the height). */
const HORIZON_GAP = 0.07;
/** Smallest perspective scale for a raised product: it stays the hero of the ad. */
const MIN_DEPTH_SCALE = 0.8;

export type TextReserve = 'top' | 'bottom' | null;

/** Lowest row the product's base may take so the reserved text band stays free (null: no limit). */
export function groundLimitFor(reserve: TextReserve | undefined, frameHeight: number): number | null {
  if (reserve !== 'bottom') return null;
  return Math.round(frameHeight * (1 - SAFE_MARGIN - BAND_HEIGHT.bottom - BOTTOM_RESERVE_GAP));
}

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
  /** Keep a band free for the headline (see the header). */
  reserve?: TextReserve;
  /**
   * The floor, where the background engine knows it: the horizon bounds how far back the product
   * may stand, and the scene's own ground line is the reference for the perspective scale.
   */
  floor?: { horizonY: number; defaultGroundY: number };
}

export interface ProductPlacement extends Rect {
  /** Row the product's base actually stands on (the scene's ground line as used). */
  baseY: number;
}

/**
 * Perspective scale of a product moved from the scene's ground line back to `ground`: true
 * perspective (distance to the horizon) softened to a fourth root, never below MIN_DEPTH_SCALE.
 */
export function depthScale(ground: number, floor: { horizonY: number; defaultGroundY: number } | undefined): number {
  if (!floor || ground >= floor.defaultGroundY) return 1;
  const ratio = (ground - floor.horizonY) / Math.max(1, floor.defaultGroundY - floor.horizonY);
  return Math.max(MIN_DEPTH_SCALE, Math.pow(Math.max(0, ratio), 0.25));
}

/** Target rectangle (output pixels, integers) of the scaled product, and the row its base is on. */
export function placeProduct(p: PlacementInput): ProductPlacement {
  const base = p.productBaseRow ?? p.productHeight - 1;
  let ground = Math.min(p.frameHeight - 1, Math.max(0, Math.round(p.groundY)));
  const limit = groundLimitFor(p.reserve, p.frameHeight);
  if (limit !== null && ground > limit) {
    // Stand further back, but stay on the floor (engines that cannot raise the ground report their own).
    const floorTop = p.floor ? p.floor.horizonY + HORIZON_GAP * p.frameHeight : 0;
    ground = Math.max(Math.round(floorTop), limit);
    ground = Math.min(ground, Math.round(p.groundY));
  }
  const margin = (p.reserve === 'top' ? TOP_RESERVE_SHARE : TOP_MARGIN_SHARE) * p.frameHeight;
  let s = (p.productScale * p.frameHeight * depthScale(ground, p.floor)) / p.productHeight;
  s = Math.min(s, (MAX_WIDTH_SHARE * p.frameWidth) / p.productWidth);
  // The part above the base must fit between the top margin and the ground line.
  s = Math.min(s, Math.max(1, ground + 1 - margin) / (base + 1));
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
  return { x, y, width, height, baseY: y + baseScaled };
}

/** A sliver of the product (output pixels) always stays inside the frame. */
export const MIN_VISIBLE_PX = 16;

/**
 * The product where the designer put it (params.product_box): its top-left corner and width in
 * output pixels, the height from the cut-out's aspect. It may overhang the edges, but a sliver of
 * MIN_VISIBLE_PX stays inside. Its base row (the ground its shadows fall on) comes with it.
 */
export function placeProductAt(
  box: { x: number; y: number; width: number },
  p: Pick<PlacementInput, 'productWidth' | 'productHeight' | 'productBaseRow' | 'frameWidth' | 'frameHeight'>,
): ProductPlacement {
  const base = p.productBaseRow ?? p.productHeight - 1;
  const maxWidth = 4 * Math.max(p.frameWidth, p.frameHeight);
  const width = Math.max(8, Math.min(maxWidth, Math.round(box.width)));
  const height = Math.max(1, Math.round((p.productHeight * width) / p.productWidth));
  const sliverX = Math.min(MIN_VISIBLE_PX, width);
  const sliverY = Math.min(MIN_VISIBLE_PX, height);
  const x = Math.max(sliverX - width, Math.min(p.frameWidth - sliverX, Math.round(box.x)));
  const y = Math.max(sliverY - height, Math.min(p.frameHeight - sliverY, Math.round(box.y)));
  const baseScaled = Math.min(height - 1, Math.max(0, Math.round((base + 1) * (height / p.productHeight)) - 1));
  return { x, y, width, height, baseY: y + baseScaled };
}
