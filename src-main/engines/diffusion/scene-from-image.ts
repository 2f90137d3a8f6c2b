// Light and colour of a generated backdrop, read off its pixels: the scene estimate's palette and
// ground line, with the key light's direction taken from where the picture is brightest (the light
// comes from the bright side toward the dim one) and its colour from the brightest pixels.
import type { RgbaImage } from '../../imaging/types';
import type { SceneInfo } from '../contracts';
import { estimateScene } from '../scene-estimate';

/** SceneInfo (without a product) for a generated image; `look` names the engine. */
export function sceneFromGenerated(image: RgbaImage, look: string, maxGroundY?: number): Omit<SceneInfo, 'productBox'> {
  const base = estimateScene(image, null);
  const { width, height, data } = image;
  const step = Math.max(1, Math.floor(Math.sqrt((width * height) / 40000)));
  let sum = 0;
  let count = 0;
  const lum: number[] = [];
  const pos: [number, number][] = [];
  for (let y = 0; y < height; y += step)
    for (let x = 0; x < width; x += step) {
      const o = (y * width + x) * 4;
      const l = 0.2126 * data[o] + 0.7152 * data[o + 1] + 0.0722 * data[o + 2];
      lum.push(l);
      pos.push([x, y]);
      sum += l;
      count++;
    }
  const mean = sum / Math.max(1, count);
  // Luminance-weighted centre of the brighter-than-average pixels, relative to the image centre.
  let wx = 0;
  let wy = 0;
  let wsum = 0;
  for (let i = 0; i < lum.length; i++) {
    const wgt = lum[i] - mean;
    if (wgt <= 0) continue;
    wx += wgt * (pos[i][0] / width - 0.5);
    wy += wgt * (pos[i][1] / height - 0.5);
    wsum += wgt;
  }
  let lightDir = base.lightDir;
  if (wsum > 0) {
    const dx = -wx / wsum;
    const dy = -wy / wsum;
    const len = Math.hypot(dx, dy);
    // A flat picture has no readable light: keep the default from the upper left.
    if (len > 0.02) lightDir = { x: dx / len, y: dy / len };
  }
  // Key light colour: mean of the brightest 5 %, normalised so its strongest channel is 1.
  const order = lum.map((l, i) => [l, i] as const).sort((a, b) => b[0] - a[0]);
  const top = order.slice(0, Math.max(1, Math.floor(order.length * 0.05)));
  const rgb = [0, 0, 0];
  for (const [, i] of top) {
    const o = (pos[i][1] * width + pos[i][0]) * 4;
    rgb[0] += data[o];
    rgb[1] += data[o + 1];
    rgb[2] += data[o + 2];
  }
  const peak = Math.max(...rgb, 1);
  const lightColor: [number, number, number] = [rgb[0] / peak, rgb[1] / peak, rgb[2] / peak];
  const groundY = maxGroundY !== undefined ? Math.min(base.groundY, Math.round(maxGroundY)) : base.groundY;
  return { width, height, look, lightDir, lightColor, groundY, palette: base.palette };
}
