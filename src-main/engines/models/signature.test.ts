// The load-time signature check against a real onnxruntime-node session (a tiny graph built in the
// test) and against plain objects for the cases a small float32 graph cannot show.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { conv1x1Model } from '../../../test/helpers/onnx-graph';
import { isModelError } from './errors';
import { checkSignature, type SessionLike } from './signature';

const dir = mkdtempSync(path.join(tmpdir(), 'adforge-signature-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('checkSignature on a real session', () => {
  const file = path.join(dir, 'seg.onnx');
  writeFileSync(file, conv1x1Model({ input: 'input_image', output: 'output_image', size: 1024, weights: [1, 1, 1], bias: 0, sigmoid: true }));
  let session: ort.InferenceSession;

  it('accepts the declared names, dtypes and shapes and maps them', async () => {
    session = await ort.InferenceSession.create(file);
    const match = checkSignature(session, { inputs: [{ name: 'input_image', dtype: 'float32', shape: [1, 3, 1024, 1024] }], outputs: [{ name: 'output_image', dtype: 'float32', shape: [1, 1, 'H', 'W'] }] }, 'birefnet/model');
    expect(match.inputs).toEqual({ input_image: 'input_image' });
    expect(match.outputs).toEqual({ output_image: 'output_image' });
    // onnxruntime-node exposes input metadata, so the dtype really was compared.
    expect(match.unchecked).toEqual([]);
  });

  it('names every mismatch: missing and undeclared tensors, dtype and fixed dims', () => {
    const err = thrown(() =>
      checkSignature(session, { inputs: [{ name: 'sample', dtype: 'float16' }], outputs: [{ name: 'output_image', dtype: 'int64', shape: [1, 1, 512, 512] }] }, 'sd-turbo/unet'),
    );
    expect(isModelError(err, 'SIGNATURE')).toBe(true);
    expect(err.message).toContain('sd-turbo/unet: the ONNX file does not match its manifest');
    expect(err.message).toContain('missing input "sample"');
    expect(err.message).toContain('undeclared input "input_image"');
    expect(err.message).toContain('output "output_image" is float32 in the file, manifest declares int64');
    expect(err.message).toContain('output "output_image" has shape [1,1,1024,1024], manifest declares [1,1,512,512] (dim 2)');
    expect(err.message).toContain('file has inputs [input_image], outputs [output_image]');
  });

  it('finds a tensor under an alias and accepts any of several dtypes', () => {
    const match = checkSignature(session, { inputs: [{ name: 'images', aliases: ['input_image'], dtype: ['float16', 'float32'] }], outputs: [{ name: 'sample', aliases: ['output_image'], dtype: 'float32' }] }, 'x');
    expect(match.inputs).toEqual({ images: 'input_image' });
    expect(match.outputs).toEqual({ sample: 'output_image' });
  });
});

describe('checkSignature without metadata', () => {
  const plain: SessionLike = { inputNames: ['input_ids'], outputNames: ['last_hidden_state', 'pooler_output'] };

  it('checks names only and says which dtypes it could not check', () => {
    const match = checkSignature(plain, { inputs: [{ name: 'input_ids', dtype: 'int32' }], outputs: [{ name: 'last_hidden_state', dtype: 'float32' }] }, 'te');
    expect(match.unchecked).toEqual(['input input_ids', 'output last_hidden_state']);
  });

  it('an optional declared tensor may be absent; extra outputs are fine', () => {
    expect(() => checkSignature(plain, { inputs: [{ name: 'input_ids', dtype: 'int32' }, { name: 'attention_mask', dtype: 'int64', optional: true }], outputs: [] }, 'te')).not.toThrow();
  });

  it('a metadata getter that throws (older bindings) only skips the dtype check', () => {
    const s = { inputNames: ['a'], outputNames: ['b'], get inputMetadata(): never { throw new Error('not implemented'); } } as unknown as SessionLike;
    expect(checkSignature(s, { inputs: [{ name: 'a', dtype: 'float32' }], outputs: [{ name: 'b', dtype: 'float32' }] }, 'x').unchecked).toEqual(['input a', 'output b']);
  });
});
