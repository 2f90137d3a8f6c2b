// The legibility guard on synthetic layers: mattes that keep the glyph shapes (exact, bolder,
// extruded, soft-edged) pass; mattes that break them (a letter gone, a letter melted into a blob,
// letters run together, the whole picture taken as the matte, a heavy melt) fail, on the glyph
// that broke.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { blurGray } from '../../imaging/filters';
import type { GrayImage, Rect } from '../../imaging/types';
import { fitText } from '../typography/text-fit';
import { glyphCanvas, type GlyphCanvas } from './glyphs';
import { components, defaultTolerance, dilateBinary, erodeBinary, legibility, worstGlyph } from './legibility';

const fontPath = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');

const bin = (img: GrayImage) => Uint8Array.from(img.data, (v) => (v >= 128 ? 1 : 0));
const gray = (w: number, h: number, b: Uint8Array): GrayImage => ({ width: w, height: h, data: Buffer.from(b.map((v) => (v ? 255 : 0))) });

function shifted(b: Uint8Array, w: number, h: number, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sy >= 0 && sx < w && sy < h) out[y * w + x] = b[sy * w + sx];
    }
  return out;
}

function within(r: Rect, x: number, y: number): boolean {
  return x >= r.x && y >= r.y && x < r.x + r.width && y < r.y + r.height;
}

describe('binary morphology', () => {
  it('dilates and erodes with a square window; closing fills gaps narrower than the window', () => {
    const w = 9;
    const src = new Uint8Array(w * w);
    src[4 * w + 4] = 1;
    const d = dilateBinary(src, w, w, 1);
    expect(d.reduce((s, v) => s + v, 0)).toBe(9);
    expect(erodeBinary(d, w, w, 1).reduce((s, v) => s + v, 0)).toBe(1);
    // Two bars 2 px apart: closed by r = 1 (window 3) into one block, not by r = 0.
    const bars = new Uint8Array(w * w);
    for (let y = 2; y < 7; y++) {
      bars[y * w + 2] = 1;
      bars[y * w + 5] = 1;
    }
    const closed = erodeBinary(dilateBinary(bars, w, w, 1), w, w, 1);
    expect(closed[4 * w + 3] + closed[4 * w + 4]).toBe(2);
    expect(closed[4 * w + 1]).toBe(0);
  });

  it('labels 8-connected components with their boxes', () => {
    const w = 6;
    const b = new Uint8Array(w * 4);
    b[0] = 1;
    b[w + 1] = 1; // diagonal neighbour: same component
    b[2 * w + 4] = 1;
    const { labels, boxes } = components(b, w, 4);
    expect(boxes).toEqual([
      { x: 0, y: 0, width: 2, height: 2 },
      { x: 4, y: 2, width: 1, height: 1 },
    ]);
    expect(labels[w + 1]).toBe(1);
    expect(labels[2 * w + 4]).toBe(2);
  });
});

