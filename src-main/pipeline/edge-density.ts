// Pure image statistics for text placement: luminance, Sobel gradient energy and summed-area
// tables, so that the mean edge density / luminance / product coverage under any candidate box
// costs O(1) and auto placement can score hundreds of boxes in a few milliseconds.
import type { GrayImage, RgbaImage } from '../imaging/types';

/** Rec. 709 luma of each pixel, 0..255 (alpha ignored: the step-1 scene is opaque). */
export function lumaOf(image: RgbaImage): Float32Array {
  const { width, height, data } = image;
  const out = new Float32Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    out[i] = 0.2126 * data[p] + 0.7152 * data[p + 1] + 0.0722 * data[p + 2];
  }
  return out;
}

/**
 * Sobel gradient magnitude |G| = sqrt(gx² + gy²) with the 3×3 kernels; borders replicate the
 * edge pixel so a flat image gives exactly zero everywhere. A step of 255 gives 1020.
 */
export function sobelMagnitude(luma: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const at = (x: number, y: number) => {
    const cx = x < 0 ? 0 : x >= width ? width - 1 : x;
    const cy = y < 0 ? 0 : y >= height ? height - 1 : y;
    return luma[cy * width + cx];
  };
  for (let y = 0; y < height; y++) {
    const interiorRow = y > 0 && y < height - 1;
    for (let x = 0; x < width; x++) {
      let a, b, c, d, f, g, h, k;
      if (interiorRow && x > 0 && x < width - 1) {
        // Fast path without clamping (all but the one-pixel frame).
        const i = y * width + x;
        a = luma[i - width - 1];
        b = luma[i - width];
        c = luma[i - width + 1];
        d = luma[i - 1];
        f = luma[i + 1];
        g = luma[i + width - 1];
        h = luma[i + width];
        k = luma[i + width + 1];
      } else {
        a = at(x - 1, y - 1);
        b = at(x, y - 1);
        c = at(x + 1, y - 1);
        d = at(x - 1, y);
        f = at(x + 1, y);
        g = at(x - 1, y + 1);
        h = at(x, y + 1);
        k = at(x + 1, y + 1);
      }
      const gx = c + 2 * f + k - a - 2 * d - g;
      const gy = g + 2 * h + k - a - 2 * b - c;
      out[y * width + x] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return out;
}

/** Summed-area table with a zero first row/column: size (width+1)×(height+1). */
export interface Integral {
  width: number;
  height: number;
  sums: Float64Array;
}

export function integralImage(values: ArrayLike<number>, width: number, height: number): Integral {
  const stride = width + 1;
  const sums = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x];
      sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row;
    }
  }
  return { width, height, sums };
}

/** Sum over the pixel rectangle [x0, x1) × [y0, y1), clipped to the image. */
export function boxSum(ii: Integral, x0: number, y0: number, x1: number, y1: number): number {
  const ax = Math.max(0, Math.min(ii.width, Math.floor(x0)));
  const ay = Math.max(0, Math.min(ii.height, Math.floor(y0)));
  const bx = Math.max(0, Math.min(ii.width, Math.ceil(x1)));
  const by = Math.max(0, Math.min(ii.height, Math.ceil(y1)));
  if (bx <= ax || by <= ay) return 0;
  const s = ii.width + 1;
  return ii.sums[by * s + bx] - ii.sums[ay * s + bx] - ii.sums[by * s + ax] + ii.sums[ay * s + ax];
}

/** Mean over the clipped rectangle (0 when it is empty). */
export function integralMean(ii: Integral, x0: number, y0: number, x1: number, y1: number): number {
  const ax = Math.max(0, Math.floor(x0)),
    ay = Math.max(0, Math.floor(y0));
  const bx = Math.min(ii.width, Math.ceil(x1)),
    by = Math.min(ii.height, Math.ceil(y1));
  const area = (bx - ax) * (by - ay);
  return area > 0 ? boxSum(ii, ax, ay, bx, by) / area : 0;
}

/** Everything placement needs to know about the scene, as O(1) box queries. */
export interface SceneMaps {
  /** Canvas size in output pixels. */
  width: number;
  height: number;
  /** Output pixels per map pixel: large canvases are analysed at reduced resolution. */
  factor: number;
  edge: Integral;
  luma: Integral;
  lumaSq: Integral;
  /** Product mask 0..1 (null when there is no product). */
  mask: Integral | null;
}

/** Analysis resolution: about 512 px on the long side is plenty to judge where text reads. */
export const analysisFactor = (width: number, height: number) => Math.max(1, Math.round(Math.max(width, height) / 512));

/** Mean of each f×f block (edge blocks average what they cover). */
export function downsampleMean(values: ArrayLike<number>, width: number, height: number, f: number): { data: Float32Array; width: number; height: number } {
  if (f === 1) return { data: Float32Array.from(values), width, height };
  const w = Math.ceil(width / f),
    h = Math.ceil(height / f);
  const sum = new Float32Array(w * h),
    count = new Float32Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < width; x++) {
      const i = row + Math.floor(x / f);
      sum[i] += values[y * width + x];
      count[i]++;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] /= count[i];
  return { data: sum, width: w, height: h };
}

/** Integral of the product mask as 0..1 coverage at the analysis resolution. */
export function maskIntegral(mask: GrayImage, f: number): Integral {
  const m = new Float32Array(mask.data.length);
  for (let i = 0; i < m.length; i++) m[i] = mask.data[i] / 255;
  const d = downsampleMean(m, mask.width, mask.height, f);
  return integralImage(d.data, d.width, d.height);
}

export function sceneMaps(background: RgbaImage, productMask: GrayImage | null): SceneMaps {
  const { width, height } = background;
  const f = analysisFactor(width, height);
  const small = downsampleMean(lumaOf(background), width, height, f);
  const sq = new Float32Array(small.data.length);
  for (let i = 0; i < sq.length; i++) sq[i] = small.data[i] * small.data[i];
  // Sobel at analysis resolution, scaled back to per-output-pixel gradient units.
  const edge = sobelMagnitude(small.data, small.width, small.height);
  for (let i = 0; i < edge.length; i++) edge[i] /= f;
  const sameSize = productMask && productMask.width === width && productMask.height === height;
  return {
    width,
    height,
    factor: f,
    edge: integralImage(edge, small.width, small.height),
    luma: integralImage(small.data, small.width, small.height),
    lumaSq: integralImage(sq, small.width, small.height),
    mask: sameSize ? maskIntegral(productMask, f) : null,
  };
}
