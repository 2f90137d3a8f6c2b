// Allocation failures in the words a user can act on; other errors pass through unchanged.
import { describe, expect, it } from 'vitest';
import { asMemoryError, DiffusionMemoryError } from './errors';

describe('asMemoryError', () => {
  const ctx = { engine: 'flux-schnell', component: 'transformer', provider: 'cuda', width: 1024, height: 1024 };

  it('recognises CUDA and arena allocation failures and says what to lower', () => {
    for (const message of [
      '/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_call.cc:123 CUDA failure 2: out of memory ; GPU=0',
      'Non-zero status code returned while running MatMul node. Status Message: BFCArena::AllocateRawInternal Failed to allocate memory for requested buffer of size 603979776',
      'Available memory of 2097152 is smaller than requested bytes of 4194304',
      'std::bad_alloc',
    ]) {
      const err = asMemoryError(new Error(message), ctx);
      expect(err).toBeInstanceOf(DiffusionMemoryError);
      expect((err as Error).message).toMatch(
        /^flux-schnell: out of GPU\/CPU memory in transformer on cuda at 1024×1024: lower the image size .*low-memory loading.*bg_engine=sd-turbo/,
      );
    }
    const enc = asMemoryError(new Error('out of memory'), { ...ctx, component: 'text_encoder_2', width: 0, height: 0 }) as Error;
    expect(enc.message).toMatch(/in text_encoder_2 on cuda: turn on low-memory loading/);
  });

  it('leaves other errors alone', () => {
    const other = new Error('input sample has the wrong shape');
    expect(asMemoryError(other, ctx)).toBe(other);
  });
});
