// Tensor plumbing shared by the diffusion engines: fp32↔fp16 bit conversion (Node 20 has no
// Float16Array, so fp16 travels as raw Uint16Array bits), ORT tensors in the dtype a graph declares,
// image ↔ NCHW, FLUX 2×2 latent packing, and the VAE scale/shift of each model family.
import * as ort from 'onnxruntime-node';
import type { RgbaImage } from '../../imaging/types';

// ------------------------------------------------------------------------------------------------
// fp16

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a number, round-to-nearest-even, with subnormals, ±Inf and NaN. */
export function f32ToF16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0); // Inf / NaN (quiet)
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit-1 mantissa right, rounding to nearest even.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    const rounded = rem > mid || (rem === mid && (half & 1) === 1) ? half + 1 : half;
    return sign | rounded;
  }
  const half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to Inf).
  const rounded = rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1) ? half + 1 : half;
  return sign | rounded;
}

/** The number a binary16 bit pattern stands for. */
export function f16BitsToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function toF16Bits(src: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f32ToF16Bits(src[i]);
  return out;
}

export function fromF16Bits(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = f16BitsToF32(bits[i]);
  return out;
}

// ------------------------------------------------------------------------------------------------
// ORT tensors in the declared dtype

export type FloatType = 'float32' | 'float16';
export type IdType = 'int32' | 'int64';
export type TimestepType = 'float32' | 'float16' | 'int64' | 'int32';

/** A float tensor of the graph's declared input type (fp16 as raw bits: works on every Node). */
export function floatTensor(type: FloatType, data: Float32Array, dims: readonly number[]): ort.Tensor {
  if (type === 'float16') return new ort.Tensor('float16', toF16Bits(data), dims);
  return new ort.Tensor('float32', data, dims);
}

/** Token ids as int32 or int64. */
export function idsTensor(type: IdType, ids: ArrayLike<number>, dims: readonly number[]): ort.Tensor {
  if (type === 'int64') return new ort.Tensor('int64', BigInt64Array.from(Array.from(ids, (v) => BigInt(v))), dims);
  return new ort.Tensor('int32', Int32Array.from(ids), dims);
}

/** One timestep value repeated to fill `dims` ([] = scalar, [1], [B]) in the declared dtype. */
export function timestepTensor(type: TimestepType, value: number, dims: readonly number[]): ort.Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  switch (type) {
    case 'int64':
      return new ort.Tensor('int64', new BigInt64Array(n).fill(BigInt(Math.round(value))), dims);
    case 'int32':
      return new ort.Tensor('int32', new Int32Array(n).fill(Math.round(value)), dims);
    default:
      return floatTensor(type, new Float32Array(n).fill(value), dims);
  }
}

/** Any float output (fp32, or fp16 as Uint16Array bits or a native Float16Array) as Float32Array. */
export function readFloats(t: ort.Tensor): Float32Array {
  const data = t.data as unknown;
  if (t.type === 'float32') return data as Float32Array;
  if (t.type === 'float16') {
    if (data instanceof Uint16Array) return fromF16Bits(data);
    // Runtimes with a global Float16Array (Node ≥ 24 / Electron) hand out real half floats.
    return Float32Array.from(data as ArrayLike<number>);
  }
  if (t.type === 'float64') return Float32Array.from(data as Float64Array);
  throw new Error(`expected a float output, got ${t.type}`);
}

// ------------------------------------------------------------------------------------------------
// Images ↔ NCHW in [-1, 1]

/** RGBA (alpha ignored) → [1,3,H,W] in [-1,1], the VAE encoder's input. */
export function rgbaToNchw(img: RgbaImage): Float32Array {
  const { width, height, data } = img;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    out[i] = data[i * 4] / 127.5 - 1;
    out[plane + i] = data[i * 4 + 1] / 127.5 - 1;
    out[2 * plane + i] = data[i * 4 + 2] / 127.5 - 1;
  }
  return out;
}

