// The seeded Gaussian noise: same seed same noise, different seeds different noise, N(0,1).
import { describe, expect, it } from 'vitest';
import { DiffusionNoise, DiffusionUniform } from './noise';

describe('DiffusionNoise', () => {
  it('is deterministic per seed and differs between seeds (also seeds above 2^32)', () => {
    const a = new DiffusionNoise(42).gaussian(1000);
    expect(new DiffusionNoise(42).gaussian(1000)).toEqual(a);
    expect(new DiffusionNoise(43).gaussian(1000)).not.toEqual(a);
    expect(new DiffusionNoise(2 ** 40 + 42).gaussian(10)).not.toEqual(a.subarray(0, 10));
  });

  it('has mean 0, variance 1 and normal tails', () => {
    const x = new DiffusionNoise(7).gaussian(200_000);
    let m = 0;
    for (const v of x) m += v;
    m /= x.length;
    let v2 = 0;
    let beyond2 = 0;
    for (const v of x) {
      v2 += (v - m) ** 2;
      if (Math.abs(v) > 2) beyond2++;
    }
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(Math.abs(v2 / x.length - 1)).toBeLessThan(0.015);
    expect(beyond2 / x.length).toBeCloseTo(0.0455, 2);
  });

  it('scales on request and draws uniform floats in [0,1)', () => {
    const a = new DiffusionNoise(1).gaussian(5, 14.6146);
    const b = new DiffusionNoise(1).gaussian(5);
    for (let i = 0; i < 5; i++) expect(a[i]).toBeCloseTo(b[i] * 14.6146, 4);
    const u = new DiffusionUniform(9);
    for (let i = 0; i < 1000; i++) {
      const v = u.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    expect(() => new DiffusionNoise(NaN)).toThrow(/seed/);
  });
});
