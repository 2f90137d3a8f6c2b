// Model folder discovery (optimum and BFL/TensorRT layouts), the lock file, the memory plan, and
// reading tensor roles from graph metadata whatever the naming family.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { concreteDims, floatTypeOf, idTypeOf, staticDim, timestepTypeOf } from './graph-io';
import { needsLowMemory, weightBytes } from './load-order';
import { openModelFolder, verifyLock } from './model-folder';
import { concatLastAxis, penultimateHidden, pooledEmbeds } from './sdxl-conditioning';

const root = mkdtempSync(join(tmpdir(), 'diffusion-folder-'));

function files(dir: string, list: Record<string, number>): string {
  for (const [path, bytes] of Object.entries(list)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), Buffer.alloc(bytes));
  }
  return dir;
}

describe('openModelFolder', () => {
  it('finds the BFL/TensorRT FLUX layout (clip.opt, t5.opt, transformer.opt/fp8, vae.opt)', async () => {
    const dir = files(join(root, 'bfl'), {
      'clip.opt/model.onnx': 10,
      't5.opt/model.onnx': 20,
      't5.opt/model.onnx_data': 200,
      'transformer.opt/fp8/model.onnx': 30,
      'transformer.opt/fp8/model.onnx_data': 3000,
      'vae.opt/model.onnx': 5,
    });
    const f = await openModelFolder(dir, 'flux', ['text_encoder', 'text_encoder_2', 'transformer', 'vae_decoder'], ['vae_encoder']);
    expect(f.components.transformer?.dir).toBe(join(dir, 'transformer.opt/fp8'));
    expect(f.components.text_encoder_2?.bytes).toBe(220);
    expect(f.components.vae_encoder).toBeUndefined();
    expect(weightBytes(f, ['transformer', 'text_encoder_2'])).toBe(3250);
    expect(needsLowMemory(f, ['transformer', 'text_encoder_2'], 3000)).toBe(true);
    expect(needsLowMemory(f, ['transformer', 'text_encoder_2'])).toBe(false);
  });

  it('names the missing components', async () => {
    const dir = files(join(root, 'partial'), { 'text_encoder/model.onnx': 1 });
    await expect(openModelFolder(dir, 'sd', ['text_encoder', 'unet', 'vae_decoder'])).rejects.toThrow(/lacks unet\/model\.onnx, vae_decoder\/model\.onnx/);
  });

  it('the lock file catches missing and cut-off files and refuses paths outside the folder', () => {
    const dir = files(join(root, 'locked'), { 'unet/model.onnx': 4 });
    expect(() => verifyLock(dir, { files: [{ path: 'unet/model.onnx', bytes: 4 }] })).not.toThrow();
    expect(() => verifyLock(dir, { files: [{ path: 'unet/model.onnx_data', bytes: 4 }] })).toThrow(/unet\/model\.onnx_data is missing/);
    expect(() => verifyLock(dir, { files: [{ path: '../x', bytes: 1 }] })).toThrow(/outside the model folder/);
  });
});

describe('tensor roles from graph metadata', () => {
  it('maps dtypes and refuses bf16 I/O with the reason', () => {
    const info = (type: string, shape: (number | string)[] = []) => ({ name: 'x', type, shape });
    expect(floatTypeOf(info('float16'), 'unet')).toBe('float16');
    expect(() => floatTypeOf(info('bfloat16'), 'transformer')).toThrow(/only float32 or float16/);
    expect(idTypeOf(info('int64'), 'text_encoder')).toBe('int64');
    expect(() => idTypeOf(info('float32'), 'text_encoder')).toThrow(/int32 or int64/);
    expect(timestepTypeOf(info('int64'), 'unet')).toBe('int64');
    expect(concreteDims(info('float32', []), [1])).toEqual([]);
    expect(concreteDims(info('float32', ['batch']), [1])).toEqual([1]);
    expect(concreteDims(info('float32', [2]), [1])).toEqual([2]);
    expect(staticDim(info('int32', ['batch', 77]), 1)).toBe(77);
    expect(staticDim(info('int32', ['batch', 'sequence_length']), 1)).toBeNull();
  });

  it('takes the penultimate hidden layer and the pooled embedding in every naming family', () => {
    const t = (dims: number[], v: number) => new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(v), dims);
    const optimum: Record<string, ort.Tensor> = { text_embeds: t([1, 4], 9), last_hidden_state: t([1, 2, 3], 8) };
    for (let k = 0; k <= 32; k++) optimum[`hidden_states.${k}`] = t([1, 2, 3], k);
    expect(penultimateHidden(optimum).name).toBe('hidden_states.31');
    expect(penultimateHidden(optimum).value.data[0]).toBe(31);
    expect(pooledEmbeds(optimum).data[0]).toBe(9);
    const ortDemo = { text_embeddings: t([1, 4], 7), hidden_states: t([1, 2, 3], 5) };
    expect(penultimateHidden(ortDemo).name).toBe('hidden_states');
    expect(pooledEmbeds(ortDemo).data[0]).toBe(7);
    const joined = concatLastAxis({ data: Float32Array.from([1, 2, 3, 4]), dims: [1, 2, 2] }, { data: Float32Array.from([5, 6]), dims: [1, 2, 1] });
    expect(Array.from(joined.data)).toEqual([1, 2, 5, 3, 4, 6]);
    expect(joined.dims).toEqual([1, 2, 3]);
  });
});
