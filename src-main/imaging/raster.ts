// Pixel buffers: create, copy, crop, paste, channel extraction, bounds and comparison. Pure and
// synchronous; the one home of alphaOf / alphaBox / boundsOf for the whole code base.
import type { GrayImage, Rect, RgbaImage } from './types';

export function createRgba(width: number, height: number, fill: [number, number, number, number] = [0, 0, 0, 0]): RgbaImage {
  const data = Buffer.alloc(width * height * 4);
  if (fill.some((v) => v !== 0)) {
    for (let i = 0; i < data.length; i += 4) {
      data[i] = fill[0];
      data[i + 1] = fill[1];
      data[i + 2] = fill[2];
      data[i + 3] = fill[3];
    }
  }
  return { width, height, data };
}

export function createGray(width: number, height: number, fill = 0): GrayImage {
  return { width, height, data: Buffer.alloc(width * height, fill) };
}

export function cloneRgba(img: RgbaImage): RgbaImage {
  return { width: img.width, height: img.height, data: Buffer.from(img.data) };
}

export function cloneGray(img: GrayImage): GrayImage {
  return { width: img.width, height: img.height, data: Buffer.from(img.data) };
}

/** Alpha channel of an RGBA image as a GrayImage. */
export function alphaOf(img: RgbaImage): GrayImage {
  const out = createGray(img.width, img.height);
  for (let i = 0, j = 3; i < out.data.length; i++, j += 4) out.data[i] = img.data[j];
  return out;
}

/** Rec. 709 luma of each pixel, 0..255 (alpha ignored). */
export function luminance(img: RgbaImage): GrayImage {
  const out = createGray(img.width, img.height);
  const d = img.data;
  for (let i = 0, j = 0; i < out.data.length; i++, j += 4) {
    out.data[i] = Math.round(0.2126 * d[j] + 0.7152 * d[j + 1] + 0.0722 * d[j + 2]);
  }
  return out;
}

/** Copy of the pixels inside `r` (clipped to the image; outside pixels are transparent). */
export function cropRgba(img: RgbaImage, r: Rect): RgbaImage {
  return { width: r.width, height: r.height, data: cropPlane(img.data, img.width, img.height, 4, r) };
}

export function cropGray(img: GrayImage, r: Rect): GrayImage {
  return { width: r.width, height: r.height, data: cropPlane(img.data, img.width, img.height, 1, r) };
}

/** Rows of `r` copied out of an interleaved plane with `channels` bytes per pixel; outside is 0. */
function cropPlane(data: Buffer, width: number, height: number, channels: number, r: Rect): Buffer {
  const out = Buffer.alloc(r.width * r.height * channels);
  const x0 = Math.max(0, -r.x);
  const x1 = Math.min(r.width, width - r.x);
  if (x1 <= x0) return out;
  for (let y = 0; y < r.height; y++) {
    const sy = r.y + y;
    if (sy < 0 || sy >= height) continue;
    data.copy(out, (y * r.width + x0) * channels, (sy * width + r.x + x0) * channels, (sy * width + r.x + x1) * channels);
  }
  return out;
}

/** Pastes a gray image into a larger one at (x, y) (replacing values), in place. */
export function pasteGray(dst: GrayImage, src: GrayImage, x: number, y: number): GrayImage {
  for (let sy = 0; sy < src.height; sy++) {
    const dy = sy + y;
    if (dy < 0 || dy >= dst.height) continue;
    const x0 = Math.max(0, -x);
    const x1 = Math.min(src.width, dst.width - x);
    if (x1 <= x0) continue;
    src.data.copy(dst.data, dy * dst.width + x + x0, sy * src.width + x0, sy * src.width + x1);
  }
  return dst;
}

export const clamp255 = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** Bounding box of pixels with value > threshold, or null if none. */
export function boundsOf(mask: GrayImage, threshold = 0): Rect | null {
  let x0 = mask.width,
    y0 = mask.height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    const row = y * mask.width;
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[row + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Box of pixels with alpha > threshold, or null when nothing is visible. */
export function alphaBox(image: RgbaImage, threshold = 0): Rect | null {
  const { width, height, data } = image;
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4 + 3] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * PSNR in dB between the RGB channels of two same-size images, over the pixels where `mask`
 * (if given) is > maskThreshold. Infinity when identical.
 */
export function psnr(a: RgbaImage, b: RgbaImage, mask?: GrayImage, maskThreshold = 0): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('psnr: size mismatch');
  let se = 0;
  let n = 0;
  for (let i = 0, j = 0; i < a.width * a.height; i++, j += 4) {
    if (mask && mask.data[i] <= maskThreshold) continue;
    for (let c = 0; c < 3; c++) {
      const d = a.data[j + c] - b.data[j + c];
      se += d * d;
    }
    n += 3;
  }
  if (n === 0) throw new Error('psnr: empty mask');
  if (se === 0) return Infinity;
  return 10 * Math.log10((255 * 255) / (se / n));
}
