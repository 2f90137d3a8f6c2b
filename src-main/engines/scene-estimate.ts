// Scene facts for a step-1 image that arrived without scene.json (an upload): the dominant
// colours, the product box from the mask, and a neutral key light from the upper left, so that
// step 3 (blend tint, auto placement) works on any image.
import { dominantColors } from '../imaging/colour';
import { boundsOf } from '../imaging/raster';
import type { GrayImage, RgbaImage } from '../imaging/types';
import type { SceneInfo } from './contracts';

export function estimateScene(image: RgbaImage, mask: GrayImage | null): SceneInfo {
  // Pixels at least half opaque count as product.
  const productBox = mask ? boundsOf(mask, 127) : null;
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
