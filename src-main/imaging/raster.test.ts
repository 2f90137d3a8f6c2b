import { describe, expect, it } from 'vitest';
import { alphaOver } from './composite';
import { blurGray, boxRadiiForSigma, dilateGray, erodeGray } from './filters';
import { boundsOf, createGray, createRgba, cropRgba, luminance, pasteGray, psnr } from './raster';
import { resizeRgba } from './resize';

describe('image-ops', () => {
  it('blurs an impulse into a gaussian of the requested sigma, keeping its mass', () => {
    const img = createGray(101, 101);
    img.data[50 * 101 + 50] = 255;
    // Work on a bigger total so 8-bit rounding does not dominate: 255 in a 9x9 block.
    for (let y = 46; y <= 54; y++) for (let x = 46; x <= 54; x++) img.data[y * 101 + x] = 255;
    const out = blurGray(img, 6);
    let mass = 0;
    let varX = 0;
    for (let y = 0; y < 101; y++)
      for (let x = 0; x < 101; x++) {
        const v = out.data[y * 101 + x];
        mass += v;
        varX += v * (x - 50) ** 2;
      }
    expect(Math.abs(mass - 81 * 255) / (81 * 255)).toBeLessThan(0.02);
    // Variance = block variance (81-1)/12*... (uniform 9 wide: (81-1)/12) + sigma^2.
    const sigmaEst = Math.sqrt(varX / mass - (81 - 1) / 12);
    expect(sigmaEst).toBeGreaterThan(5.4);
    expect(sigmaEst).toBeLessThan(6.6);
    expect(boxRadiiForSigma(6)).toHaveLength(3);
  });

  it('composites straight alpha with Porter-Duff over', () => {
    const dst = createRgba(2, 1, [0, 0, 255, 255]);
    const src = createRgba(2, 1, [255, 0, 0, 128]);
    src.data[7] = 0; // second pixel fully transparent
    alphaOver(dst, src, 0, 0, { inPlace: true });
    expect([...dst.data.subarray(0, 4)]).toEqual([128, 0, 127, 255]);
    expect([...dst.data.subarray(4, 8)]).toEqual([0, 0, 255, 255]);
  });

  it('erodes and dilates masks by the radius', () => {
    const m = createGray(20, 20);
    for (let y = 5; y < 15; y++) for (let x = 5; x < 15; x++) m.data[y * 20 + x] = 255;
    expect(boundsOf(erodeGray(m, 2), 0)).toEqual({ x: 7, y: 7, width: 6, height: 6 });
    expect(boundsOf(dilateGray(m, 3), 0)).toEqual({ x: 2, y: 2, width: 16, height: 16 });
  });

  it('crops and pastes without shifting pixels', () => {
    const img = createRgba(8, 8);
    img.data[(3 * 8 + 4) * 4] = 200;
    const c = cropRgba(img, { x: 2, y: 1, width: 4, height: 4 });
    expect(c.data[(2 * 4 + 2) * 4]).toBe(200);
    const g = pasteGray(createGray(8, 8), { width: 2, height: 2, data: Buffer.from([1, 2, 3, 4]) }, 6, 7);
    expect(g.data[7 * 8 + 6]).toBe(1);
    expect(g.data[7 * 8 + 7]).toBe(2);
  });

  it('reports PSNR: infinite when equal, 20*log10(255/d) for a uniform error d', () => {
    const a = createRgba(4, 4, [100, 100, 100, 255]);
    const b = createRgba(4, 4, [110, 110, 110, 255]);
    expect(psnr(a, a)).toBe(Infinity);
    expect(psnr(a, b)).toBeCloseTo(20 * Math.log10(255 / 10), 5);
    const mask = createGray(4, 4);
    mask.data[0] = 255;
    b.data[0] = b.data[1] = b.data[2] = 100;
    expect(psnr(a, b, mask)).toBe(Infinity);
  });

  it('resizes with sharp keeping straight alpha colours', async () => {
    const img = createRgba(10, 10, [255, 0, 0, 255]);
    for (let i = 0; i < 50; i++) img.data.set([0, 255, 0, 0], i * 4); // top half transparent green
    const out = await resizeRgba(img, 20, 20);
    expect(out.width).toBe(20);
    // Bottom rows stay pure red: transparent pixels did not bleed green into them.
    const i = (18 * 20 + 10) * 4;
    expect(out.data[i]).toBeGreaterThan(250);
    expect(out.data[i + 1]).toBeLessThan(5);
    expect(luminance(out).data.length).toBe(400);
  });
});