/** [1,3,H,W] in [-1,1] (the VAE decoder's output) → opaque RGBA. */
export function nchwToRgba(x: Float32Array, width: number, height: number): RgbaImage {
  const plane = width * height;
  if (x.length < 3 * plane) throw new Error(`decoder output has ${x.length} values, expected 3×${height}×${width}`);
  const data = Buffer.alloc(plane * 4);
  const to8 = (v: number) => {
    const u = Math.round((v / 2 + 0.5) * 255);
    return Number.isNaN(u) ? 0 : u < 0 ? 0 : u > 255 ? 255 : u;
  };
  for (let i = 0; i < plane; i++) {
    data[i * 4] = to8(x[i]);
    data[i * 4 + 1] = to8(x[plane + i]);
    data[i * 4 + 2] = to8(x[2 * plane + i]);
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

// ------------------------------------------------------------------------------------------------
// FLUX latent packing (diffusers `_pack_latents` / `_unpack_latents`, batch 1)

/** [1,C,h,w] → [1,(h/2)(w/2),C·4]: every 2×2 patch becomes one token, channel-major inside. */
export function packLatents(x: Float32Array, c: number, h: number, w: number): Float32Array {
  if (h % 2 || w % 2) throw new Error(`latent ${h}×${w} is not even; FLUX sizes must be multiples of 16`);
  const hh = h / 2;
  const ww = w / 2;
  const out = new Float32Array(x.length);
  let o = 0;
  for (let i = 0; i < hh; i++)
    for (let j = 0; j < ww; j++)
      for (let ch = 0; ch < c; ch++) for (let di = 0; di < 2; di++) for (let dj = 0; dj < 2; dj++) out[o++] = x[ch * h * w + (2 * i + di) * w + (2 * j + dj)];
  return out;
}

/** Inverse of packLatents. */
export function unpackLatents(p: Float32Array, c: number, h: number, w: number): Float32Array {
  const hh = h / 2;
  const ww = w / 2;
  const out = new Float32Array(p.length);
  let o = 0;
  for (let i = 0; i < hh; i++)
    for (let j = 0; j < ww; j++)
      for (let ch = 0; ch < c; ch++) for (let di = 0; di < 2; di++) for (let dj = 0; dj < 2; dj++) out[ch * h * w + (2 * i + di) * w + (2 * j + dj)] = p[o++];
  return out;
}

/** FLUX positional ids for the image tokens: row t = i·(w/2)+j holds (0, i, j). */
export function fluxImageIds(h: number, w: number): Float32Array {
  const hh = h / 2;
  const ww = w / 2;
  const out = new Float32Array(hh * ww * 3);
  for (let i = 0; i < hh; i++)
    for (let j = 0; j < ww; j++) {
      const t = i * ww + j;
      out[t * 3 + 1] = i;
      out[t * 3 + 2] = j;
    }
  return out;
}

// ------------------------------------------------------------------------------------------------
// VAE scaling

export interface VaeScaling {
  scale: number;
  shift: number;
}

/** diffusers `vae.config.scaling_factor` / `shift_factor` per family. */
export const VAE_SCALING = {
  sd: { scale: 0.18215, shift: 0 },
  sdxl: { scale: 0.13025, shift: 0 },
  flux: { scale: 0.3611, shift: 0.1159 },
} as const satisfies Record<string, VaeScaling>;

/** Denoised latents → the VAE decoder's input: x / scale + shift. */
export function toDecoderInput(latents: Float32Array, s: VaeScaling): Float32Array {
  const out = new Float32Array(latents.length);
  for (let i = 0; i < latents.length; i++) out[i] = latents[i] / s.scale + s.shift;
  return out;
}

/** The VAE encoder's latent → diffusion latents: (z − shift) · scale. */
export function fromEncoderOutput(z: Float32Array, s: VaeScaling): Float32Array {
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = (z[i] - s.shift) * s.scale;
  return out;
}
