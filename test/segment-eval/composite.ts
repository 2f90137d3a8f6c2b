// Puts a product over a photograph with exact over-compositing and returns the known alpha.
import sharp from 'sharp';
import type { GrayImage, RgbaImage } from '../../src-main/imaging/types';

export async function loadPhoto(path: string, width: number, height: number): Promise<RgbaImage> {
  const { data, info } = await sharp(path)
    .resize(width, height, { fit: 'cover' })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

export function compositeOver(photo: RgbaImage, product: RgbaImage, left: number, top: number): { image: RgbaImage; alpha: GrayImage } {
  const out = Buffer.from(photo.data);
  const alpha = Buffer.alloc(photo.width * photo.height);
  for (let y = 0; y < product.height; y++) {
    const py = top + y;
    if (py < 0 || py >= photo.height) continue;
    for (let x = 0; x < product.width; x++) {
      const px = left + x;
      if (px < 0 || px >= photo.width) continue;
      const s = (y * product.width + x) * 4;
      const a = product.data[s + 3];
      if (a === 0) continue;
      const d = (py * photo.width + px) * 4;
      const t = a / 255;
      for (let c = 0; c < 3; c++) out[d + c] = Math.round(product.data[s + c] * t + out[d + c] * (1 - t));
      alpha[py * photo.width + px] = a;
    }
  }
  return { image: { width: photo.width, height: photo.height, data: out }, alpha: { width: photo.width, height: photo.height, data: alpha } };
}
