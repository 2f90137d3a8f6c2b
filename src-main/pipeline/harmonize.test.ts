import { describe, expect, it } from 'vitest';
import { harmonizeRim, rimReach } from './harmonize';
import { alphaOver } from '../imaging/composite';
import { cloneRgba, createGray, createRgba, psnr } from '../imaging/raster';
import { erodeGray } from '../imaging/filters';

function scene() {
  // Bright blue backdrop, a mid-grey square product in the middle.
  const backdrop = createRgba(200, 200, [40, 90, 230, 255]);
  const product = createRgba(200, 200);
  const mask = createGray(200, 200);
  for (let y = 50; y < 150; y++)
    for (let x = 50; x < 150; x++) {
      product.data.set([120, 120, 120, 255], (y * 200 + x) * 4);
      mask.data[y * 200 + x] = 255;
    }
  const img = alphaOver(cloneRgba(backdrop), product);
  return { backdrop, mask, img };
}

const opts = { lightDir: { x: 0.6, y: 0.8 }, lightColor: [1, 0.85, 0.6] as [number, number, number], strength: 1, scale: 1 };

describe('harmonizeRim', () => {
  it('leaves everything unchanged at strength 0', () => {
    const { backdrop, mask, img } = scene();
    const before = cloneRgba(img);
    harmonizeRim(img, backdrop, mask, { ...opts, strength: 0 });
    expect(img.data.equals(before.data)).toBe(true);
  });

  it('changes only the rim: interior pixels beyond the rim reach are bit-exact', () => {
    const { backdrop, mask, img } = scene();
    const before = cloneRgba(img);
    harmonizeRim(img, backdrop, mask, opts);
    const interior = erodeGray(mask, rimReach(1));
    expect(psnr(img, before, interior, 0)).toBe(Infinity);
    // Outside the product nothing changes either (it is the backdrop's job).
    let changedOutside = 0;
    for (let i = 0; i < 200 * 200; i++) if (mask.data[i] === 0 && img.data[i * 4 + 2] !== before.data[i * 4 + 2]) changedOutside++;
    expect(changedOutside).toBe(0);
  });

  it('bleeds the scene colour into the edge (light wrap) and tints the rim that faces the light', () => {
    const { backdrop, mask, img } = scene();
    harmonizeRim(img, backdrop, mask, opts);
    const px = (x: number, y: number) => [...img.data.subarray((y * 200 + x) * 4, (y * 200 + x) * 4 + 3)];
    // Right edge (away from the light, which comes from the upper left): bluer than the product grey.
    const [r, , b] = px(149, 100);
    expect(b - r).toBeGreaterThan(10);
    // Left edge faces the light: warmer (more red than blue) than the right edge.
    const [lr, , lb] = px(50, 100);
    expect(lr - lb).toBeGreaterThan(r - b);
  });
});
