// Pure per-pixel maths for the procedural lettering: distance inside the glyphs (bevel height),
// surface normals and the stacked extrusion (seeded noise lives in imaging/noise). Planes are
// Float32Array row-major, coverage in 0..1.

/** Chamfer (3-4) distance in px from each pixel inside the mask (coverage >= 0.5) to the outside. */
export function insideDistance(mask: Float32Array, w: number, h: number): Float32Array {
  const BIG = 1e9;
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = mask[i] >= 0.5 ? BIG : 0;
  const a = 1;
  const b = Math.SQRT2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (d[i] === 0) continue;
      let v = d[i];
      if (x > 0) v = Math.min(v, d[i - 1] + a);
      else v = Math.min(v, a);
      if (y > 0) {
        v = Math.min(v, d[i - w] + a);
        if (x > 0) v = Math.min(v, d[i - w - 1] + b);
        if (x < w - 1) v = Math.min(v, d[i - w + 1] + b);
      } else v = Math.min(v, a);
      d[i] = v;
    }
  }
  for (let y = h - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (d[i] === 0) continue;
      let v = d[i];
      if (x < w - 1) v = Math.min(v, d[i + 1] + a);
      if (y < h - 1) {
        v = Math.min(v, d[i + w] + a);
        if (x < w - 1) v = Math.min(v, d[i + w + 1] + b);
        if (x > 0) v = Math.min(v, d[i + w - 1] + b);
      }
      d[i] = v;
    }
  }
  // Distances are to pixel centres; on the edge row the antialiased coverage says how far the true
  // contour is from the centre (a straight edge through the pixel: coverage - 0.5).
  for (let i = 0; i < d.length; i++) d[i] = d[i] === 0 ? 0 : d[i] <= 1 ? mask[i] - 0.5 : d[i] - 0.5;
  return d;
}

/**
 * Height field of a bevel `width` px wide: 0 at the contour rising to 1 at `width` inside.
 * 'round' is a quarter circle (soft pillow edge), 'chisel' a straight 45° cut.
 */
export function bevelHeight(dist: Float32Array, width: number, profile: 'round' | 'chisel'): Float32Array {
  const out = new Float32Array(dist.length);
  const inv = 1 / Math.max(0.5, width);
  for (let i = 0; i < dist.length; i++) {
    const t = Math.min(1, dist[i] * inv);
    out[i] = profile === 'round' ? Math.sqrt(Math.max(0, 1 - (1 - t) * (1 - t))) : t;
  }
  return out;
}

/**
 * Unit normals (nx, ny, nz interleaved) of a height field scaled by `relief` (px of height per unit);
 * central differences, so a plateau has (0, 0, 1) and an edge tilts outward.
 */
export function normalsOf(height: Float32Array, w: number, h: number, relief: number): Float32Array {
  const n = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const y0 = y > 0 ? y - 1 : y;
    const y1 = y < h - 1 ? y + 1 : y;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const x0 = x > 0 ? x - 1 : x;
      const x1 = x < w - 1 ? x + 1 : x;
      const gx = ((height[y * w + x1] - height[y * w + x0]) * relief) / Math.max(1, x1 - x0);
      const gy = ((height[y1 * w + x] - height[y0 * w + x]) * relief) / Math.max(1, y1 - y0);
      const inv = 1 / Math.sqrt(gx * gx + gy * gy + 1);
      n[i * 3] = -gx * inv;
      n[i * 3 + 1] = -gy * inv;
      n[i * 3 + 2] = inv;
    }
  }
  return n;
}

/** Outward 2-D contour normals of a coverage mask (from its smoothed gradient); 0 where flat. */
export function contourNormals(smoothMask: Float32Array, w: number, h: number): Float32Array {
  const n = new Float32Array(w * h * 2);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx = smoothMask[i + 1] - smoothMask[i - 1];
      const gy = smoothMask[i + w] - smoothMask[i - w];
      const len = Math.sqrt(gx * gx + gy * gy);
      if (len < 1e-4) continue;
      n[i * 2] = -gx / len;
      n[i * 2 + 1] = -gy / len;
    }
  }
  return n;
}

