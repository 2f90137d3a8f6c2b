// The ETA shown in the progress bar counts down between events and never goes negative.
import { describe, expect, it } from 'vitest';
import { formatEta, remainingSeconds } from '../../src-renderer/src/lib/countdown';

const units = { s: 's', min: 'min' };

describe('countdown', () => {
  it('subtracts the time since the report', () => {
    expect(remainingSeconds({ seconds: 10, at: 1000 }, 4000)).toBe(7);
    expect(remainingSeconds({ seconds: 2, at: 0 }, 5000)).toBe(0);
    expect(remainingSeconds(null, 5000)).toBeNull();
  });

  it('formats seconds and minutes', () => {
    expect(formatEta(0.3, units)).toBe('<1 s');
    expect(formatEta(4.2, units)).toBe('5 s');
    expect(formatEta(65, units)).toBe('1 min 05 s');
  });
});
