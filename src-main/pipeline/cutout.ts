// Step 1's first half: the product cut out of its photo at full resolution. A photo that already
// has a real alpha keeps it; otherwise the segmentation model's matte is refined against the photo,
// the edge colours are decontaminated, and the result is trimmed to the product's box.
import { throwIfAborted } from '../core/errors';
import type { Segmenter } from '../engines/contracts';
import { bleedTransparentColours, estimateForeground } from '../engines/segment/foreground';
import { refineMatte } from '../engines/segment/refine';
import { alphaOf, cropGray, cropRgba } from '../imaging/raster';
import type { Cutout } from '../engines/contracts';
import type { GrayImage, Rect, RgbaImage } from '../imaging/types';

/** Share of pixels that must be see-through for an input alpha to count as a cut-out. */
const MEANINGFUL_ALPHA_SHARE = 0.005;
/** Below this share of solid pixels the model found no product. */
const EMPTY_MASK_SHARE = 0.002;
/** Pixels at or below this alpha do not extend the product's box. */
const BOX_ALPHA = 8;

/** True when enough pixels are see-through that the alpha describes an object, not a photo. */
export function hasMeaningfulAlpha(image: RgbaImage): boolean {
  const n = image.width * image.height;
  let clear = 0;
  for (let i = 3; i < image.data.length; i += 4) if (image.data[i] < 128) clear++;
  return clear >= Math.max(1, n * MEANINGFUL_ALPHA_SHARE);
}

/** Bounding box of alpha > threshold, padded and clamped; null when nothing is there. */
export function productBounds(alpha: GrayImage, threshold = BOX_ALPHA, padFraction = 0.01): Rect | null {
  const { width: w, height: h, data } = alpha;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let first = -1;
    for (let x = 0; x < w; x++) {
      if (data[row + x] > threshold) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    let last = first;
    for (let x = w - 1; x > first; x--) {
      if (data[row + x] > threshold) {
        last = x;
        break;
      }
    }
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
    if (y < y0) y0 = y;
    y1 = y;
  }
  if (x1 < 0) return null;
  // A couple of pixels at least, so the soft rim and the refined edge are never cut off.
  const pad = padFraction > 0 ? Math.max(2, Math.round(padFraction * Math.max(x1 - x0 + 1, y1 - y0 + 1))) : 0;
  const left = Math.max(0, x0 - pad);
  const top = Math.max(0, y0 - pad);
  const right = Math.min(w, x1 + 1 + pad);
  const bottom = Math.min(h, y1 + 1 + pad);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function solidShare(alpha: GrayImage): number {
  let solid = 0;
  for (let i = 0; i < alpha.data.length; i++) if (alpha.data[i] >= 128) solid++;
  return solid / alpha.data.length;
}

function wholeImage(image: RgbaImage, engine: string): Cutout {
  const data = Buffer.from(image.data);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { image: { width: image.width, height: image.height, data }, box: { x: 0, y: 0, width: image.width, height: image.height }, engine };
}

export async function cutOutProduct(image: RgbaImage, hasAlpha: boolean, segmenter: Segmenter, signal?: AbortSignal): Promise<Cutout> {
  throwIfAborted(signal);
  if (hasAlpha && hasMeaningfulAlpha(image)) {
    const box = productBounds(alphaOf(image), BOX_ALPHA, 0);
    if (box) return { image: bleedTransparentColours(cropRgba(image, box)), box, engine: 'input-alpha' };
  }
  const raw = await segmenter.segment(image, signal);
  throwIfAborted(signal);
  const alpha = await refineMatte(image, raw);
  throwIfAborted(signal);
  const box = productBounds(alpha);
  if (!box || solidShare(alpha) < EMPTY_MASK_SHARE) {
    // Nothing salient (a flat pattern, an empty table): the photo itself becomes the product, and
    // the engine string says so in the job status.
    return wholeImage(image, `${segmenter.id}:no-product-found:whole-image`);
  }
  const crop = cropRgba(image, box);
  const cropAlpha = cropGray(alpha, box);
  return { image: estimateForeground(crop, cropAlpha), box, engine: segmenter.id };
}
