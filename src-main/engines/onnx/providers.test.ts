import { describe, expect, it } from 'vitest';
import { ProviderFailures, resolveProviderOrder } from './providers';

describe('resolveProviderOrder', () => {
  it('defaults to cuda → webgpu → cpu', () => {
    expect(resolveProviderOrder(undefined, undefined)).toEqual(['cuda', 'webgpu', 'cpu']);
  });
  it('ADFORGE_PROVIDERS wins over the caller; names are trimmed, lower-cased, de-duplicated', () => {
    expect(resolveProviderOrder(['cuda', 'cpu'], ' CPU ')).toEqual(['cpu']);
    expect(resolveProviderOrder(['cuda', 'cpu'], 'webgpu, cpu,webgpu')).toEqual(['webgpu', 'cpu']);
    expect(resolveProviderOrder(['webgpu', 'cpu'], '')).toEqual(['webgpu', 'cpu']);
  });
  it('drops unknown names and never returns an empty list', () => {
    expect(resolveProviderOrder(['cdua', 'cpu'], undefined)).toEqual(['cpu']);
    expect(resolveProviderOrder(undefined, 'nonsense')).toEqual(['cpu']);
  });
});

describe('ProviderFailures', () => {
  it('logs a provider’s failure once with the human part of the message', () => {
    const logs: string[] = [];
    const f = new ProviderFailures((m) => logs.push(m));
    const err = new Error('/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 Failed to get a WebGPU adapter\nmore');
    f.record('webgpu', err);
    f.record('webgpu', err);
    expect(f.isKnownBad('webgpu')).toBe(true);
    expect(f.isKnownBad('cpu')).toBe(false);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('Failed to get a WebGPU adapter');
    expect(logs[0]).not.toContain('/onnxruntime_src');
  });
});
