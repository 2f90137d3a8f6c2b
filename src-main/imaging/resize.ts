// Resampling with sharp: a good kernel (lanczos) matters for product preservation, and sharp
// premultiplies alpha internally, so edges get no dark fringe.
import sharp from 'sharp';
import { cloneRgba } from './raster';
import type { GrayImage, RgbaImage } from './types';

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

/** Resize to a rounded size of at least 1×1 (layer scaling in composition); same size returns the layer itself. */
export async function scaleLayer(layer: RgbaImage, width: number, height: number): Promise<RgbaImage> {
  const w = Math.max(1, Math.round(width)),
    h = Math.max(1, Math.round(height));
  if (w === layer.width && h === layer.height) return layer;
  return resizeRgba(layer, w, h);
}

/** Resize a mask (lanczos3, clamped by sharp to 0..255). */
export async function resizeGray(img: GrayImage, width: number, height: number): Promise<GrayImage> {
  if (img.width === width && img.height === height) return { width, height, data: Buffer.from(img.data) };
  const { data } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width, height, data };
}
