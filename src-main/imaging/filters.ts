// Separable filters over gray planes: gaussian blur (three box passes, O(1) per pixel whatever the
// radius) and square-window morphology (dilate/erode).
import { cloneGray, createGray } from './raster';
import type { GrayImage } from './types';

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
