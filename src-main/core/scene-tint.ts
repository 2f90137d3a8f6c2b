// `blend` composition: the text layer lit and tinted by the scene before it is laid over it. A
// soft-light pass whose blend colour carries the local ambient colour of the background (its
// chroma only, so a dark scene does not darken the text into it) times the scene's light colour,
// plus a gentle gradient from the side facing the light; a luma guard then keeps at least 85% of
// the original text/background luma difference so the headline stays legible. Pure maths in core/
// so step 3 and the studio's stage tint the same way (the stage maps its unscaled layer onto the
// scene through `map`).
import type { RgbaPixels } from './text-effects';

/** Mean colour of each cell of a grid×grid partition of the image, 0..1 per channel. */
export function cellMeans(image: RgbaPixels, grid: number): Float32Array {
  const out = new Float32Array(grid * grid * 3);
  const counts = new Float32Array(grid * grid);
  const { width, height, data } = image;
  // Sample every other pixel: the cells are large, a subsample is indistinguishable.
  for (let y = 0; y < height; y += 2) {
    const gy = Math.min(grid - 1, Math.floor((y * grid) / height));
    for (let x = 0; x < width; x += 2) {
      const gx = Math.min(grid - 1, Math.floor((x * grid) / width));
      const c = gy * grid + gx,
        p = (y * width + x) * 4;
      out[c * 3] += data[p];
      out[c * 3 + 1] += data[p + 1];
      out[c * 3 + 2] += data[p + 2];
      counts[c]++;
    }
  }
  for (let c = 0; c < counts.length; c++) {
    const n = Math.max(1, counts[c]) * 255;
    out[c * 3] /= n;
    out[c * 3 + 1] /= n;
    out[c * 3 + 2] /= n;
  }
  return out;
}

/** Bilinear sample of the cell grid at image position (x, y): a smooth ambient colour field. */
function ambientAt(cells: Float32Array, grid: number, width: number, height: number, x: number, y: number, out: number[]): void {
  const gx = Math.max(0, Math.min(grid - 1, (x * grid) / width - 0.5));
  const gy = Math.max(0, Math.min(grid - 1, (y * grid) / height - 0.5));
  const x0 = Math.floor(gx),
    y0 = Math.floor(gy);
  const x1 = Math.min(grid - 1, x0 + 1),
    y1 = Math.min(grid - 1, y0 + 1);
  const fx = gx - x0,
    fy = gy - y0;
  for (let c = 0; c < 3; c++) {
    const a = cells[(y0 * grid + x0) * 3 + c],
      b = cells[(y0 * grid + x1) * 3 + c];
    const d = cells[(y1 * grid + x0) * 3 + c],
      e = cells[(y1 * grid + x1) * 3 + c];
    out[c] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
  }
}

/** W3C soft-light of base b under blend s, both 0..1. */
export function softLight(b: number, s: number): number {
  if (s <= 0.5) return b - (1 - 2 * s) * b * (1 - b);
  const d = b <= 0.25 ? ((16 * b - 12) * b + 4) * b : Math.sqrt(b);
  return b + (2 * s - 1) * (d - b);
}

const luma = (r: number, g: number, b: number) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
/** Keeps extreme hues (deep blue night: blue/luma ≈ 5) from turning the text into a colour cast. */
const clampChroma = (v: number) => (v < -0.6 ? -0.6 : v > 1 ? 1 : v);

export interface TintInput {
  /** The already scaled/rotated layer; (left, top) is where it will land on the background. */
  layer: RgbaPixels;
  left: number;
  top: number;
  /**
   * Where a layer pixel lands on the background, when the layer is not drawn 1:1 at (left, top)
   * (the stage tints the unscaled layer): image px, with the layer's centre and half diagonal there.
   */
  map?: { at: (x: number, y: number, out: number[]) => void; centre: [number, number]; half: number };
  background: RgbaPixels;
  lightColor: [number, number, number];
  /** Unit vector from the light into the scene, image space (y down). */
  lightDir: { x: number; y: number };
  /** 0..1: how far the text moves toward the scene-lit version. */
  strength: number;
}

