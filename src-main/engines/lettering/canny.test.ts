import { describe, expect, it } from 'vitest';
import { canny, CANNY_DEFAULTS, sobel } from './canny';

function plane(w: number, h: number, fn: (x: number, y: number) => number): Float32Array {
  const p = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p[y * w + x] = fn(x, y);
  return p;
}

const count = (e: Uint8Array) => e.reduce((s, v) => s + (v ? 1 : 0), 0);

describe('sobel', () => {
  it('gives the 3×3 Sobel response of a vertical step (replicated border: no response at the frame)', () => {
    const { gx, gy } = sobel(
      plane(6, 4, (x) => (x >= 3 ? 100 : 0)),
      6,
      4,
    );
    // Columns 2 and 3 straddle the step: (1 + 2 + 1) · 100.
    expect(gx[1 * 6 + 2]).toBe(400);
    expect(gx[1 * 6 + 3]).toBe(400);
    expect(gx[1 * 6 + 0]).toBe(0);
    expect(gx[1 * 6 + 5]).toBe(0);
    expect(Array.from(gy).every((v) => v === 0)).toBe(true);
  });
});

describe('canny', () => {
  it('finds nothing in a flat or a gently sloped image', () => {
    expect(
      count(
        canny(
          plane(20, 20, () => 128),
          20,
          20,
        ),
      ),
    ).toBe(0);
    // 2 levels per pixel: |gx| = 8·2 = 16, far below the low threshold.
    expect(
      count(
        canny(
          plane(20, 20, (x) => 2 * x),
          20,
          20,
        ),
      ),
    ).toBe(0);
  });

  it('outlines a filled square with a closed, one-pixel-thin contour and nothing inside or outside', () => {
    const w = 32;
    const sq = plane(w, w, (x, y) => (x >= 8 && x < 24 && y >= 8 && y < 24 ? 255 : 0));
    const e = canny(sq, w, w, CANNY_DEFAULTS);
    const on = (x: number, y: number) => e[y * w + x] === 255;
    // Nothing far from the border of the square.
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        const d = Math.min(Math.abs(x - 7.5), Math.abs(x - 23.5), Math.abs(y - 7.5), Math.abs(y - 23.5));
        const nearSide = d <= 1 && x >= 6 && x <= 25 && y >= 6 && y <= 25;
        if (!nearSide) expect(on(x, y), `(${x},${y})`).toBe(false);
      }
    // Every row of the left side has exactly one edge pixel (thin), at the step.
    for (let y = 10; y < 22; y++) {
      const row = [6, 7, 8, 9].filter((x) => on(x, y));
      expect(row.length, `row ${y}`).toBe(1);
    }
    // Closed enough: all four sides are traced along their length.
    for (let t = 10; t < 22; t++) {
      expect([7, 8].some((x) => on(x, t))).toBe(true); // left
      expect([23, 24].some((x) => on(x, t))).toBe(true); // right
      expect([7, 8].some((y) => on(t, y))).toBe(true); // top
      expect([23, 24].some((y) => on(t, y))).toBe(true); // bottom
    }
  });

  it('hysteresis keeps a weak edge joined to a strong one and drops an isolated weak edge', () => {
    // Left half: a strong step (0 → 200) over rows 0..9 continuing as a weak step (0 → 40) over rows
    // 10..19. Right half: an isolated weak step.
    const w = 40;
    const h = 20;
    const img = plane(w, h, (x, y) => {
      if (x < 20) return x >= 10 ? (y < 10 ? 200 : 40) : 0;
      return x >= 30 ? 40 : 0;
    });
    // |gx| of the weak step = 4·40 = 160: between low 100 and high 200. Strong: 4·200 = 800.
    const e = canny(img, w, h, { low: 100, high: 200 });
    const col = (x0: number, x1: number, y: number) => {
      for (let x = x0; x <= x1; x++) if (e[y * w + x]) return true;
      return false;
    };
    for (let y = 0; y < h; y++) expect(col(8, 11, y), `joined row ${y}`).toBe(true);
    for (let y = 0; y < h; y++) expect(col(28, 31, y), `isolated row ${y}`).toBe(false);
    // With the high threshold under the weak step, the isolated edge is strong and kept.
    const lowered = canny(img, w, h, { low: 50, high: 150 });
    expect(lowered.slice(5 * w + 28, 5 * w + 32).some((v) => v === 255)).toBe(true);
  });

  it('traces a diagonal edge one pixel wide (45° suppression)', () => {
    const w = 24;
    const e = canny(
      plane(w, w, (x, y) => (x > y ? 255 : 0)),
      w,
      w,
    );
    for (let y = 3; y < w - 3; y++) {
      const hits = [];
      for (let x = 0; x < w; x++) if (e[y * w + x]) hits.push(x);
      expect(hits.length, `row ${y}`).toBeGreaterThanOrEqual(1);
      expect(hits.length, `row ${y}`).toBeLessThanOrEqual(2);
      for (const x of hits) expect(Math.abs(x - y)).toBeLessThanOrEqual(1);
    }
  });

  it('L2 magnitude is never larger than L1 (fewer or equal edges at the same thresholds)', () => {
    const w = 30;
    const img = plane(w, w, (x, y) => ((x - 15) ** 2 + (y - 15) ** 2 < 64 ? 180 : 20));
    expect(count(canny(img, w, w, { low: 100, high: 200, l2: true }))).toBeLessThanOrEqual(count(canny(img, w, w, { low: 100, high: 200 })));
    expect(count(canny(img, w, w, { low: 100, high: 200, l2: true }))).toBeGreaterThan(10);
  });

  it('refuses thresholds out of order', () => {
    expect(() => canny(new Float32Array(4), 2, 2, { low: 200, high: 100 })).toThrow(/low ≤ high/);
  });
});
