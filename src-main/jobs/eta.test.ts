import { describe, expect, it } from 'vitest';
import { ETA_FLOOR_SECONDS, JobProgress, TimingModel, emaUpdate, expectedTotal, planSubSteps, type ProgressSnapshot } from './eta';
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
