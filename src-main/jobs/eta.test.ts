import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOAD_SECONDS_PER_GIB,
  ETA_FLOOR_SECONDS,
  JobProgress,
  TimingModel,
  emaUpdate,
  expectedTotal,
  planSubSteps,
  type ProgressSnapshot,
} from './eta';
import type { SubStepId } from '../core/jobs';

const full = planSubSteps({ startStep: 1, stopStep: 3, hasProduct: true, hasText: true });

describe('planSubSteps', () => {
  it('mirrors what the pipeline runs for the inputs', () => {
    expect(full[0]).toBe('decode_product');
    expect(full.at(-1)).toBe('encode_final');
    expect(planSubSteps({ startStep: 3, stopStep: 3, hasProduct: false, hasText: true })).toEqual(['text_placement', 'composition', 'encode_final']);
    const bgOnly = planSubSteps({ startStep: 1, stopStep: 3, hasProduct: false, hasText: false });
    expect(bgOnly).not.toContain('segmentation');
    expect(bgOnly).not.toContain('text_generation');
    expect(bgOnly.at(-1)).toBe('encode_final');
    expect(planSubSteps({ startStep: 1, stopStep: 2, hasProduct: true, hasText: true })).not.toContain('composition');
  });
});

describe('TimingModel', () => {
  it('uses defaults until it learns, then the EMA for that engine', () => {
    const m = new TimingModel();
    expect(m.expected('segmentation', {})).toBeCloseTo(1.2);
    m.learn('segmentation', { segment: 'isnet' }, 3, 10);
    expect(m.expected('segmentation', { segment: 'isnet' })).toBe(3);
    m.learn('segmentation', { segment: 'isnet' }, 1, 11);
    expect(m.expected('segmentation', { segment: 'isnet' })).toBeCloseTo(3 + 0.3 * (1 - 3));
    // Another engine is not assumed to be as fast: default until learned.
    expect(m.expected('segmentation', { segment: 'birefnet' })).toBeCloseTo(1.2);
    // Engine not announced yet: the most recently learned one is the guess.
    expect(m.expected('segmentation', {})).toBeCloseTo(2.4);
  });

  it('EMA starts at the first sample', () => {
    expect(emaUpdate(undefined, 5)).toEqual({ emaSeconds: 5, samples: 1 });
    expect(emaUpdate({ emaSeconds: 5, samples: 1 }, 10, 0.5)).toEqual({ emaSeconds: 7.5, samples: 2 });
  });
});