export interface Extrusion {
  /** Premultiplied colour (r, g, b interleaved) and coverage of the stacked side walls. */
  color: Float32Array;
  alpha: Float32Array;
}

/**
 * The side walls: copies of the glyph mask at 1..depth px along `dir`, composited front to back
 * (nearer copies cover farther ones). Each copy is sampled bilinearly so the long silhouette edges
 * stay antialiased. `shade(k, nx, ny)` gives the wall colour of copy k (1 = nearest the face) whose
 * contour normal there is (nx, ny).
 */
export function extrude(
  mask: Float32Array,
  normals: Float32Array,
  w: number,
  h: number,
  dir: { x: number; y: number },
  depth: number,
  shade: (k: number, nx: number, ny: number, out: Float32Array) => void,
): Extrusion {
  const color = new Float32Array(w * h * 3);
  const alpha = new Float32Array(w * h);
  // Glyph bounds: shifted copies only touch the bounds shifted by the same offset.
  let bx0 = w,
    by0 = h,
    bx1 = -1,
    by1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (mask[y * w + x] > 0) {
        if (x < bx0) bx0 = x;
        if (x > bx1) bx1 = x;
        if (y < by0) by0 = y;
        if (y > by1) by1 = y;
      }
    }
  }
  if (bx1 < 0 || depth <= 0) return { color, alpha };
  const col = new Float32Array(3);
  // Steps of at most one pixel so thin strokes leave no gaps between copies.
  const steps = Math.max(1, Math.ceil(depth));
  for (let s = 1; s <= steps; s++) {
    const k = (s / steps) * depth;
    const ox = dir.x * k;
    const oy = dir.y * k;
    const ix = Math.floor(ox);
    const iy = Math.floor(oy);
    const fx = ox - ix;
    const fy = oy - iy;
    const w00 = (1 - fx) * (1 - fy),
      w10 = fx * (1 - fy),
      w01 = (1 - fx) * fy,
      w11 = fx * fy;
    const x0 = Math.max(0, bx0 + ix),
      x1 = Math.min(w - 1, bx1 + ix + 1);
    const y0 = Math.max(0, by0 + iy),
      y1 = Math.min(h - 1, by1 + iy + 1);
    for (let y = y0; y <= y1; y++) {
      const sy = y - iy; // source row for weight w00 sits at (x - ix - 1 + ..): sample point is p - offset
      for (let x = x0; x <= x1; x++) {
        const i = y * w + x;
        const A = alpha[i];
        if (A >= 0.999) continue;
        // Sample mask at (x - ox, y - oy): neighbours (sx-1|sx, sy-1|sy) with weights by fraction.
        const sx = x - ix;
        const xa = sx - 1,
          ya = sy - 1;
        let v = 0;
        if (ya >= 0 && ya < h) {
          if (xa >= 0 && xa < w) v += mask[ya * w + xa] * w11;
          if (sx >= 0 && sx < w) v += mask[ya * w + sx] * w01;
        }
        if (sy >= 0 && sy < h) {
          if (xa >= 0 && xa < w) v += mask[sy * w + xa] * w10;
          if (sx >= 0 && sx < w) v += mask[sy * w + sx] * w00;
        }
        if (v <= 0.002) continue;
        // Normal of the contour this copy shows at p: taken at the nearest source pixel.
        const nsx = Math.min(w - 1, Math.max(0, Math.round(x - ox)));
        const nsy = Math.min(h - 1, Math.max(0, Math.round(y - oy)));
        const ni = (nsy * w + nsx) * 2;
        shade(k, normals[ni], normals[ni + 1], col);
        const t = (1 - A) * v;
        color[i * 3] += t * col[0];
        color[i * 3 + 1] += t * col[1];
        color[i * 3 + 2] += t * col[2];
        alpha[i] = A + t;
      }
    }
  }
  return { color, alpha };
}
