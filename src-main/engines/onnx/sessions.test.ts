// The session layer against real onnxruntime-node: providers tried in order with explicit
// fallback, one session per model file, failures remembered, a missing model not blamed on a provider.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { currentProvider, getSession, providerFailures } from './sessions';
import { conv1x1Model } from '../../../test/helpers/onnx-graph';

const dir = mkdtempSync(join(tmpdir(), 'onnx-sessions-'));
const modelA = join(dir, 'a.onnx');
const modelB = join(dir, 'b.onnx');
writeFileSync(modelA, conv1x1Model({ input: 'input', output: 'output', size: 'S', weights: [1, 1, 1], bias: 0, sigmoid: true }));
writeFileSync(modelB, conv1x1Model({ input: 'x', output: 'y', size: 'S', weights: [2, 0, 0], bias: 1, sigmoid: false }));

describe('getSession', () => {
  it('falls back through the provider list to one that works and reports it', async () => {
    const logs: string[] = [];
    const { session, provider } = await getSession(modelA, { providers: ['cuda', 'webgpu', 'cpu'], log: (m) => logs.push(m) });
    expect(['cuda', 'webgpu', 'cpu']).toContain(provider);
    expect(currentProvider()).toBe(provider);
    // Every provider before the one in use failed, was logged once, and is remembered.
    const failed = Object.keys(providerFailures());
    expect(failed).toEqual(['cuda', 'webgpu'].slice(0, ['cuda', 'webgpu', 'cpu'].indexOf(provider)));
    expect(logs).toHaveLength(failed.length);
    // The session computes: sigmoid(r + g + b) over fp32 tensors.
    const input = new ort.Tensor('float32', new Float32Array([1, -1, 0.5, 0, 0, 0]), [1, 3, 1, 2]);
    const out = (await session.run({ input }))['output'];
    expect(out.dims).toEqual([1, 1, 1, 2]);
    const v = out.data as Float32Array;
    expect(v[0]).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 5);
    expect(v[1]).toBeCloseTo(1 / (1 + Math.exp(1)), 5);
  });

  it('creates one session per model file and reuses it; a second model does not re-log failures', async () => {
    const logs: string[] = [];
    const first = await getSession(modelA, { log: (m) => logs.push(m) });
    const again = await getSession(join(dir, '.', 'a.onnx'));
    expect(again.session).toBe(first.session);
    const other = await getSession(modelB, { providers: ['cuda', 'webgpu', 'cpu'], log: (m) => logs.push(m) });
    expect(other.session).not.toBe(first.session);
    expect(other.provider).toBe(first.provider);
    expect(logs).toEqual([]);
  });

  it('uses the configured provider order (ADFORGE_PROVIDERS arrives through config as the list)', async () => {
    const path = join(dir, 'c.onnx');
    writeFileSync(path, conv1x1Model({ input: 'input', output: 'output', size: 4, weights: [0, 0, 1], bias: 0, sigmoid: false }));
    expect((await getSession(path, { providers: ['cpu'] })).provider).toBe('cpu');
  });

  it('a missing model file fails without marking the CPU provider bad, and can be retried later', async () => {
    const path = join(dir, 'later.onnx');
    await expect(getSession(path, { providers: ['cpu'] })).rejects.toThrow();
    expect(Object.keys(providerFailures())).not.toContain('cpu');
    writeFileSync(path, conv1x1Model({ input: 'input', output: 'output', size: 4, weights: [1, 0, 0], bias: 0, sigmoid: false }));
    expect((await getSession(path, { providers: ['cpu'] })).provider).toBe('cpu');
  });
});
