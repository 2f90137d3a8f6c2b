// Which seed a job records: the request's; without one, the seed of the scene it reuses from the
// from_job_id job; otherwise a fresh random one. The recorded seed is what the studio sends back
// when it reruns step 1 (product moved, export at another size, all formats), so a step-2 or
// step-3 job must record the seed that made its scene, or the rerun paints another backdrop.
import { describe, expect, it } from 'vitest';
import { GenerateRequestSchema } from '../core/params';
import type { JobParams } from '../store/db';
import { seedFor } from './submit';

const source = { params: { seed: 3001933467 } as JobParams };
const req = (body: Record<string, unknown>) => GenerateRequestSchema.parse({ text_content: 'Fresh Roast', ...body });
const randomSeeds = (body: Record<string, unknown>, src: typeof source | null) => new Set(Array.from({ length: 8 }, () => seedFor(req(body), src)));

describe('seedFor', () => {
  it("a job that reuses the source's scene (start_step 2 or 3) records the seed that made it", () => {
    expect(seedFor(req({ start_step: 2, from_job_id: 'x' }), source)).toBe(3001933467);
    expect(seedFor(req({ start_step: 3, from_job_id: 'x' }), source)).toBe(3001933467);
  });

  it('an explicit seed always wins, 0 included', () => {
    expect(seedFor(req({ start_step: 2, seed: 7 }), source)).toBe(7);
    expect(seedFor(req({ start_step: 3, seed: 0 }), source)).toBe(0);
    expect(seedFor(req({ start_step: 1, seed: 4294967295 }), null)).toBe(4294967295);
  });

  it('a new scene (start_step 1), an uploaded scene or no source job: a fresh random seed', () => {
    for (const [body, src] of [
      [{ start_step: 1 }, source],
      [{ start_step: 1 }, null],
      [{ start_step: 2, step1_image: 'iVBORw0KGgo=' }, source],
      [{ start_step: 3, step1_image: 'iVBORw0KGgo=', step2_image: 'iVBORw0KGgo=' }, source],
    ] as const) {
      const seeds = randomSeeds(body, src);
      expect(seeds.size).toBeGreaterThan(1);
      for (const s of seeds) {
        expect(Number.isInteger(s)).toBe(true);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(4294967295);
      }
    }
  });
});
