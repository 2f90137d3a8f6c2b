// Seeded 2-D value noise and fractal sums, and a coarse-grid field evaluator. One lattice
// implementation serves the backdrop (ValueNoise) and the lettering textures (valueNoise/fbm samplers).
import { makeRng } from './random';

const SIZE = 256;
const MASK = SIZE - 1;

/** Smooth value noise on a 256-periodic lattice, output in [0, 1]. */
export class ValueNoise {
  private readonly perm = new Uint8Array(SIZE * 2);
  private readonly values = new Float32Array(SIZE);

  constructor(seed: number) {
    const rng = makeRng(seed);
    const p = new Uint8Array(SIZE);
    for (let i = 0; i < SIZE; i++) {
      p[i] = i;
      this.values[i] = rng();
    }
    for (let i = SIZE - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    for (let i = 0; i < SIZE * 2; i++) this.perm[i] = p[i & MASK];
  }

  noise(x: number, y: number): number {
    const xf = Math.floor(x);
    const yf = Math.floor(y);
    const tx = x - xf;
    const ty = y - yf;
    const xi = xf & MASK;
    const yi = yf & MASK;
    const p = this.perm;
    const v = this.values;
    const a = p[xi] + yi;
    const b = p[xi + 1] + yi;
    const v00 = v[p[a]];
    const v01 = v[p[a + 1]];
    const v10 = v[p[b]];
    const v11 = v[p[b + 1]];
    const sx = tx * tx * (3 - 2 * tx);
    const sy = ty * ty * (3 - 2 * ty);
    const top = v00 + (v10 - v00) * sx;
    const bot = v01 + (v11 - v01) * sx;
    return top + (bot - top) * sy;
  }

  /** Fractal sum of `octaves` noise layers (lacunarity 2, gain 0.5), normalised to [0, 1]. */
  fbm(x: number, y: number, octaves = 4): number {
    let sum = 0;
    let amp = 0.5;
    let norm = 0;
    let f = 1;
    for (let o = 0; o < octaves; o++) {
      sum += amp * this.noise(x * f + o * 17.3, y * f + o * 31.7);
      norm += amp;
      amp *= 0.5;
      f *= 2;
    }
    return sum / norm;
  }
}

/**
 * Evaluates a smooth field on a coarse grid (every `step` pixels) and bilinearly upsamples it:
 * low-frequency fields (cloudiness, folds, tint) do not need per-pixel noise, which keeps the
 * backdrop within its time budget.
 */
export function coarseField(width: number, height: number, step: number, fn: (x: number, y: number) => number): Float32Array {
  const gw = Math.ceil(width / step) + 2;
  const gh = Math.ceil(height / step) + 2;
  const grid = new Float32Array(gw * gh);
  for (let j = 0; j < gh; j++) for (let i = 0; i < gw; i++) grid[j * gw + i] = fn(i * step, j * step);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / step;
    const j = Math.floor(gy);
    const ty = gy - j;
    for (let x = 0; x < width; x++) {
      const gx = x / step;
      const i = Math.floor(gx);
      const tx = gx - i;
      const k = j * gw + i;
      const top = grid[k] + (grid[k + 1] - grid[k]) * tx;
      const bot = grid[k + gw] + (grid[k + gw + 1] - grid[k + gw]) * tx;
      out[y * width + x] = top + (bot - top) * ty;
    }
  }
  return out;
}

/** Value noise on a lattice of `cell` px, seeded; returns a sampler giving 0..1. */
export function valueNoise(seed: number, cell: number): (x: number, y: number) => number {
  const n = new ValueNoise(seed);
  const inv = 1 / cell;
  return (x, y) => n.noise(x * inv, y * inv);
}

/** Fractal sum of `octaves` independent value-noise layers (cell halves, amplitude halves), 0..1. */
export function fbm(seed: number, cell: number, octaves: number): (x: number, y: number) => number {
  const layers = Array.from({ length: octaves }, (_, o) => valueNoise(seed + o * 1013, cell / 2 ** o));
  return (x, y) => {
    let sum = 0;
    let amp = 0.5;
    let norm = 0;
    for (const n of layers) {
      sum += n(x, y) * amp;
      norm += amp;
      amp *= 0.5;
    }
    return sum / norm;
  };
}
