// fp16 bit conversion, FLUX packing, VAE scaling, image ↔ NCHW and the ORT tensors per dtype.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  f16BitsToF32,
  f32ToF16Bits,
  floatTensor,
  fluxImageIds,
  fromEncoderOutput,
  fromF16Bits,
  idsTensor,
  nchwToRgba,
  packLatents,
  readFloats,
  rgbaToNchw,
  timestepTensor,
  toDecoderInput,
  toF16Bits,
  unpackLatents,
  VAE_SCALING,
} from './tensors';

describe('fp16', () => {
  it('converts known values bit-exactly, rounding to nearest even', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff], // largest half
      [65519.99, 0x7bff], // still rounds down
      [65520, 0x7c00], // rounds up to Inf
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [1 / 3, 0x3555],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // tie → even (0)
      [3 * 2 ** -26, 0x0001], // above the tie → 1
      [2049, 0x6800], // 2049 is a tie between 2048 and 2050 → 2048 (even mantissa)
      [2051, 0x6802], // tie between 2050 and 2052 → 2052
      [0.1, 0x2e66],
    ];
    for (const [v, bits] of cases) expect(f32ToF16Bits(v), `${v}`).toBe(bits);
    expect(f32ToF16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(f32ToF16Bits(NaN) & 0x3ff).not.toBe(0);
  });

  it('round-trips every finite half value exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue; // Inf/NaN
      expect(f32ToF16Bits(f16BitsToF32(h))).toBe(h);
    }
    expect(f16BitsToF32(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(f16BitsToF32(0x7e00))).toBe(true);
  });

  it('fp16 tensors travel as Uint16Array bits (no Float16Array needed) and read back as numbers', () => {
    const t = floatTensor('float16', Float32Array.from([1, -2, 0.5]), [3]);
    expect(t.type).toBe('float16');
    expect(t.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(t.data as Uint16Array)).toEqual([0x3c00, 0xc000, 0x3800]);
    expect(Array.from(readFloats(t))).toEqual([1, -2, 0.5]);
    expect(Array.from(fromF16Bits(toF16Bits([0.1])))).toEqual([f16BitsToF32(0x2e66)]);
  });
});

describe('ORT tensors in the declared dtype', () => {
  it('ids as int32 or int64', () => {
    expect(idsTensor('int32', [49406, 1, 49407], [1, 3]).data).toEqual(Int32Array.from([49406, 1, 49407]));
    const t = idsTensor('int64', [49406, 7], [1, 2]);
    expect(t.type).toBe('int64');
    expect(Array.from(t.data as BigInt64Array)).toEqual([49406n, 7n]);
  });

  it('timesteps as int64 [1], fp16 [1], fp32 scalar or [B]', () => {
    expect(Array.from(timestepTensor('int64', 999, [1]).data as BigInt64Array)).toEqual([999n]);
    expect(Array.from(timestepTensor('float16', 999, [1]).data as Uint16Array)).toEqual([f32ToF16Bits(999)]);
    const scalar = timestepTensor('float32', 0.75, []);
    expect(scalar.dims).toEqual([]);
    expect(Array.from(scalar.data as Float32Array)).toEqual([0.75]);
    expect(Array.from(timestepTensor('float32', 0.5, [2]).data as Float32Array)).toEqual([0.5, 0.5]);
    expect(timestepTensor('int32', 249, [1]).type).toBe('int32');
  });

  it('reads fp32 and fp16 outputs as Float32Array', () => {
    const f = new ort.Tensor('float32', Float32Array.from([1.5]), [1]);
    expect(readFloats(f)[0]).toBe(1.5);
    expect(() => readFloats(new ort.Tensor('int32', Int32Array.from([1]), [1]))).toThrow(/float/);
  });
});

describe('FLUX latent packing', () => {
  it('matches diffusers _pack_latents: view [1,C,h/2,2,w/2,2] → permute(0,2,4,1,3,5)', () => {
    const c = 16;
    const h = 4;
    const w = 6;
    const x = Float32Array.from({ length: c * h * w }, (_, i) => i);
    const p = packLatents(x, c, h, w);
    expect(p.length).toBe(x.length);
    // token (i,j), feature f = ch*4 + di*2 + dj  ↔  x[ch, 2i+di, 2j+dj]
    for (const [i, j, ch, di, dj] of [
      [0, 0, 0, 0, 0],
      [0, 0, 0, 1, 1],
      [1, 2, 5, 0, 1],
      [1, 1, 15, 1, 0],
    ]) {
      const token = i * (w / 2) + j;
      expect(p[token * 64 + ch * 4 + di * 2 + dj]).toBe(x[ch * h * w + (2 * i + di) * w + (2 * j + dj)]);
    }
    expect(Array.from(unpackLatents(p, c, h, w))).toEqual(Array.from(x));
    expect(() => packLatents(new Float32Array(16 * 3 * 4), 16, 3, 4)).toThrow(/multiples of 16/);
  });

  it('image ids are (0, row, col) per token, row-major', () => {
    const ids = fluxImageIds(4, 6); // 2×3 tokens
    expect(Array.from(ids)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 0, 0, 1, 1, 0, 1, 2]);
  });
});

describe('VAE scaling per family', () => {
  it('decoder input is x/scale + shift and the encoder inverse is (z − shift)·scale', () => {
    expect(VAE_SCALING.sd).toEqual({ scale: 0.18215, shift: 0 });
    expect(VAE_SCALING.sdxl).toEqual({ scale: 0.13025, shift: 0 });
    expect(VAE_SCALING.flux).toEqual({ scale: 0.3611, shift: 0.1159 });
    const x = Float32Array.from([0.3611, 0, -1]);
    const d = toDecoderInput(x, VAE_SCALING.flux);
    expect(d[0]).toBeCloseTo(1.1159, 5);
    expect(d[1]).toBeCloseTo(0.1159, 5);
    const back = fromEncoderOutput(d, VAE_SCALING.flux);
    for (let i = 0; i < x.length; i++) expect(back[i]).toBeCloseTo(x[i], 5);
    expect(toDecoderInput(Float32Array.from([0.18215]), VAE_SCALING.sd)[0]).toBeCloseTo(1, 6);
  });
});

describe('images ↔ NCHW', () => {
  it('maps 0..255 to [-1,1] planes and back exactly', () => {
    const img = {
      width: 3,
      height: 2,
      data: Buffer.from([0, 128, 255, 7, 10, 20, 30, 255, 255, 0, 0, 255, 1, 2, 3, 255, 100, 150, 200, 255, 254, 253, 252, 255]),
    };
    const x = rgbaToNchw(img);
    expect(x[0]).toBe(-1);
    expect(x[6 + 0]).toBeCloseTo(128 / 127.5 - 1, 6);
    expect(x[12]).toBe(1);
    const back = nchwToRgba(x, 3, 2);
    for (let i = 0; i < 6; i++) for (let c = 0; c < 3; c++) expect(back.data[i * 4 + c]).toBe(img.data[i * 4 + c]);
    expect(back.data[3]).toBe(255);
    expect(nchwToRgba(Float32Array.from([-5, 5, NaN]), 1, 1).data).toEqual(Buffer.from([0, 255, 0, 255]));
  });
});
