// Letter spacing, line height and alignment as the designer sets them, measured on the rendered
// procedural layer (pixels), not only on the fit's numbers.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { proceduralLettering } from '../procedural/lettering-engine';
import type { LetteringRequest } from '../contracts';
import type { RgbaImage } from '../../imaging/types';
import { fitText, lineLeft, measureWidth } from './text-fit';

const font = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');
const box = { width: 880, height: 266 };

const req = (text: string, typography?: LetteringRequest['typography']): LetteringRequest => ({
  text,
  fontPath: font,
  box,
  stylePrompt: 'white matte plastic 3D text',
  negativePrompt: '',
  lightDir: { x: 0.45, y: 0.89 },
  seed: 7,
  typography,
});

async function render(r: LetteringRequest): Promise<RgbaImage> {
  const laid = proceduralLettering.layout(r);
  return (await proceduralLettering.render(laid, r)).image;
}

/** Leftmost and rightmost opaque column in rows y0..y1. */
function span(img: RgbaImage, y0: number, y1: number): [number, number] {
  let lo = img.width;
  let hi = -1;
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++)
    for (let x = 0; x < img.width; x++)
      if (img.data[(y * img.width + x) * 4 + 3] > 128) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
  return [lo, hi];
}

describe('text controls', () => {
  it('letter spacing widens the line by the spacing between characters', () => {
    const plain = fitText('SALE', font, { width: 4000, height: 200 }, { maxFontSize: 100 });
    const wide = fitText('SALE', font, { width: 4000, height: 200 }, { maxFontSize: 100, letterSpacing: 0.2 });
    expect(wide.fontSize).toBe(plain.fontSize);
    expect(wide.blockWidth - plain.blockWidth).toBeCloseTo(3 * 0.2 * wide.fontSize, 0);
    expect(wide.letterSpacing).toBeCloseTo(0.2 * wide.fontSize, 5);
    expect(measureWidth(wide.family, wide.fontSize, 'SALE', 0.2)).toBeCloseTo(wide.blockWidth, 0);
  });

  it('spacing counts what the eye counts: decomposed Hangul (NFD) sets like composed', () => {
    const opts = { maxFontSize: 100, letterSpacing: 0.2 };
    const nfc = fitText('한글 광고', font, { width: 4000, height: 200 }, opts);
    const nfd = fitText('한글 광고'.normalize('NFD'), font, { width: 4000, height: 200 }, opts);
    expect(nfd.fontSize).toBe(nfc.fontSize);
    expect(Math.abs(nfd.blockWidth - nfc.blockWidth)).toBeLessThan(1);
    // And the narrow-box wrap does not break it early.
    const narrow = { width: Math.ceil(nfc.blockWidth) + 2 * Math.round(0.05 * 200) + 2, height: 200 };
    expect(fitText('한글 광고'.normalize('NFD'), font, narrow, opts).lines).toHaveLength(1);
  });

  it('line height sets the baseline distance', () => {
    const tight = fitText('FRESH\nROAST', font, box, { lineSpacing: 0.9 });
    const loose = fitText('FRESH\nROAST', font, box, { lineSpacing: 1.8 });
    expect(tight.lineHeight / tight.fontSize).toBeCloseTo(0.9, 5);
    expect(loose.lineHeight / loose.fontSize).toBeCloseTo(1.8, 5);
    expect(loose.fontSize).toBeLessThan(tight.fontSize);
  });

  it('alignment places the shorter line left, centre or right in the rendered layer', async () => {
    const text = 'WINTER COLLECTION\nNOW';
    const edges: Record<string, { long: [number, number]; short: [number, number] }> = {};
    for (const align of ['left', 'center', 'right'] as const) {
      const img = await render(req(text, { letterSpacing: 0, lineHeight: 1.3, align }));
      const mid = Math.round(img.height / 2);
      edges[align] = { long: span(img, 0, mid - 4), short: span(img, mid + 4, img.height) };
      const fit = fitText(text, font, box, { lineSpacing: 1.3, align });
      expect(lineLeft(fit, 0)).toBe(0);
      expect(lineLeft(fit, 1)).toBeCloseTo(
        align === 'left' ? 0 : align === 'right' ? fit.blockWidth - fit.lineWidths[1] : (fit.blockWidth - fit.lineWidths[1]) / 2,
        5,
      );
    }
    const tol = 12; // extrusion and bevel reach past the glyph edges a little
    expect(Math.abs(edges.left.short[0] - edges.left.long[0])).toBeLessThan(tol);
    expect(Math.abs(edges.right.short[1] - edges.right.long[1])).toBeLessThan(tol);
    const c = edges.center;
    expect(Math.abs((c.short[0] + c.short[1]) / 2 - (c.long[0] + c.long[1]) / 2)).toBeLessThan(tol);
    expect(edges.left.short[0]).toBeLessThan(edges.center.short[0] - 50);
    expect(edges.right.short[0]).toBeGreaterThan(edges.center.short[0] + 50);
  });

  it('letter spacing shows in the rendered layer: wider with the same glyph height', async () => {
    const a = await render(req('SALE'));
    const b = await render(req('SALE', { letterSpacing: 0.3, lineHeight: 1.16, align: 'center' }));
    // In the same box the spaced headline is set smaller or wider, never the same shape.
    expect(b.width / b.height).toBeGreaterThan((a.width / a.height) * 1.1);
  });
});