describe('JobProgress with a fake clock', () => {
  const plan: SubStepId[] = ['text_placement', 'composition', 'encode_final'];
  const secs: Record<string, number> = { text_placement: 4, composition: 2, encode_final: 2 };
  const expected = (s: SubStepId) => secs[s];

  it('counts ETA down with wall time inside a sub-step and never goes below the floor', () => {
    const p = new JobProgress(plan, expected, 100);
    const seen: ProgressSnapshot[] = [];
    for (let t = 100; t <= 110; t += 0.5) seen.push(p.snapshot(t));
    expect(seen[0].eta_seconds).toBe(8);
    expect(seen[0].step_eta_seconds).toBe(8);
    expect(p.snapshot(101).eta_seconds).toBe(7);
    expect(p.snapshot(103).eta_seconds).toBe(5);
    // Overrun: 4 s sub-step still running at 10 s, ETA floored, not negative, not 4 s again.
    expect(p.snapshot(110).eta_seconds).toBe(ETA_FLOOR_SECONDS + 4);
    for (let i = 1; i < seen.length; i++) expect(seen[i].eta_seconds).toBeLessThanOrEqual(seen[i - 1].eta_seconds);
  });

  it('progress is monotonic integers, below 100 until complete, and ETA never jumps up across sub-steps', () => {
    const p = new JobProgress(plan, expected, 0);
    const snaps: ProgressSnapshot[] = [];
    let t = 0;
    const tick = (dt: number) => {
      t += dt;
      snaps.push(p.snapshot(t));
    };
    p.report('text_placement', 0, 0);
    tick(1);
    p.report('text_placement', 0.9, t); // worker says nearly done: progress jumps forward
    tick(0.1);
    tick(5); // overrun of text_placement
    p.subStepDone('text_placement', t);
    p.report('composition', 0, t);
    tick(0);
    tick(1);
    p.report('encode_final', 0, t); // composition finished early (no done message: implied)
    tick(0.5);
    tick(3);
    for (let i = 1; i < snaps.length; i++) {
      expect(Number.isInteger(snaps[i].progress_percent)).toBe(true);
      expect(snaps[i].progress_percent).toBeGreaterThanOrEqual(snaps[i - 1].progress_percent);
      expect(snaps[i].eta_seconds).toBeLessThanOrEqual(snaps[i - 1].eta_seconds);
      expect(snaps[i].progress_percent).toBeLessThan(100);
      expect(snaps[i].eta_seconds).toBeGreaterThan(0);
    }
    expect(snaps.at(-1)?.sub_step).toBe('encode_final');
    expect(snaps.at(-1)?.progress_percent).toBeGreaterThanOrEqual(75);
    p.complete();
    expect(p.snapshot(t)).toMatchObject({ progress_percent: 100, eta_seconds: 0, step_eta_seconds: 0 });
  });

  it('step ETA covers only the current step; whole ETA covers what is left', () => {
    const plan2 = planSubSteps({ startStep: 2, stopStep: 3, hasProduct: false, hasText: true });
    const p = new JobProgress(plan2, () => 1, 0);
    p.report('text_generation', 0, 0);
    const s = p.snapshot(0);
    expect(s.current_step).toBe('step2_text');
    expect(s.step_eta_seconds).toBe(2); // text_generation + encode_step2
    expect(s.eta_seconds).toBe(5); // + three step-3 sub-steps
    expect(expectedTotal(plan2, () => 1)).toBe(6);
  });

  it('a new estimate (engine announced) is the only thing that raises the ETA', () => {
    const p = new JobProgress(plan, expected, 0);
    const before = p.snapshot(1).eta_seconds;
    p.reestimate((s) => (s === 'composition' ? 20 : expected(s)));
    expect(p.snapshot(1).eta_seconds).toBe(before + 18);
    expect(p.snapshot(2).eta_seconds).toBe(before + 17);
  });

  it('a job that waits for the models to load counts down through the load, then on without a jump', () => {
    // 3 s of model load still to go when the job starts; the first sub-step owns it.
    const p = new JobProgress(plan, expected, 0, 3);
    expect(p.snapshot(0).eta_seconds).toBe(11);
    expect(p.snapshot(2).eta_seconds).toBe(9);
    // The load ended at 3 s and the first sub-step ran 4 s: it finishes at 7 s, on time.
    p.report('text_placement', 0.5, 5);
    expect(p.snapshot(5).eta_seconds).toBe(6);
    p.subStepDone('text_placement', 7);
    expect(p.snapshot(7).eta_seconds).toBe(4);
    // An engine announcement keeps the load in the first sub-step's share.
    const q = new JobProgress(plan, expected, 0, 3);
    q.reestimate(expected);
    expect(q.snapshot(0).eta_seconds).toBe(11);
  });
});

