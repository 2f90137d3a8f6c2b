import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundsOf } from '../../imaging/raster';
import { fitText } from '../typography/text-fit';
import { controlPlanes, glyphCanvas } from './glyphs';

const fontPath = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');

describe('glyphCanvas', () => {
  it('draws the layout at about the native area, on the grid, at most 2.5:1, with the block centred', () => {
    const fit = fitText('여름 SALE', fontPath, { width: 881, height: 266 });
    const c = glyphCanvas(fit, { nativeSize: 512, multiple: 32 });
    expect(c.width % 32).toBe(0);
    expect(c.height % 32).toBe(0);
    expect(c.width / c.height).toBeLessThanOrEqual(2.5 + 0.15);
    expect((c.width * c.height) / 512 ** 2).toBeGreaterThan(0.85);
    expect((c.width * c.height) / 512 ** 2).toBeLessThan(1.15);
    expect(c.fontSize).toBeCloseTo(fit.fontSize * c.scale, 6);
    // The ink is the layout's block at the canvas scale, centred.
    const ink = boundsOf(c.glyphs, 127);
    expect(ink).not.toBeNull();
    const box = ink as NonNullable<typeof ink>;
    expect(box.width).toBeGreaterThan(fit.blockWidth * c.scale * 0.9);
    expect(box.width).toBeLessThanOrEqual(fit.blockWidth * c.scale + 2);
    expect(Math.abs(box.x + box.width / 2 - c.width / 2)).toBeLessThan(0.03 * c.width);
    expect(Math.abs(box.y + box.height / 2 - c.height / 2)).toBeLessThan(0.1 * c.height);
  });

  it('gives one cell per visible character; the cells tile the canvas and hold every glyph pixel', () => {
    const fit = fitText('여름 한정\nBIG SALE', fontPath, { width: 600, height: 300 });
    expect(fit.lines.length).toBe(2);
    const c = glyphCanvas(fit, { nativeSize: 512 });
    expect(c.chars.join('')).toBe('여름한정BIGSALE');
    expect(c.cells.length).toBe(c.chars.length);
    const owner = new Int32Array(c.width * c.height).fill(-1);
    c.cells.forEach((r, k) => {
      for (let y = r.y; y < r.y + r.height; y++)
        for (let x = r.x; x < r.x + r.width; x++) {
          expect(owner[y * c.width + x], `overlap at ${x},${y}`).toBe(-1);
          owner[y * c.width + x] = k;
        }
    });
    expect(Array.from(owner).every((k) => k >= 0)).toBe(true);
    // Every cell holds ink, and the second line's cells lie below the first line's.
    c.cells.forEach((r, k) => {
      let ink = 0;
      for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) if (c.glyphs.data[y * c.width + x] >= 128) ink++;
      expect(ink, `cell ${k} '${c.chars[k]}'`).toBeGreaterThan(20);
    });
    expect(c.cells[4].y).toBeGreaterThan(c.cells[0].y);
    // Left to right inside a line.
    for (let k = 1; k < 4; k++) expect(c.cells[k].x).toBeGreaterThan(c.cells[k - 1].x);
  });

  it('keeps a tall block within 1:2.5 too', () => {
    const fit = fitText('여\n름\n세\n일', fontPath, { width: 120, height: 600 });
    const c = glyphCanvas(fit, { nativeSize: 512, multiple: 8 });
    expect(c.height / c.width).toBeLessThanOrEqual(2.5 + 0.1);
    expect(c.width % 8).toBe(0);
  });
});

describe('controlPlanes', () => {
  it('stacks a 0..255 plane into three [0,1] channels', () => {
    const p = controlPlanes(Uint8Array.from([0, 255, 51, 102]), 2, 2);
    expect(Array.from(p)).toEqual([0, 1, 0.2, 0.4, 0, 1, 0.2, 0.4, 0, 1, 0.2, 0.4].map((v) => Math.fround(v)));
  });
});
