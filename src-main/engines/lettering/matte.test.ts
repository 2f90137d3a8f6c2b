import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GrayImage, RgbaImage } from '../../imaging/types';
import { fitText } from '../typography/text-fit';
import { glyphCanvas, type GlyphCanvas } from './glyphs';
import { defaultTolerance, legibility } from './legibility';
import { backdropColour, chooseMatte, colourKeyMatte, glyphBand, matteLayer, type Rgb } from './matte';

const fontPath = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');
const GOLD: Rgb = [212, 170, 60];
const BLUE: Rgb = [40, 70, 150];

/** Gold lettering (antialiased by coverage) on a blue backdrop with a gentle gradient and a sparkle far from the text. */
function render(c: GlyphCanvas): RgbaImage {
  const data = Buffer.alloc(c.width * c.height * 4);
  for (let y = 0; y < c.height; y++)
    for (let x = 0; x < c.width; x++) {
      const i = y * c.width + x;
      const a = c.glyphs.data[i] / 255;
      const bg = [BLUE[0] + (x / c.width) * 12, BLUE[1] + (y / c.height) * 12, BLUE[2]];
      for (let k = 0; k < 3; k++) data[i * 4 + k] = Math.round(a * GOLD[k] + (1 - a) * bg[k]);
      data[i * 4 + 3] = 255;
    }
  // A bright sparkle in the top-left corner, far from any glyph, and a 2-px gold speck next to it.
  for (let y = 2; y < 8; y++) for (let x = 2; x < 8; x++) data.set([255, 255, 255, 255], (y * c.width + x) * 4);
  for (let y = 2; y < 4; y++) for (let x = 20; x < 22; x++) data.set([...GOLD, 255], (y * c.width + x) * 4);
  return { width: c.width, height: c.height, data };
}

const iouOf = (a: GrayImage, b: GrayImage) => {
  let i = 0;
  let u = 0;
  for (let k = 0; k < a.data.length; k++) {
    const x = a.data[k] >= 128;
    const y = b.data[k] >= 128;
    if (x && y) i++;
    if (x || y) u++;
  }
  return i / u;
};

describe('matting the generated lettering', () => {
  let c: GlyphCanvas;
  let img: RgbaImage;
  beforeAll(() => {
    c = glyphCanvas(fitText('여름 SALE', fontPath, { width: 600, height: 180 }), { nativeSize: 384, multiple: 32 });
    img = render(c);
  });

  it('measures the backdrop far from the glyphs and keys the lettering out by colour', () => {
    const bg = backdropColour(img, c.glyphs, 0.35 * c.fontSize);
    expect(Math.abs(bg[0] - BLUE[0] - 6)).toBeLessThanOrEqual(4);
    expect(Math.abs(bg[2] - BLUE[2])).toBeLessThanOrEqual(1);
    const key = colourKeyMatte(img, c.glyphs, bg);
    expect(key).not.toBeNull();
    expect(iouOf(key as GrayImage, c.glyphs)).toBeGreaterThan(0.95);
    // The speck is dropped; the 6-px sparkle is not a speck (the glyph band keeps it out of the layer).
    expect((key as GrayImage).data[2 * c.width + 20]).toBe(0);
    expect((key as GrayImage).data[4 * c.width + 4]).toBe(255);
  });

  it('has no colour key when the lettering is the backdrop’s colour', () => {
    const flat: RgbaImage = { width: c.width, height: c.height, data: Buffer.alloc(c.width * c.height * 4, 128) };
    expect(colourKeyMatte(flat, c.glyphs, [128, 128, 128])).toBeNull();
  });

  it('chooses the matte that agrees with the glyphs: a segmenter that took everything loses to the key', () => {
    const bg = backdropColour(img, c.glyphs, 0.35 * c.fontSize);
    const key = colourKeyMatte(img, c.glyphs, bg) as GrayImage;
    const everything: GrayImage = { width: c.width, height: c.height, data: Buffer.alloc(c.width * c.height, 255) };
    const opts = { tolerance: defaultTolerance(c.fontSize), cells: c.cells, chars: c.chars };
    expect(
      chooseMatte(
        [
          { source: 'segmenter', matte: everything },
          { source: 'colour-key', matte: key },
        ],
        c.glyphs,
        opts,
      ).source,
    ).toBe('colour-key');
    // A clean segmenter matte wins (ties keep the first, the segmenter).
    const chosen = chooseMatte(
      [
        { source: 'segmenter', matte: c.glyphs },
        { source: 'colour-key', matte: key },
      ],
      c.glyphs,
      opts,
    );
    expect(chosen.source).toBe('segmenter');
    expect(chosen.report.worst).toBeCloseTo(legibility(c.glyphs, c.glyphs, opts).worst, 6);
  });

  it('builds the layer inside the glyph band only, with edge colours un-mixed from the backdrop', () => {
    const bg = backdropColour(img, c.glyphs, 0.35 * c.fontSize);
    const key = colourKeyMatte(img, c.glyphs, bg) as GrayImage;
    // A matte that also holds the sparkle: the band keeps it out of the layer.
    key.data.fill(255, 2 * c.width + 2, 2 * c.width + 8);
    const band = glyphBand(c.glyphs, 0.15 * c.fontSize, 2);
    const layer = matteLayer(img, key, band, bg);
    expect(layer.data[(2 * c.width + 4) * 4 + 3]).toBe(0);
    // Opaque on the glyphs, gold.
    let solid = 0;
    let edges = 0;
    let edgeErr = 0;
    for (let i = 0; i < c.width * c.height; i++) {
      const a = layer.data[i * 4 + 3];
      if (c.glyphs.data[i] === 255) {
        expect(a).toBeGreaterThan(250);
        solid++;
      } else if (a > 60 && a < 200) {
        // Partly covered edge pixels carry the lettering's colour, not a blend with the blue.
        edges++;
        edgeErr += Math.abs(layer.data[i * 4] - GOLD[0]) + Math.abs(layer.data[i * 4 + 2] - GOLD[2]);
      }
    }
    expect(solid).toBeGreaterThan(1000);
    expect(edges).toBeGreaterThan(50);
    expect(edgeErr / edges / 2).toBeLessThan(30);
  });

  it('the band is full on and near the glyphs and nothing far away', () => {
    const band = glyphBand(c.glyphs, 6, 2);
    let onGlyphs = 1;
    for (let i = 0; i < band.length; i++) if (c.glyphs.data[i] >= 128) onGlyphs = Math.min(onGlyphs, band[i]);
    expect(onGlyphs).toBe(1);
    expect(band[0]).toBe(0);
  });
});
