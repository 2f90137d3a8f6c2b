import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors';
import { writePngAtomic } from '../imaging/codec';
import { layerLuma } from '../imaging/layer';
import type { GrayImage, RgbaImage } from '../imaging/types';
import { placeText } from './layout';
import { computePlacementPreview } from './placement-preview';

const dirs: string[] = [];
const W = 240;
const H = 180;
let scene: RgbaImage;
let layer: RgbaImage;
let mask: GrayImage;

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'adforge-preview-'));
  dirs.push(d);
  return d;
}

beforeAll(() => {
  // A busy (striped) top half and a calm bottom half; the product (mask) sits in the middle-left.
  scene = { width: W, height: H, data: Buffer.alloc(W * H * 4) };
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const v = y < H / 2 ? ((x >> 2) % 2 ? 230 : 20) : 90;
      scene.data.set([v, v, v, 255], (y * W + x) * 4);
    }
  layer = { width: 120, height: 30, data: Buffer.alloc(120 * 30 * 4) };
  for (let i = 0; i < 120 * 30; i++) layer.data.set([250, 240, 40, i % 3 ? 255 : 0], i * 4);
  mask = { width: W, height: H, data: Buffer.alloc(W * H) };
  for (let y = 60; y < 160; y++) for (let x = 40; x < 120; x++) mask.data[y * W + x] = 255;
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('computePlacementPreview', () => {
  it('is the placeText result step 3 would compute from the stored scene, layer and mask', async () => {
    const dir = folder();
    await writePngAtomic(join(dir, 'step1.png'), scene);
    await writePngAtomic(join(dir, 'step2.png'), layer);
    await writePngAtomic(join(dir, 'mask.png'), mask);
    for (const position of ['auto', 'top', 'center', 'bottom'] as const) {
      for (const mode of ['overlay', 'behind'] as const) {
        const got = await computePlacementPreview({ runDir: dir, position, mode });
        const want = placeText({
          canvas: { width: W, height: H },
          layer: { width: layer.width, height: layer.height },
          position,
          box: null,
          productMask: mask,
          background: scene,
          layerLuma: layerLuma(layer),
          avoidProduct: mode !== 'behind',
        });
        expect(got).toEqual({
          x: want.x,
          y: want.y,
          width: want.width,
          height: want.height,
          rotation: want.rotation,
          canvas: { width: W, height: H },
          layer: { width: 120, height: 30 },
        });
      }
    }
  });

  it('ignores a mask of another size (as step 3 does) and works without one', async () => {
    const dir = folder();
    await writePngAtomic(join(dir, 'step1.png'), scene);
    await writePngAtomic(join(dir, 'step2.png'), layer);
    const without = await computePlacementPreview({ runDir: dir, position: 'auto', mode: 'overlay' });
    await writePngAtomic(join(dir, 'mask.png'), { width: 10, height: 10, data: Buffer.alloc(100, 255) });
    expect(await computePlacementPreview({ runDir: dir, position: 'auto', mode: 'overlay' })).toEqual(without);
    expect(without.canvas).toEqual({ width: W, height: H });
  });

  it('answers 409 while the job has no scene or no text layer', async () => {
    const dir = folder();
    await expect(computePlacementPreview({ runDir: dir, position: 'auto', mode: 'overlay' })).rejects.toMatchObject({ status: 409 });
    await writePngAtomic(join(dir, 'step1.png'), scene);
    const err = await computePlacementPreview({ runDir: dir, position: 'top', mode: 'overlay' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(409);
  });
});
