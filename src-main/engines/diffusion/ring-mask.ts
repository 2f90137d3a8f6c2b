// Product-ring repaint masks: where the diffusion model may repaint around a placed product
// (contact shadow, reflections, light spill), and the paste-back that restores the product's own
// pixels afterwards. Distances come from an exact Euclidean distance transform, so dilation and
// erosion are round (not square) at any radius, in time linear in the pixel count.
import { distanceTransform } from '../../core/distance-transform';
import type { GrayImage, RgbaImage } from '../../imaging/types';

export interface RingOptions {
  /** How far outside the product the model may paint, px (the dilation radius). */
  outer: number;
  /** How far inside the product's edge the model may paint, px (the erosion radius). */
  inner: number;
  /** Width of the soft edges, px (0 = hard); kept inside the [−inner, +outer] band. */
  feather: number;
  /** Mask values above this are product (default 127). */
  threshold?: number;
}

interface Distances {
  /** Distance to the product (0 inside it). */
  outside: Float32Array;
  /** Distance to the nearest non-product pixel (0 outside the product). */
  inside: Float32Array;
}

function distances(mask: GrayImage, threshold: number): Distances {
  const n = mask.width * mask.height;
  const isProduct = new Uint8Array(n);
  const isBackground = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = mask.data[i] > threshold ? 1 : 0;
    isProduct[i] = p;
    isBackground[i] = 1 - p;
  }
  const inside = distanceTransform(isBackground, mask.width, mask.height);
  // A product filling the whole frame has no background: treat it as infinitely deep.
  return { outside: distanceTransform(isProduct, mask.width, mask.height), inside };
}

/** 1 at `full` and beyond toward the band, 0 at `edge`, linear between (a step when they meet). */
function ramp(d: number, edge: number, full: number): number {
  if (edge === full) return d <= edge ? 1 : 0;
  const t = (edge - d) / (edge - full);
  return t <= 0 ? 0 : t >= 1 ? 1 : t;
}

/**
 * The repaint ring: dilate(mask, outer) minus erode(mask, inner), 255 where the model paints,
 * soft over `feather` px at both edges, and exactly 0 outside the dilation and inside the erosion.
 */
export function ringMask(productMask: GrayImage, opts: RingOptions): GrayImage {
  const { outer, inner } = opts;
  if (!(outer >= 0) || !(inner >= 0)) throw new Error(`ring radii must be ≥ 0 (outer ${outer}, inner ${inner})`);
  const threshold = opts.threshold ?? 127;
  const { outside, inside } = distances(productMask, threshold);
  const fo = Math.min(Math.max(0, opts.feather), outer);
  const fi = Math.min(Math.max(0, opts.feather), inner);
  const out = Buffer.alloc(productMask.width * productMask.height);
  for (let i = 0; i < out.length; i++) {
    // Outside: full until outer − feather, fading to 0 at outer. Inside: full at the edge, 0 from `inner` inward.
    const w = outside[i] > 0 ? ramp(outside[i], outer, outer - fo) : inner === 0 ? 0 : ramp(inside[i], inner, inner - fi);
    out[i] = Math.round(w * 255);
  }
  return { width: productMask.width, height: productMask.height, data: out };
}

/**
 * Weight of the original product (0..255) for the paste-back: 255 exactly inside erode(mask, inner),
 * falling to 0 over `feather` px toward the edge, 0 outside the product. The complement of the
 * ring inside the product.
 */
export function keepMask(productMask: GrayImage, opts: Pick<RingOptions, 'inner' | 'feather' | 'threshold'>): GrayImage {
  const { inside } = distances(productMask, opts.threshold ?? 127);
  const fi = Math.min(Math.max(0, opts.feather), opts.inner);
  const out = Buffer.alloc(productMask.width * productMask.height);
  for (let i = 0; i < out.length; i++) {
    if (inside[i] <= 0) continue;
    out[i] = opts.inner === 0 ? 255 : 255 - Math.round(ramp(inside[i], opts.inner, opts.inner - fi) * 255);
  }
  return { width: productMask.width, height: productMask.height, data: out };
}

/**
 * Puts the original pixels back over a repainted image: out = keep·original + (1 − keep)·repainted,
 * so wherever keep is 255 (inside the eroded product) the result equals the original byte for byte.
 */
export function pasteBack(repainted: RgbaImage, original: RgbaImage, keep: GrayImage): RgbaImage {
  const { width, height } = original;
  for (const [name, img] of [
    ['repainted', repainted],
    ['keep mask', keep],
  ] as const)
    if (img.width !== width || img.height !== height) throw new Error(`pasteBack: ${name} is ${img.width}×${img.height}, original is ${width}×${height}`);
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const k = keep.data[i];
    for (let c = 0; c < 4; c++) {
      const o = i * 4 + c;
      data[o] = k === 255 ? original.data[o] : k === 0 ? repainted.data[o] : Math.round((original.data[o] * k + repainted.data[o] * (255 - k)) / 255);
    }
  }
  return { width, height, data };
}

/** The product pixels restored after a ring repaint, from the product mask and the ring's radii. */
export function pasteBackProduct(
  repainted: RgbaImage,
  original: RgbaImage,
  productMask: GrayImage,
  opts: Pick<RingOptions, 'inner' | 'feather' | 'threshold'>,
): RgbaImage {
  return pasteBack(repainted, original, keepMask(productMask, opts));
}
