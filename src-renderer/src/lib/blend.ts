// The stage's Blend: the headline layer lit and tinted by the scene with the code step 3 runs
// (core/scene-tint.ts), mapped from the layer's own pixels to where the box puts them on the scene.
import { tintLayerToScene } from '../../../src-main/core/scene-tint';
import type { TextBox } from '../../../src-main/core/params';

/** Neutral key light from the upper left: step 3's default when a scene has no light facts. */
const DEFAULT_LIGHT = { color: [1, 1, 1] as [number, number, number], dir: { x: 0.6, y: 0.8 } };

export function blendLayer(
  layer: HTMLImageElement | HTMLCanvasElement,
  /** Margin of the layer around the text's box, layer px (text effects). */
  pad: number,
  box: TextBox,
  scene: ImageData,
  light: { color?: [number, number, number]; dir?: { x: number; y: number } },
  strength: number,
): HTMLCanvasElement {
  const w = layer instanceof HTMLImageElement ? layer.naturalWidth : layer.width;
  const h = layer instanceof HTMLImageElement ? layer.naturalHeight : layer.height;
  const out = document.createElement('canvas');
  out.width = Math.max(1, w);
  out.height = Math.max(1, h);
  const ctx = out.getContext('2d', { willReadFrequently: true });
  if (!ctx || w === 0 || h === 0) return out;
  ctx.drawImage(layer, 0, 0);
  const px = ctx.getImageData(0, 0, w, h);
  // Layer px → scene px: scaled so the text part fills the box, turned about the box centre.
  const sx = box.width / Math.max(1, w - 2 * pad);
  const sy = box.height / Math.max(1, h - 2 * pad);
  const a = (box.rotation * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const ow = w * sx;
  const oh = h * sy;
  const tinted = tintLayerToScene({
    layer: { width: w, height: h, data: px.data },
    left: 0,
    top: 0,
    map: {
      at: (x, y, o) => {
        const dx = (x - w / 2) * sx;
        const dy = (y - h / 2) * sy;
        o[0] = cx + dx * cos - dy * sin;
        o[1] = cy + dx * sin + dy * cos;
      },
      centre: [cx, cy],
      // Half the diagonal of the turned layer's upright bounds, as step 3 measures it.
      half: Math.hypot(Math.abs(ow * cos) + Math.abs(oh * sin), Math.abs(ow * sin) + Math.abs(oh * cos)) / 2,
    },
    background: { width: scene.width, height: scene.height, data: scene.data },
    lightColor: light.color ?? DEFAULT_LIGHT.color,
    lightDir: light.dir ?? DEFAULT_LIGHT.dir,
    strength,
  });
  const img = new ImageData(w, h);
  img.data.set(tinted.data);
  ctx.putImageData(img, 0, 0);
  return out;
}
