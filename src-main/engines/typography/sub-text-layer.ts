// The second text layer (sub-headline or call to action) rasterised with @napi-rs/canvas through
// the same drawing code the studio's canvas runs (core/sub-text.ts), in the headline's font.
import { createCanvas } from '@napi-rs/canvas';
import { drawSubText, measureSubText, type SubText } from '../../core/sub-text';
import type { RgbaImage } from '../../imaging/types';
import { registerFont } from './fonts';

export function renderSubTextLayer(spec: SubText, fontPath: string, imageHeight: number): RgbaImage {
  const family = registerFont(fontPath);
  const probe = createCanvas(8, 8).getContext('2d');
  const m = measureSubText(probe, spec, family, imageHeight);
  const canvas = createCanvas(Math.max(1, m.width), Math.max(1, m.height));
  const c = canvas.getContext('2d');
  drawSubText(c, spec, family, m);
  const rgba = c.getImageData(0, 0, canvas.width, canvas.height).data;
  // Canvas pixels are premultiplied on readback in some builds; getImageData returns straight alpha.
  return { width: canvas.width, height: canvas.height, data: Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength) };
}
