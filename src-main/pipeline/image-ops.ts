// Shared pure pixel helpers over RgbaImage / GrayImage (owned by the scene engineer; others import).
// Everything here is synchronous plain-buffer maths except `resizeRgba`, which uses sharp because
// a good resampling kernel (lanczos) matters for product preservation.
import sharp from 'sharp';
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

/** Mean of a gray image inside a rect (clipped to the image). */
export function meanGray(img: GrayImage, r: Rect = { x: 0, y: 0, width: img.width, height: img.height }): number {
  const x0 = Math.max(0, Math.floor(r.x));
  const y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(img.width, Math.floor(r.x + r.width));
  const y1 = Math.min(img.height, Math.floor(r.y + r.height));
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) sum += img.data[y * img.width + x];
    n += Math.max(0, x1 - x0);
  }
  return n ? sum / n : 0;
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

/** Writes `src` (RGBA, straight alpha) over `dst` at integer offset (x, y), in place: Porter-Duff "over". */
export function alphaOver(dst: RgbaImage, src: RgbaImage, x = 0, y = 0): RgbaImage {
  const sx0 = Math.max(0, -x);
  const sy0 = Math.max(0, -y);
  const sx1 = Math.min(src.width, dst.width - x);
  const sy1 = Math.min(src.height, dst.height - y);
  const s = src.data;
  const d = dst.data;
  for (let sy = sy0; sy < sy1; sy++) {
    let si = (sy * src.width + sx0) * 4;
    let di = ((sy + y) * dst.width + sx0 + x) * 4;
    for (let sx = sx0; sx < sx1; sx++, si += 4, di += 4) {
      const sa = s[si + 3];
      if (sa === 0) continue;
      if (sa === 255) {
        d[di] = s[si];
        d[di + 1] = s[si + 1];
        d[di + 2] = s[si + 2];
        d[di + 3] = 255;
        continue;
      }
      const a = sa / 255;
      const da = d[di + 3] / 255;
      const oa = a + da * (1 - a);
      for (let c = 0; c < 3; c++) d[di + c] = Math.round((s[si + c] * a + d[di + c] * da * (1 - a)) / oa);
      d[di + 3] = Math.round(oa * 255);
    }
  }
  return dst;
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

/**
 * One horizontal + vertical box-blur pass over a float plane (running sums, edge-clamped), in place.
 * Three passes approximate a gaussian (central limit), at O(1) cost per pixel whatever the radius.
 */
function boxBlurPlane(plane: Float32Array, w: number, h: number, r: number, tmp: Float32Array): void {
  if (r < 1) return;
  const norm = 1 / (2 * r + 1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = plane[row] * (r + 1);
    for (let i = 1; i <= r; i++) acc += plane[row + Math.min(i, w - 1)];
    for (let x = 0; x < w; x++) {
      tmp[row + x] = acc * norm;
      acc += plane[row + Math.min(x + r + 1, w - 1)] - plane[row + Math.max(x - r, 0)];
    }
  }
  for (let x = 0; x < w; x++) {
    let acc = tmp[x] * (r + 1);
    for (let i = 1; i <= r; i++) acc += tmp[Math.min(i, h - 1) * w + x];
    for (let y = 0; y < h; y++) {
      plane[y * w + x] = acc * norm;
      acc += tmp[Math.min(y + r + 1, h - 1) * w + x] - tmp[Math.max(y - r, 0) * w + x];
    }
  }
}

/** Box radii for three passes whose combined variance matches a gaussian of `sigma`. */
export function boxRadiiForSigma(sigma: number, passes = 3): number[] {
  const wIdeal = Math.sqrt((12 * sigma * sigma) / passes + 1);
  let wl = Math.floor(wIdeal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - passes * wl * wl - 4 * passes * wl - 3 * passes) / (-4 * wl - 4));
  const radii: number[] = [];
  for (let i = 0; i < passes; i++) radii.push(((i < m ? wl : wu) - 1) / 2);
  return radii;
}

/** Gaussian blur (3-pass box approximation) of a float plane, in place. */
export function blurPlane(plane: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma < 0.5) return plane;
  const tmp = new Float32Array(plane.length);
  for (const r of boxRadiiForSigma(sigma)) boxBlurPlane(plane, w, h, Math.max(0, Math.round(r)), tmp);
  return plane;
}

