// The `adforge generate` progress line: what the user sees on stderr while a job runs.
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src-main/cli/progress';

describe('progressLine', () => {
  it('shows percent, the sub-step label and a counting-down ETA', () => {
    const a = progressLine({ status: 'running', progress_percent: 42, sub_step: 'segmentation', eta_seconds: 12.2, elapsed_sec: 3.1 });
    expect(a.trimEnd()).toBe('[ 42%] Cutting out the product · ETA 13s · 4s elapsed');
    const b = progressLine({ status: 'running', progress_percent: 43, sub_step: 'segmentation', eta_seconds: 11.1, elapsed_sec: 4.2 });
    expect(b).toContain('ETA 12s');
    expect(progressLine({ status: 'running', progress_percent: 5, sub_step: 'background_generation', eta_seconds: 75, elapsed_sec: 61 })).toContain(
      'ETA 1m15s · 1m01s elapsed',
    );
  });

  it('says Done / Failed when the job is over', () => {
    expect(progressLine({ status: 'completed', progress_percent: 100, sub_step: null, eta_seconds: null, elapsed_sec: 9 })).toMatch(
      /^\[100%\] Done · 9s elapsed/,
    );
    expect(progressLine({ status: 'failed', progress_percent: 40, sub_step: 'segmentation', eta_seconds: null, elapsed_sec: 2 })).toMatch(/Failed/);
  });

  it('pads to a fixed width so \\r overwrites a longer previous line', () => {
    expect(progressLine({ status: 'pending', progress_percent: 0, sub_step: null, eta_seconds: null, elapsed_sec: 0 }, 72)).toHaveLength(72);
    expect(progressLine({ status: 'pending', progress_percent: 0, sub_step: null, eta_seconds: null, elapsed_sec: 0 })).toMatch(
      /^\[ {2}0%\] Waiting for the lane/,
    );
  });
});
