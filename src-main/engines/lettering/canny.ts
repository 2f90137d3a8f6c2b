// Canny edges as the diffusers ControlNet-canny examples make them with `cv2.Canny(img, 100, 200)`:
// 3×3 Sobel gradients (replicated border), L1 magnitude |gx| + |gy| by default, non-maximum
// suppression along the gradient direction quantised to 0°/45°/90°/135°, then hysteresis (pixels
// above `high` are edges; pixels above `low` are edges when 8-connected to one). No blur
// first, like cv2.Canny. Pure maths on a 0..255 plane; the result is 0 or 255 per pixel.

export interface CannyOptions {
  /** Hysteresis thresholds on the gradient magnitude (cv2: threshold1, threshold2). */
  low: number;
  high: number;
  /** L2 magnitude sqrt(gx² + gy²) instead of |gx| + |gy| (cv2's L2gradient). */
  l2?: boolean;
}

/** The diffusers ControlNet-canny example thresholds. */
export const CANNY_DEFAULTS: CannyOptions = { low: 100, high: 200 };

/** tan(22.5°) and tan(67.5°): the sector borders of the direction quantisation. */
const TAN22 = Math.tan(Math.PI / 8);
const TAN67 = Math.tan((3 * Math.PI) / 8);

/** Sobel gx, gy of a plane with the border replicated. */
export function sobel(src: ArrayLike<number>, w: number, h: number): { gx: Float32Array; gy: Float32Array } {
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  const at = (x: number, y: number) => src[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const a = at(x - 1, y - 1),
        b = at(x, y - 1),
        c = at(x + 1, y - 1);
      const d = at(x - 1, y),
        f = at(x + 1, y);
      const g = at(x - 1, y + 1),
        hh = at(x, y + 1),
        k = at(x + 1, y + 1);
      gx[y * w + x] = c + 2 * f + k - (a + 2 * d + g);
      gy[y * w + x] = g + 2 * hh + k - (a + 2 * b + c);
    }
  return { gx, gy };
}

/** Edge map (0 / 255) of a 0..255 plane. */
export function canny(src: ArrayLike<number>, w: number, h: number, opts: CannyOptions = CANNY_DEFAULTS): Uint8Array {
  if (!(opts.low >= 0 && opts.high >= opts.low)) throw new Error(`canny thresholds must satisfy 0 ≤ low ≤ high, got ${opts.low}, ${opts.high}`);
  const n = w * h;
  const { gx, gy } = sobel(src, w, h);
  const mag = new Float32Array(n);
  for (let i = 0; i < n; i++) mag[i] = opts.l2 ? Math.hypot(gx[i], gy[i]) : Math.abs(gx[i]) + Math.abs(gy[i]);

  // Non-maximum suppression: keep a pixel that beats its neighbour on one side of the gradient and
  // is not beaten on the other (cv2's asymmetric > / ≥ keeps exactly one pixel of a plateau pair).
  // 0 = not an edge, 1 = weak candidate, 2 = strong.
  const state = new Uint8Array(n);
  const m = (x: number, y: number) => (x < 0 || y < 0 || x >= w || y >= h ? 0 : mag[y * w + x]);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = mag[i];
      if (v <= opts.low) continue;
      const ax = Math.abs(gx[i]);
      const ay = Math.abs(gy[i]);
      let before: number, after: number;
      if (ay <= ax * TAN22) {
        // Horizontal gradient: compare left/right.
        before = m(x - 1, y);
        after = m(x + 1, y);
      } else if (ay >= ax * TAN67) {
        // Vertical gradient: compare up/down.
        before = m(x, y - 1);
        after = m(x, y + 1);
      } else {
        // Diagonal: the sign of gx·gy picks which diagonal (y grows downwards).
        const s = gx[i] * gy[i] < 0 ? -1 : 1;
        before = m(x - s, y - 1);
        after = m(x + s, y + 1);
      }
      if (v > before && v >= after) state[i] = v > opts.high ? 2 : 1;
    }

  // Hysteresis: grow from strong pixels through 8-connected weak ones.
  const out = new Uint8Array(n);
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    if (state[i] !== 2 || out[i]) continue;
    out[i] = 255;
    stack.push(i);
    while (stack.length) {
      const p = stack.pop() as number;
      const px = p % w;
      const py = (p - px) / w;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const qx = px + dx;
          const qy = py + dy;
          if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
          const q = qy * w + qx;
          if (state[q] && !out[q]) {
            out[q] = 255;
            stack.push(q);
          }
        }
    }
  }
  return out;
}