export function grayToFloat(img: GrayImage): Float32Array {
  const f = new Float32Array(img.data.length);
  for (let i = 0; i < f.length; i++) f[i] = img.data[i];
  return f;
}

export function floatToGray(f: Float32Array, width: number, height: number): GrayImage {
  const out = createGray(width, height);
  for (let i = 0; i < f.length; i++) out.data[i] = f[i] <= 0 ? 0 : f[i] >= 255 ? 255 : Math.round(f[i]);
  return out;
}

/** Gaussian blur of a gray image (new image). */
export function blurGray(img: GrayImage, sigma: number): GrayImage {
  const f = grayToFloat(img);
  blurPlane(f, img.width, img.height, sigma);
  return floatToGray(f, img.width, img.height);
}

/** Gaussian blur of an RGBA image, alpha-weighted so transparent pixels do not bleed black. */
export function blurRgba(img: RgbaImage, sigma: number): RgbaImage {
  const { width: w, height: h, data } = img;
  const n = w * h;
  const planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const a = data[j + 3] / 255;
    planes[0][i] = data[j] * a;
    planes[1][i] = data[j + 1] * a;
    planes[2][i] = data[j + 2] * a;
    planes[3][i] = data[j + 3];
  }
  for (const p of planes) blurPlane(p, w, h, sigma);
  const out = createRgba(w, h);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const a = planes[3][i];
    const inv = a > 0.01 ? 255 / a : 0;
    out.data[j] = clamp255(planes[0][i] * inv);
    out.data[j + 1] = clamp255(planes[1][i] * inv);
    out.data[j + 2] = clamp255(planes[2][i] * inv);
    out.data[j + 3] = clamp255(a);
  }
  return out;
}

export const clamp255 = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** Max (dilate) or min (erode) filter with a square window of radius r, separable, new image. */
function morph(img: GrayImage, r: number, isMax: boolean): GrayImage {
  const { width: w, height: h } = img;
  if (r < 1) return cloneGray(img);
  const tmp = Buffer.alloc(w * h);
  const out = Buffer.alloc(w * h);
  const pick = isMax ? Math.max : Math.min;
  // Naive window per pixel: radii here are small (a few px), so O(r) per pixel is fine.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let v = img.data[row + x];
      const a = Math.max(0, x - r);
      const b = Math.min(w - 1, x + r);
      for (let k = a; k <= b; k++) v = pick(v, img.data[row + k]);
      tmp[row + x] = v;
    }
  }
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      let v = tmp[y * w + x];
      const a = Math.max(0, y - r);
      const b = Math.min(h - 1, y + r);
      for (let k = a; k <= b; k++) v = pick(v, tmp[k * w + x]);
      out[y * w + x] = v;
    }
  }
  return { width: w, height: h, data: out };
}

export const dilateGray = (img: GrayImage, r: number) => morph(img, r, true);
export const erodeGray = (img: GrayImage, r: number) => morph(img, r, false);

/** Bounding box of pixels with value > threshold, or null if none. */
export function boundsOf(mask: GrayImage, threshold = 0): Rect | null {
  let x0 = mask.width, y0 = mask.height, x1 = -1, y1 = -1;
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

/** Resize with sharp (lanczos3 by default); alpha is kept straight (sharp premultiplies internally). */
export async function resizeRgba(img: RgbaImage, width: number, height: number, kernel: 'lanczos3' | 'linear' | 'nearest' = 'lanczos3'): Promise<RgbaImage> {
  if (img.width === width && img.height === height) return cloneRgba(img);
  const { data, info } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
    .resize(width, height, { fit: 'fill', kernel })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error('resizeRgba: expected 4 channels');
  return { width, height, data };
}

export async function resizeGray(img: GrayImage, width: number, height: number): Promise<GrayImage> {
  if (img.width === width && img.height === height) return cloneGray(img);
  const { data } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width, height, data };
}

/** Encode to PNG (for artifacts and debug images). */
export async function encodePng(img: RgbaImage | GrayImage): Promise<Buffer> {
  const channels = img.data.length === img.width * img.height ? 1 : 4;
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels } }).png().toBuffer();
}
