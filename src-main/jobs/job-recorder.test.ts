import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArtifactName } from '../core/jobs';
import { digestFileSync } from '../store/artifact-digest';
import type { JobPatch, TimingRow } from '../store/db';
import { JobRecorder, type RunnerEvent } from './job-recorder';

function setup(timings: TimingRow[] = []) {
  let t = 100;
  const updates: [string, JobPatch][] = [];
  const saved: TimingRow[] = [];
  const events: RunnerEvent[] = [];
  let artifacts: ArtifactName[] = ['params'];
  const rec = new JobRecorder({
    store: { update: (id, patch) => void updates.push([id, patch]), timings: () => timings, saveTiming: (row) => void saved.push(row) },
    folders: { listArtifactsSync: () => artifacts },
    emit: (e) => events.push(e),
    now: () => t,
  });
  return {
    rec,
    updates,
    saved,
    events,
    advance: (s: number) => (t += s),
    setArtifacts: (a: ArtifactName[]) => (artifacts = a),
    last: () => updates[updates.length - 1][1],
  };
}

describe('JobRecorder', () => {
  it('records a job from start to completion, with progress, engines, results and timings', () => {
    const s = setup();
    const plan = ['text_placement', 'composition', 'encode_final'] as const;
    const r = s.rec.begin('j1', [...plan], 0);
    expect(s.last()).toMatchObject({ status: 'running', startedAt: 100, progress: 0, message: 'Starting' });
    expect(s.events).toEqual([]);
    s.rec.started(r);
    expect(s.events).toEqual([{ type: 'started', jobId: 'j1' }]);

    s.advance(0.2);
    s.rec.report(r, { type: 'progress', jobId: 'j1', report: { step: 'step3_composite', subStep: 'composition', fraction: 0.5 } });
    expect(s.last()).toMatchObject({ currentStep: 'step3_composite', subStep: 'composition' });
    expect(typeof s.last().message).toBe('string');
    expect(s.events.at(-1)).toEqual({ type: 'progress', jobId: 'j1' });
    expect(s.rec.live(r).elapsed_sec).toBeCloseTo(0.2);

    s.rec.report(r, { type: 'engine', jobId: 'j1', role: 'compose', engine: 'procedural', provider: null });
    expect(s.last()).toEqual({ engines: { compose: 'procedural' }, engineReports: { compose: { engine: 'procedural', provider: null } }, provider: null });
    s.rec.report(r, { type: 'sub-step-done', jobId: 'j1', subStep: 'composition', seconds: 0.12345 });
    s.setArtifacts(['params', 'final']);
    s.rec.report(r, { type: 'step-result', jobId: 'j1', step: 'step3_composite', artifact: 'final' });
    expect(s.last()).toEqual({ artifacts: ['params', 'final'] });
    expect(s.events.at(-1)).toEqual({ type: 'step-result', jobId: 'j1', step: 'step3_composite', artifact: 'final' });

    s.advance(0.1);
    s.rec.finish(r, 'completed', null);
    expect(s.last()).toMatchObject({
      status: 'completed',
      finishedAt: 100.3,
      progress: 100,
      subStep: null,
      message: 'Completed',
      error: null,
      engines: { compose: 'procedural' },
      timings: { composition: 0.123 },
      artifacts: ['params', 'final'],
    });
    expect(s.events.at(-1)).toEqual({ type: 'finished', jobId: 'j1', status: 'completed' });
    expect(s.saved).toEqual([expect.objectContaining({ subStep: 'composition', emaSeconds: 0.123, samples: 1 })]);
    expect(s.rec.lastEngines).toEqual({ compose: 'procedural' });
  });

  it('learns into the estimate: a second job is expected to take what the first measured', () => {
    const s = setup();
    const before = s.rec.estimate(['composition']);
    const r = s.rec.begin('j1', ['composition'], 0);
    s.rec.report(r, { type: 'sub-step-done', jobId: 'j1', subStep: 'composition', seconds: before * 10 });
    s.rec.finish(r, 'completed', null);
    expect(s.rec.estimate(['composition'])).toBeCloseTo(before * 10);
  });

  it('starts the timing model from the stored rows', () => {
    const s = setup([{ subStep: 'composition', engine: '*', emaSeconds: 42, samples: 3, updatedAt: 1 }]);
    expect(s.rec.estimate(['composition'])).toBe(42);
  });

  it('counts the engine load still ahead in the ETA of the first job', () => {
    const s = setup();
    const cold = s.rec.remaining(s.rec.begin('a', ['composition'], 5));
    const warm = s.rec.remaining(s.rec.begin('b', ['composition'], 0));
    expect(cold).toBeGreaterThan(warm + 1);
  });

  it('the first job after an engine switch shows the model load in its ETA and status, learns it apart from the sub-step, and the next job does not wait for it', () => {
    const GiB = 1024 ** 3;
    // This machine loaded SDXL-Turbo before at 3 s per GiB, and builds a scene with it in 4 s.
    const s = setup([
      { subStep: 'model_load', engine: 'sdxl-turbo', emaSeconds: 3, samples: 1, updatedAt: 1 },
      { subStep: 'background_generation', engine: 'sdxl-turbo', emaSeconds: 4, samples: 1, updatedAt: 1 },
    ]);
    const plan = ['background_generation', 'encode_step1'] as const;
    const warm = s.rec.remaining(s.rec.begin('warm', [...plan], 0));
    const r = s.rec.begin('j1', [...plan], 0);
    s.rec.report(r, { type: 'loads', jobId: 'j1', loads: [{ role: 'background', id: 'sdxl-turbo', bytes: 2 * GiB, subStep: 'background_generation' }] });
    expect(s.rec.remaining(r)).toBeCloseTo(warm + 6, 1);
    expect(s.events.at(-1)).toEqual({ type: 'progress', jobId: 'j1' });
    s.rec.report(r, { type: 'progress', jobId: 'j1', report: { step: 'step1_background', subStep: 'background_generation', fraction: 0 } });
    const load = { jobId: 'j1', subStep: 'background_generation', role: 'background', id: 'sdxl-turbo', component: 'unet', bytes: 2 * GiB } as const;
    s.rec.report(r, { type: 'model-load', ...load, phase: 'start' });
    expect(s.last()).toEqual({ subStep: 'background_generation', message: 'loading sdxl-turbo (2.0 GiB)…' });
    s.advance(2);
    expect(s.rec.remaining(r)).toBeCloseTo(warm + 4, 1);
    s.advance(3);
    s.rec.report(r, { type: 'model-load', ...load, phase: 'end', seconds: 5 });
    expect(s.last()).toEqual({ message: 'Building the scene' });
    expect(s.rec.remaining(r)).toBeCloseTo(warm, 1);
    s.rec.report(r, { type: 'engine', jobId: 'j1', role: 'background', engine: 'sdxl-turbo', provider: 'cpu' });
    s.rec.report(r, { type: 'sub-step-done', jobId: 'j1', subStep: 'background_generation', seconds: 5.5 });
    s.rec.finish(r, 'completed', null);
    // The sub-step learned its own 0.5 s of work (EMA over 4 s), not the 5.5 s with the load; the load its 2.5 s per GiB (EMA over 3).
    expect(s.saved).toEqual([
      expect.objectContaining({ subStep: 'background_generation', engine: 'sdxl-turbo', emaSeconds: 4 + 0.3 * (0.5 - 4), samples: 2 }),
      expect.objectContaining({ subStep: 'model_load', engine: 'sdxl-turbo', emaSeconds: 3 + 0.3 * (2.5 - 3), samples: 2 }),
      expect.objectContaining({ subStep: 'model_load', engine: '*', emaSeconds: 2.5, samples: 1 }),
    ]);
    // A component loaded without a plan (a low-memory engine) only shows in the status line.
    const r2 = s.rec.begin('j2', [...plan], 0);
    const before = s.rec.remaining(r2);
    s.rec.report(r2, { type: 'model-load', ...load, jobId: 'j2', component: 'vae_encoder', bytes: 68e6, phase: 'start' });
    expect(s.last()).toEqual({ subStep: 'background_generation', message: 'loading sdxl-turbo vae_encoder (64.8 MiB)…' });
    expect(s.rec.remaining(r2)).toBe(before);
  });

  it('says Stopping while a stop is pending, and records stopped without an error', () => {
    const s = setup();
    const r = s.rec.begin('j1', ['composition'], 0);
    s.rec.stopping(r);
    expect(s.last()).toEqual({ message: 'Stopping' });
    s.rec.report(r, { type: 'progress', jobId: 'j1', report: { step: 'step3_composite', subStep: 'composition', fraction: 0.9, message: 'nearly' } });
    expect(s.last().message).toBe('Stopping');
    s.rec.finish(r, 'stopped', null);
    expect(s.last()).toMatchObject({ status: 'stopped', message: 'Stopped by user', error: null });
  });

  it('records a failure with its error as the message', () => {
    const s = setup();
    const r = s.rec.begin('j1', ['composition'], 0);
    s.rec.finish(r, 'failed', 'Pipeline worker exited unexpectedly (code 70)');
    expect(s.last()).toMatchObject({
      status: 'failed',
      message: 'Pipeline worker exited unexpectedly (code 70)',
      error: 'Pipeline worker exited unexpectedly (code 70)',
    });
    expect(s.events.at(-1)).toEqual({ type: 'finished', jobId: 'j1', status: 'failed' });
  });

  it('records a job stopped in the queue, and jobs interrupted by shutdown', () => {
    const s = setup();
    s.rec.stoppedWhileQueued('q');
    expect(s.updates.at(-1)).toEqual(['q', { status: 'stopped', finishedAt: 100, message: 'Stopped by user' }]);
    expect(s.events.at(-1)).toEqual({ type: 'finished', jobId: 'q', status: 'stopped' });
    const n = s.events.length;
    s.rec.interrupted('w');
    expect(s.updates.at(-1)).toEqual(['w', { status: 'failed', finishedAt: 100, message: 'interrupted', error: 'interrupted' }]);
    const r = s.rec.begin('r', ['composition'], 0);
    s.rec.stopping(r);
    s.rec.interrupted('r', r);
    expect(s.updates.at(-1)).toEqual(['r', { status: 'stopped', finishedAt: 100, message: 'Stopped by user', error: null }]);
    expect(s.events).toHaveLength(n);
  });

  it('stores the digests the worker reports, and at the end hashes the files it did not report (it died first)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adforge-rec-'));
    try {
      writeFileSync(join(dir, 'step1.png'), 'step one bytes');
      writeFileSync(join(dir, 'step2.png'), 'step two bytes, written just before the worker was killed');
      const updates: [string, JobPatch][] = [];
      const rec = new JobRecorder({
        store: { update: (id, patch) => void updates.push([id, patch]), timings: () => [], saveTiming: () => undefined },
        folders: { listArtifactsSync: () => ['step1', 'step2'], dirOf: () => dir },
        emit: () => undefined,
      });
      const r = rec.begin('j', ['composition'], 0);
      const step1 = digestFileSync(join(dir, 'step1.png'))!;
      rec.report(r, { type: 'digests', jobId: 'j', digests: { step1 } });
      expect(updates.at(-1)).toEqual(['j', { digests: { step1 } }]);
      rec.finish(r, 'failed', 'Pipeline worker exited unexpectedly (signal SIGKILL)');
      const end = updates.at(-1)![1];
      expect(end.artifacts).toEqual(['step1', 'step2']);
      expect(end.digests?.step1).toEqual(step1);
      // The hash of the bytes on disk, computed here independently of the code under test.
      expect(end.digests?.step2?.sha256).toBe(createHash('sha256').update('step two bytes, written just before the worker was killed').digest('hex'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a store that cannot be written (disk full) never stops the job or the lane; ENOSPC reads as "Disk full"', () => {
    const logs: string[] = [];
    const events: RunnerEvent[] = [];
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const rec = new JobRecorder({
      store: {
        update: () => {
          throw full;
        },
        timings: () => [],
        saveTiming: () => {
          throw full;
        },
      },
      folders: { listArtifactsSync: () => [] },
      emit: (e) => events.push(e),
      log: (m) => logs.push(m),
    });
    const r = rec.begin('j', ['composition'], 0);
    rec.report(r, { type: 'progress', jobId: 'j', report: { step: 'step3_composite', subStep: 'composition', fraction: 0.5 } });
    rec.report(r, { type: 'sub-step-done', jobId: 'j', subStep: 'composition', seconds: 0.2 });
    expect(() => rec.finish(r, 'failed', 'ENOSPC: no space left on device, write')).not.toThrow();
    expect(events.map((e) => e.type)).toEqual(['progress', 'finished']);
    expect(logs.some((l) => /could not record status/.test(l) && /SQLITE_FULL/.test(l))).toBe(true);

    const saved: JobPatch[] = [];
    const ok = new JobRecorder({
      store: { update: (_id, p) => void saved.push(p), timings: () => [], saveTiming: () => undefined },
      folders: { listArtifactsSync: () => [] },
      emit: () => undefined,
    });
    ok.finish(ok.begin('k', ['composition'], 0), 'failed', 'ENOSPC: no space left on device, write');
    expect(saved.at(-1)?.error).toMatch(/^Disk full: .*ENOSPC: no space left on device.*Free disk space or delete jobs/);
  });
});
