import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSystemMetrics, parseNvidiaSmi } from './system-metrics';

describe('system metrics', () => {
  it('parses nvidia-smi CSV into the nanoCocoa gpu_info shape', () => {
    const gpus = parseNvidiaSmi('0, NVIDIA L4, 87, 11520, 23034\n1, NVIDIA H100 80GB HBM3, 3, 1024, 81559\n\n');
    expect(gpus[0]).toEqual({ index: 0, name: 'NVIDIA L4', gpu_util: 87, vram_used_gb: 11.25, vram_total_gb: 22.49, vram_percent: 50 });
    expect(gpus[1].name).toBe('NVIDIA H100 80GB HBM3');
    expect(parseNvidiaSmi('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.')).toEqual([]);
  });

  it('reports CPU/RAM, [] GPUs without nvidia-smi, and spawns it at most once per cache window for 100 callers', async () => {
    const none = createSystemMetrics({ nvidiaSmi: '/nonexistent/nvidia-smi' });
    const m = await none.get();
    expect(m.gpu_info).toEqual([]);
    expect(m.ram_total_gb).toBeGreaterThan(0);
    expect(m.ram_percent).toBeGreaterThan(0);
    expect(m.cpu_percent).toBeGreaterThanOrEqual(0);
    expect(m.cpu_percent).toBeLessThanOrEqual(100);

    // A fake nvidia-smi that counts its invocations.
    const d = mkdtempSync(join(tmpdir(), 'adforge-smi-'));
    const counter = join(d, 'calls');
    const fake = join(d, 'nvidia-smi');
    writeFileSync(counter, '');
    writeFileSync(fake, `#!/bin/sh\necho x >> ${counter}\necho "0, Fake GPU, 42, 2048, 8192"\n`);
    chmodSync(fake, 0o755);
    try {
      const src = createSystemMetrics({ nvidiaSmi: fake, cacheMs: 60_000 });
      const all = await Promise.all(Array.from({ length: 100 }, () => src.get()));
      expect(all.every((x) => x.gpu_info[0]?.name === 'Fake GPU' && x.gpu_info[0].vram_percent === 25)).toBe(true);
      await src.get();
      expect(readFileSync(counter, 'utf8').trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
