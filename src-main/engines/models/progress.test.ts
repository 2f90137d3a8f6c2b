import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../core/format';
import { createProgressTracker, formatDuration, formatProgress } from './progress';

describe('progress', () => {
  it('computes percent, a smoothed speed and the ETA from an injected clock', () => {
    let t = 0;
    const p = createProgressTracker(10_000_000, { now: () => t, minIntervalMs: 500, smoothing: 0.5 });
    expect(p.update(0)).toMatchObject({ percent: 0, bytesPerSec: 0, etaSec: null });
    t = 1000;
    let s = p.update(1_000_000);
    expect(s.bytesPerSec).toBe(1_000_000);
    expect(s.etaSec).toBe(9);
    t = 1100; // too soon: the speed is not re-sampled on every chunk
    expect(p.update(1_500_000).bytesPerSec).toBe(1_000_000);
    t = 2000;
    s = p.update(4_000_000); // 3 MB in 1 s, averaged with the previous 1 MB/s
    expect(s.bytesPerSec).toBe(2_000_000);
    expect(s.percent).toBe(40);
    expect(s.etaSec).toBe(3);
  });

  it('a resumed download that restarts lower is not counted as negative speed', () => {
    let t = 0;
    const p = createProgressTracker(100, { now: () => t, minIntervalMs: 1, smoothing: 1 });
    t = 10;
    p.update(50);
    t = 20;
    expect(p.update(0).bytesPerSec).toBe(0);
  });

  it('formats bytes, durations and the CLI line', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatDuration(59.2)).toBe('1m00s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatProgress({ done: 1024 ** 3, total: 4 * 1024 ** 3, percent: 25, bytesPerSec: 12.5 * 1024 ** 2, etaSec: 245 })).toBe('1.0 GiB / 4.0 GiB   25%  12.5 MiB/s  ETA 4m05s');
    expect(formatProgress({ done: 10, total: 0, percent: null, bytesPerSec: 0, etaSec: null })).toBe('10 B');
  });
});
