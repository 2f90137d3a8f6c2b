import { describe, expect, it } from 'vitest';
import { renderText, savePng } from '../../test/ocr/render-text';
import { alphaBox } from '../imaging/raster';
import { borderColor, textLayerFromUpload } from './text-matte';
import type { RgbaImage } from '../imaging/types';

const luma = (d: Buffer, p: number) => 0.2126 * d[p] + 0.7152 * d[p + 1] + 0.0722 * d[p + 2];

/** Same text rendered with a transparent backdrop: the true alpha the matte should recover. */
function truth(color: string) {
  return renderText('GOLD 24', { fontSize: 80, color, padding: 30 });
}

describe('textLayerFromUpload, opaque upload', () => {
  it('keys white text off black into a clean alpha with no dark fringe, trimmed to the glyphs', async () => {
    const opaque = renderText('GOLD 24', { fontSize: 80, color: '#ffffff', background: '#000000', padding: 30 });
    expect(borderColor(opaque)).toEqual([0, 0, 0]);
    const layer = textLayerFromUpload(opaque, false);
    await savePng('/tmp/compose/matte-white.png', layer);
    const t = truth('#ffffff');
    const tb = alphaBox(t)!;
    // Trimmed to the visible glyph box (± 1 px for the softest antialiasing).
    expect(Math.abs(layer.width - tb.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(layer.height - tb.height)).toBeLessThanOrEqual(2);
    // Alpha matches the true coverage closely, pixel for pixel.
    let err = 0,
      n = 0,
      fringe = 0,
      edges = 0;
    for (let y = 0; y < layer.height; y++)
      for (let x = 0; x < layer.width; x++) {
        const p = (y * layer.width + x) * 4;
        const q = ((y + tb.y) * t.width + (x + tb.x)) * 4;
        err += Math.abs(layer.data[p + 3] - t.data[q + 3]);
        n++;
        const a = layer.data[p + 3];
        if (a > 20 && a < 235) {
          edges++;
          if (luma(layer.data, p) < 200) fringe++;
        }
      }
    expect(err / n).toBeLessThan(6); // mean alpha error, 0..255
    expect(edges).toBeGreaterThan(100);
    expect(fringe).toBe(0); // edge pixels keep the text colour, not a mix with black
  });

  it('keys gold text: its body opaque and gold, the backdrop transparent', () => {
    const opaque = renderText('GOLD 24', { fontSize: 80, color: '#e0b040', background: '#000000', padding: 30 });
    const layer = textLayerFromUpload(opaque, false);
    let opaqueGold = 0,
      body = 0;
    for (let p = 0; p < layer.data.length; p += 4) {
      if (layer.data[p + 3] === 255) {
        body++;
        if (Math.abs(layer.data[p] - 0xe0) < 16 && Math.abs(layer.data[p + 1] - 0xb0) < 16 && Math.abs(layer.data[p + 2] - 0x40) < 16) opaqueGold++;
      }
    }
    expect(body).toBeGreaterThan(2000);
    expect(opaqueGold / body).toBeGreaterThan(0.98);
    // Corners of the trimmed layer lie between glyphs or outside them: transparent.
    expect(layer.data[3]).toBe(0);
  });

  it('treats an RGBA upload whose alpha is opaque everywhere as an opaque upload', () => {
    const opaque = renderText('GOLD 24', { fontSize: 80, color: '#ffffff', background: '#000000', padding: 30 });
    const a = textLayerFromUpload(opaque, true);
    const b = textLayerFromUpload(opaque, false);
    expect(a.data.equals(b.data)).toBe(true);
    expect(a.width).toBeLessThan(opaque.width);
  });
});

describe('textLayerFromUpload, real alpha', () => {
  it('only trims: the visible pixels are unchanged', () => {
    const t = truth('#3366ff');
    const layer: RgbaImage = textLayerFromUpload(t, true);
    const tb = alphaBox(t)!;
    expect(layer.width).toBe(tb.width);
    expect(layer.height).toBe(tb.height);
    for (let y = 0; y < layer.height; y += 3)
      for (let x = 0; x < layer.width; x += 3) {
        const p = (y * layer.width + x) * 4,
          q = ((y + tb.y) * t.width + (x + tb.x)) * 4;
        expect(layer.data.readUInt32LE(p)).toBe(t.data.readUInt32LE(q));
      }
  });
});
