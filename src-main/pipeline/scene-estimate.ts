// Scene facts for a step-1 image that arrived without scene.json (an upload): the dominant
// colours, the product box from the mask, and a neutral key light from the upper left, so that
// step 3 (blend tint, auto placement) works on any image.
import { dominantColors } from '../engines/procedural/backdrop-palette';
import type { GrayImage, RgbaImage, Rect, SceneInfo } from './types';

/** Bounding box of mask pixels >= threshold, or null when the mask is empty. */
export function maskBox(mask: GrayImage, threshold = 128): Rect | null {
  let x0 = mask.width, y0 = mask.height, x1 = -1, y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    const row = y * mask.width;
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[row + x] >= threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

export function estimateScene(image: RgbaImage, mask: GrayImage | null): SceneInfo {
  const productBox = mask ? maskBox(mask) : null;
  const len = Math.hypot(0.6, 0.8);
  return {
    width: image.width,
    height: image.height,
    look: 'uploaded',
    lightDir: { x: 0.6 / len, y: 0.8 / len },
    lightColor: [1, 0.97, 0.92],
    groundY: productBox ? productBox.y + productBox.height : Math.round(image.height * 0.78),
    palette: dominantColors(image, 5),
    productBox,
  };
}