describe('model loads in the ETA (fake clock)', () => {
  const GiB = 1024 ** 3;
  // Step 1 without a product: the background engine's sessions load inside background_generation.
  const plan: SubStepId[] = ['background_generation', 'encode_step1'];
  const secs: Record<string, number> = { background_generation: 4, encode_step1: 1 };
  const expected = (s: SubStepId) => secs[s];

  it('estimates a load from the bytes on disk: learned seconds per GiB for the model, else for any model, else the default', () => {
    const m = new TimingModel();
    expect(m.expectedLoad('sdxl-turbo', 2 * GiB)).toBe(2 * DEFAULT_LOAD_SECONDS_PER_GIB);
    // A big load teaches the model's own rate and every model's; a small one only its own (overhead, not throughput).
    expect(m.learnLoad('sdxl-turbo', 2 * GiB, 9, 1).map((r) => [r.subStep, r.engine, r.emaSeconds])).toEqual([
      ['model_load', 'sdxl-turbo', 4.5],
      ['model_load', '*', 4.5],
    ]);
    expect(m.expectedLoad('sdxl-turbo', 2 * GiB)).toBe(9);
    expect(m.expectedLoad('flux-schnell', 4 * GiB)).toBe(18);
    expect(m.learnLoad('tiny', 1024 ** 2, 0.5, 2)).toHaveLength(1);
    expect(m.expectedLoad('flux-schnell', 4 * GiB)).toBe(18);
    expect(m.learnLoad('x', 0, 1, 3)).toEqual([]);
    // Load rows never stand in for a sub-step's timing.
    expect(m.expected('background_generation', {})).toBeCloseTo(0.4);
  });

  it('the first job after a switch carries the load and counts down through it honestly; the next job on the same engine does not', () => {
    const timing = new TimingModel();
    const load = timing.expectedLoad('sdxl-turbo', 2 * GiB); // 10 s before any load was measured
    const first = new JobProgress(plan, expected, 0);
    first.planLoad('sdxl-turbo', 'background_generation', load, 2 * GiB);
    const warm = new JobProgress(plan, expected, 0);
    expect(warm.snapshot(0).eta_seconds).toBe(5);
    expect(first.snapshot(0).eta_seconds).toBe(15);
    expect(first.snapshot(0).step_eta_seconds).toBe(15);

    const snaps: [number, ProgressSnapshot][] = [];
    const at = (t: number) => snaps.push([t, first.snapshot(t)]);
    first.report('background_generation', 0, 0);
    at(0);
    // The text encoders (0.5 GiB) load from 0.2 s to 2.7 s, the UNet (1.5 GiB) from 3 s to 9 s:
    // faster than the 10 s expected, so the ETA drops at the end of the load, never rises.
    expect(first.loadStarted('sdxl-turbo', 0.2)).toBe(true);
    at(1);
    expect(first.snapshot(1).eta_seconds).toBeCloseTo(14, 5);
    first.loadEnded('sdxl-turbo', 2.7, 0.5 * GiB);
    at(2.7);
    // 2.5 s of loading for a quarter of the bytes: 7.5 s of load left, the 0.2 s of work before it counted.
    expect(first.snapshot(2.7).eta_seconds).toBe(12.3);
    expect(first.loadRemaining(2.7)).toBe(7.5);
    at(3);
    first.loadStarted('sdxl-turbo', 3);
    for (let t = 3.5; t < 9; t += 0.5) at(t);
    first.loadEnded('sdxl-turbo', 9, 1.5 * GiB);
    at(9);
    // Load over after 8.5 s; 0.5 s of the sub-step's own work done: 3.5 + 1 s left.
    expect(first.snapshot(9).eta_seconds).toBe(4.5);
    expect(first.loadRemaining(9)).toBe(0);
    first.report('background_generation', 0.5, 11);
    at(11);
    first.subStepDone('background_generation', 12.5);
    at(12.5);
    for (let i = 1; i < snaps.length; i++) {
      const [t, s] = snaps[i];
      expect(s.eta_seconds, `at ${t} s`).toBeLessThanOrEqual(snaps[i - 1][1].eta_seconds);
      expect(s.progress_percent, `at ${t} s`).toBeGreaterThanOrEqual(snaps[i - 1][1].progress_percent);
      expect(s.sub_step).toBe(t < 12.5 ? 'background_generation' : 'encode_step1');
    }
    expect(snaps.at(-1)?.[1].eta_seconds).toBe(1);

    // What the load took is learned: the next switch to this engine expects 8.5 s, not 10.
    timing.learnLoad('sdxl-turbo', 2 * GiB, 8.5, 13);
    expect(timing.expectedLoad('sdxl-turbo', 2 * GiB)).toBe(8.5);
  });

  it('a load slower than expected holds the ETA at the work still to do, then counts that down', () => {
    const p = new JobProgress(plan, expected, 0);
    p.planLoad('flux-schnell', 'background_generation', 2, GiB);
    p.report('background_generation', 0, 0);
    p.loadStarted('flux-schnell', 0);
    expect(p.snapshot(1).eta_seconds).toBe(6); // 1 s of load + 4 + 1
    expect(p.snapshot(5).eta_seconds).toBe(5); // overdue load: the sub-step's work is all still to come
    p.loadEnded('flux-schnell', 6, GiB);
    expect(p.snapshot(6).eta_seconds).toBe(5);
    expect(p.snapshot(8).eta_seconds).toBe(3);
  });

  it('a load in a later step (the lettering model) is counted from the start, a failed one stops counting, unplanned ones change nothing', () => {
    const plan2: SubStepId[] = ['background_generation', 'encode_step1', 'text_layout', 'text_generation', 'encode_step2'];
    const p = new JobProgress(plan2, () => 2, 0);
    p.planLoad('sdxl-controlnet-canny', 'text_generation', 6, GiB);
    expect(p.snapshot(0).eta_seconds).toBe(16);
    expect(p.loadStarted('sdxl-turbo', 0.5)).toBe(false);
    expect(p.snapshot(0.5).eta_seconds).toBe(15.5);
    p.subStepDone('background_generation', 2);
    p.subStepDone('encode_step1', 4);
    p.subStepDone('text_layout', 6);
    expect(p.snapshot(6).eta_seconds).toBe(10);
    p.loadStarted('sdxl-controlnet-canny', 6);
    p.loadEnded('sdxl-controlnet-canny', 7, GiB / 4, true);
    // Failed after 1 s (the job falls back to the procedural renderer): no load left to wait for.
    expect(p.snapshot(7).eta_seconds).toBe(4);
    // A plan for a sub-step not in the job, or one already over, is ignored.
    p.planLoad('sdxl-turbo', 'segmentation', 5, GiB);
    p.planLoad('sdxl-turbo', 'encode_step1', 5, GiB);
    expect(p.snapshot(7).eta_seconds).toBe(4);
  });
});