describe('legibility guard (per glyph, tolerant IoU)', () => {
  let c: GlyphCanvas;
  let G: Uint8Array;
  let tol: number;
  const score = (matte: Uint8Array | GrayImage, cells = true) =>
    legibility(c.glyphs, matte instanceof Uint8Array ? gray(c.width, c.height, matte) : matte, {
      tolerance: tol,
      ...(cells ? { cells: c.cells, chars: c.chars } : {}),
    });
  const byChar = (r: ReturnType<typeof score>) => Object.fromEntries(r.glyphs.map((g) => [g.char, g.iou]));

  beforeAll(() => {
    c = glyphCanvas(fitText('여름 SALE', fontPath, { width: 881, height: 266 }), { nativeSize: 512, multiple: 32 });
    G = bin(c.glyphs);
    tol = defaultTolerance(c.fontSize);
    expect(tol).toBeGreaterThanOrEqual(4);
  });

  it('scores the glyphs themselves 1 everywhere', () => {
    const r = score(G);
    expect(r.glyphs.map((g) => g.char).join('')).toBe('여름SALE');
    expect(r.worst).toBeCloseTo(1, 6);
    expect(r.mean).toBeCloseTo(1, 6);
  });

  it('passes lettering that keeps the shapes: bolder, extruded down-right, soft-edged', () => {
    const bolder = dilateBinary(G, c.width, c.height, Math.round(tol / 3));
    expect(score(bolder).worst).toBeGreaterThan(0.7);
    // Extrusion: the face plus copies stepped down-right up to the tolerance (a 3D side).
    const extruded = G.slice();
    for (let k = 1; k <= tol; k++) shifted(G, c.width, c.height, k, k).forEach((v, i) => (extruded[i] |= v));
    expect(score(extruded).worst).toBeGreaterThan(0.65);
    // A soft matte (antialiased, slightly blurred edges) thresholds back to about the glyphs.
    expect(score(blurGray(c.glyphs, 1.5)).worst).toBeGreaterThan(0.9);
  });

  it('fails a layer with a letter gone, on that letter', () => {
    const cell = c.cells[c.chars.indexOf('S')];
    const m = G.map((v, i) => (within(cell, i % c.width, Math.floor(i / c.width)) ? 0 : v));
    const r = score(m);
    expect(byChar(r).S).toBeLessThan(0.05);
    expect(worstGlyph(r)?.char).toBe('S');
    expect(byChar(r).A).toBeCloseTo(1, 6);
  });

  it('fails a letter melted into a blob (its counters and gaps filled), on that letter', () => {
    // 름's ink box, filled: the strokes are there, the gaps between them are gone.
    const cell = c.cells[c.chars.indexOf('름')];
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -1,
      y1 = -1;
    for (let y = cell.y; y < cell.y + cell.height; y++)
      for (let x = cell.x; x < cell.x + cell.width; x++)
        if (G[y * c.width + x]) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
    const m = G.slice();
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m[y * c.width + x] = 1;
    const r = score(m);
    expect(byChar(r)['름']).toBeLessThan(0.6);
    expect(worstGlyph(r)?.char).toBe('름');
    expect(byChar(r)['여']).toBeCloseTo(1, 6);
  });

  it('fails letters that run together and a heavy melt everywhere', () => {
    // Grown by twice the tolerance: the gaps inside and between letters close up.
    const ran = dilateBinary(G, c.width, c.height, 2 * tol);
    expect(score(ran).worst).toBeLessThan(0.6);
    const melted = blurGray(c.glyphs, 2.5 * tol);
    // Lower threshold of the blurred coverage = a fat, rounded blob of each word.
    const fat = Uint8Array.from(melted.data, (v) => (v >= 40 ? 1 : 0));
    expect(score(fat).worst).toBeLessThan(0.6);
  });

  it('fails a matte that took the whole picture or nothing', () => {
    expect(score(new Uint8Array(c.width * c.height).fill(1)).worst).toBeLessThan(0.3);
    expect(score(new Uint8Array(c.width * c.height)).worst).toBe(0);
  });

  it('without layout cells, judges the connected glyph groups and charges stray matte to the nearest', () => {
    expect(score(G, false).worst).toBeCloseTo(1, 6);
    // A stray blob right of the last letter lowers the nearest group only.
    const m = G.slice();
    const last = c.cells[c.cells.length - 1];
    for (let y = last.y + 10; y < last.y + 40; y++) for (let x = c.width - 30; x < c.width - 5; x++) m[y * c.width + x] = 1;
    const r = score(m, false);
    expect(r.worst).toBeLessThan(1);
    expect(r.glyphs.filter((g) => g.iou > 0.999).length).toBeGreaterThan(0);
  });

  it('refuses a matte of another size', () => {
    expect(() => legibility(c.glyphs, { width: 2, height: 2, data: Buffer.alloc(4) }, { tolerance: 2 })).toThrow(/2×2/);
  });
});