/** Returns a new layer (same size and alpha) with its colours lit and tinted by the scene. */
export function tintLayerToScene(t: TintInput): { width: number; height: number; data: Uint8ClampedArray } {
  const { layer, background: bg } = t;
  const grid = 16;
  const cells = cellMeans(bg, grid);
  const out = Uint8ClampedArray.from(layer.data);
  const strength = Math.max(0, Math.min(1, t.strength));
  if (strength === 0) return { width: layer.width, height: layer.height, data: out };
  const [lr, lg, lb] = t.lightColor;
  const len = Math.hypot(t.lightDir.x, t.lightDir.y) || 1;
  // Toward the light, normalised over the layer's half diagonal.
  const tx = -t.lightDir.x / len,
    ty = -t.lightDir.y / len;
  const half = t.map ? Math.max(1, t.map.half) : Math.max(1, Math.hypot(layer.width, layer.height) / 2);
  const [cx0, cy0] = t.map ? t.map.centre : [t.left + layer.width / 2, t.top + layer.height / 2];
  const amb = [0, 0, 0];
  const pos = [0, 0];
  for (let y = 0; y < layer.height; y++) {
    for (let x = 0; x < layer.width; x++) {
      const p = (y * layer.width + x) * 4;
      if (layer.data[p + 3] === 0) continue;
      if (t.map) t.map.at(x, y, pos);
      else {
        pos[0] = x + t.left;
        pos[1] = y + t.top;
      }
      const gx = Math.round(pos[0]),
        gy = Math.round(pos[1]);
      ambientAt(cells, grid, bg.width, bg.height, gx, gy, amb);
      // Hue of the light reaching the text: ambient × key light, normalised to unit luma so a
      // dark scene still tints by its colour without darkening the text.
      const ar = amb[0] * lr,
        ag = amb[1] * lg,
        ab = amb[2] * lb;
      const al = Math.max(0.04, luma(ar, ag, ab));
      const hr = clampChroma(ar / al - 1),
        hg = clampChroma(ag / al - 1),
        hb = clampChroma(ab / al - 1);
      const facing = ((pos[0] - cx0) * tx + (pos[1] - cy0) * ty) / half;
      const shade = 0.16 * Math.max(-1, Math.min(1, facing));
      const r0 = layer.data[p] / 255,
        g0 = layer.data[p + 1] / 255,
        b0 = layer.data[p + 2] / 255;
      let r = softLight(r0, clamp01(0.5 + 0.35 * hr + shade)) * (1 + 0.25 * hr);
      let g = softLight(g0, clamp01(0.5 + 0.35 * hg + shade)) * (1 + 0.25 * hg);
      let b = softLight(b0, clamp01(0.5 + 0.35 * hb + shade)) * (1 + 0.25 * hb);
      r = r0 + (r - r0) * strength;
      g = g0 + (g - g0) * strength;
      b = b0 + (b - b0) * strength;
      // Luma guard against the actual pixel behind the text.
      const cx = Math.min(bg.width - 1, Math.max(0, gx)),
        cy = Math.min(bg.height - 1, Math.max(0, gy));
      const q = (cy * bg.width + cx) * 4;
      const lBg = luma(bg.data[q], bg.data[q + 1], bg.data[q + 2]) / 255;
      const lOrig = luma(r0, g0, b0),
        lNew = luma(r, g, b);
      const need = 0.85 * (lOrig - lBg);
      if (Math.abs(need) > 0.01 && (Math.abs(lNew - lBg) < Math.abs(need) || Math.sign(lNew - lBg) !== Math.sign(need))) {
        const shift = lBg + need - lNew;
        r += shift;
        g += shift;
        b += shift;
      }
      out[p] = Math.round(Math.min(1, Math.max(0, r)) * 255);
      out[p + 1] = Math.round(Math.min(1, Math.max(0, g)) * 255);
      out[p + 2] = Math.round(Math.min(1, Math.max(0, b)) * 255);
    }
  }
  return { width: layer.width, height: layer.height, data: out };
}
