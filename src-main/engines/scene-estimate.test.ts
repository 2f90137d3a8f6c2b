import { describe, expect, it } from 'vitest';
import { estimateScene } from './scene-estimate';

function solid(width: number, height: number, rgb: [number, number, number]) {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return { width, height, data };
}

describe('scene estimate for uploaded step-1 images', () => {
  it('finds the product box from the mask and stands it on the ground line', () => {
    const mask = { width: 100, height: 80, data: Buffer.alloc(8000) };
    for (let y = 30; y < 70; y++) for (let x = 40; x < 60; x++) mask.data[y * 100 + x] = 255;
    const scene = estimateScene(solid(100, 80, [10, 20, 30]), mask);
    expect(scene.groundY).toBe(70);
    expect(scene.productBox).toEqual({ x: 40, y: 30, width: 20, height: 40 });
  });

  it('empty mask means no product box, and the ground line falls back to 78 % of the height', () => {
    const scene = estimateScene(solid(4, 100, [0, 0, 0]), { width: 4, height: 100, data: Buffer.alloc(400) });
    expect(scene.productBox).toBeNull();
    expect(scene.groundY).toBe(78);
  });
});
