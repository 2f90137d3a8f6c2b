// Deterministic Gaussian noise for the diffusion engines: the same seed gives the same latents on
// every machine and provider (the noise is made on the CPU in JS, never by a runtime's RNG).
// sfc32 (a small, fast 32-bit PRNG that passes PractRand) seeded through splitmix32, and a
// Box–Muller transform producing pairs. Named for its one purpose; the project's shared RNG is
// planned for src-main/imaging/random.ts.

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Uniform floats in [0,1) from sfc32; the seed may be any integer up to 2^53. */
export class DiffusionUniform {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
    const int = Math.floor(Math.abs(seed));
    const lo = int % 0x100000000;
    const hi = Math.floor(int / 0x100000000) >>> 0;
    const mix = splitmix32(lo ^ Math.imul(hi, 0x9e3779b1) ^ (seed < 0 ? 0x5bd1e995 : 0));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix() | 1;
    for (let i = 0; i < 12; i++) this.nextUint32(); // warm-up, as sfc32's author recommends
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  next(): number {
    return this.nextUint32() / 0x100000000;
  }
}

/** Standard normal samples (Box–Muller over DiffusionUniform), one stream per seed. */
export class DiffusionNoise {
  private readonly uniform: DiffusionUniform;
  private spare: number | null = null;

  constructor(seed: number) {
    this.uniform = new DiffusionUniform(seed);
  }

  nextGaussian(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    // 1 − u keeps the log's argument in (0, 1].
    const u1 = 1 - this.uniform.next();
    const u2 = this.uniform.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** `count` fresh N(0,1) samples, optionally multiplied by `scale`. */
  gaussian(count: number, scale = 1): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.nextGaussian() * scale;
    return out;
  }
}
