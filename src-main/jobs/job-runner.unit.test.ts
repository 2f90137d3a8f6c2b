// The JobRunner facade over a scripted fake worker (no fork, no pipeline): lane + supervisor +
// recorder composed, on a real store in a temp folder. The real worker is exercised in
// job-runner.test.ts.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BusyError } from '../core/errors';
import type { WorkerJob } from '../pipeline/job';
import { JobStore, type JobRow } from '../store/db';
import { RunFolders } from '../store/run-folders';
import { JobRunner, QueueFullError, type RunnerEvent, type WorkerFaults } from './job-runner';
import type { FromWorker, ToWorker } from './protocol';
import type { WorkerProcess } from './worker-supervisor';

class FakeWorker extends EventEmitter implements WorkerProcess {
  connected = true;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly sent: ToWorker[] = [];
  constructor(private readonly script: (w: FakeWorker, m: ToWorker) => void) {
    super();
  }
  send(m: ToWorker): boolean {
    this.sent.push(m);
    setImmediate(() => this.script(this, m));
    return true;
  }
  kill(signal?: NodeJS.Signals): boolean {
    setImmediate(() => this.die(null, signal ?? 'SIGTERM'));
    return true;
  }
  reply(m: FromWorker): void {
    if (this.exitCode === null && this.signalCode === null) this.emit('message', m);
  }
  die(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.connected = false;
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
  }
}

/** A worker that behaves: runs each job in ~30 ms, honours abort and shutdown, honours the test faults. */
function behaving(w: FakeWorker, m: ToWorker): void {
  const state = w as FakeWorker & { aborted?: Set<string>; hung?: boolean };
  state.aborted ??= new Set();
  if (state.hung) return;
  switch (m.type) {
    case 'init':
      w.reply({ type: 'ready' });
      break;
    case 'run': {
      const id = m.job.jobId;
      w.reply({ type: 'progress', jobId: id, report: { step: 'step3_composite', subStep: 'composition', fraction: 0.1 } });
      if (m.testFault === 'crash') return w.die(70, null);
      if (m.testFault === 'hang') {
        state.hung = true;
        return;
      }
      w.reply({ type: 'engine', jobId: id, role: 'compose', engine: 'procedural', provider: null });
      setTimeout(() => {
        if (state.aborted?.has(id)) return;
        w.reply({ type: 'sub-step-done', jobId: id, subStep: 'composition', seconds: 0.03 });
        w.reply({ type: 'done', jobId: id });
      }, 30);
      break;
    }
    case 'abort':
      state.aborted?.add(m.jobId);
      w.reply({ type: 'failed', jobId: m.jobId, error: 'Stopped by user', stopped: true });
      break;
    case 'preview':
      w.reply({
        type: 'preview-result',
        id: m.id,
        result: { x: 1, y: 2, width: 3, height: 4, rotation: 0, canvas: { width: 9, height: 9 }, layer: { width: 3, height: 4 } },
      });
      break;
    case 'shutdown':
      w.die(0, null);
      break;
  }
}

const dirs: string[] = [];
const opened: { runner: JobRunner; store: JobStore }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.runner.close();
    o.store.close();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(opts: { maxQueue?: number; faults?: WorkerFaults; stopGraceMs?: number; script?: (w: FakeWorker, m: ToWorker) => void } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'adforge-runner-unit-'));
  dirs.push(dir);
  const store = new JobStore(join(dir, 'adforge.db'));
  const folders = new RunFolders(dir);
  const events: RunnerEvent[] = [];
  const workers: FakeWorker[] = [];
  const runner = new JobRunner({
    store,
    folders,
    workerScript: '/dist/worker.js',
    workerConfig: { modelsDir: '/m', cacheDir: '/c' },
    emit: (e) => events.push(e),
    stopGraceMs: opts.stopGraceMs ?? 300,
    maxQueue: opts.maxQueue,
    faults: opts.faults,
    spawn: () => {
      const w = new FakeWorker(opts.script ?? behaving);
      workers.push(w);
      return w;
    },
  });
  opened.push({ runner, store });
  runner.start();
  const add = (): WorkerJob => {
    const id = randomUUID();
    const row: JobRow = {
      id,
      status: 'pending',
      client: 'test',
      createdAt: Date.now() / 1000,
      startedAt: null,
      finishedAt: null,
      startStep: 3,
      stopStep: 3,
      params: { seed: 1, text_content: 'SALE' } as JobRow['params'],
      progress: 0,
      currentStep: null,
      subStep: null,
      message: 'Queued',
      error: null,
      engines: {},
      provider: null,
      timings: {},
      reusedSteps: [],
      artifacts: [],
      fromJobId: null,
    };
    store.insert(row);
    return { jobId: id, runDir: folders.dirOf(id), params: row.params as WorkerJob['params'], fontPath: '/f.ttf', startStep: 3, stopStep: 3 };
  };
  const until = async (pred: () => boolean, ms = 5000) => {
    const t0 = Date.now();
    while (!pred()) {
      if (Date.now() - t0 > ms) throw new Error('timeout');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const statusOf = (j: WorkerJob) => store.get(j.jobId)?.status;
  return { runner, store, events, workers, add, until, statusOf };
}

describe('JobRunner facade', () => {
  it('runs submitted jobs FIFO to completion and records them', async () => {
    const s = setup();
    const [a, b] = [s.add(), s.add()];
    s.runner.submit(a, { queue: true, hasProduct: false });
    s.runner.submit(b, { queue: true, hasProduct: false });
    expect(s.runner.busy).toBe(true);
    expect(s.runner.activeJobId).toBe(a.jobId);
    expect(s.runner.queuedCount).toBe(1);
    expect(s.runner.isActive(b.jobId)).toBe(true);
    expect(s.runner.live(a.jobId)?.progress_percent).toBe(0);
    expect(s.runner.retryAfterSeconds()).toBeGreaterThanOrEqual(1);
    await s.until(() => s.statusOf(b) === 'completed');
    expect(s.statusOf(a)).toBe('completed');
    const rowA = s.store.get(a.jobId);
    const rowB = s.store.get(b.jobId);
    expect(rowA).toMatchObject({ progress: 100, message: 'Completed', engines: { compose: 'procedural' }, timings: { composition: 0.03 } });
    expect((rowB?.startedAt ?? 0) >= (rowA?.finishedAt ?? Infinity)).toBe(true);
    expect(s.events.filter((e) => e.type !== 'progress').map((e) => `${e.type}:${e.jobId === a.jobId ? 'a' : 'b'}`)).toEqual([
      'started:a',
      'finished:a',
      'started:b',
      'finished:b',
    ]);
    expect(s.runner.busy).toBe(false);
    expect(s.runner.lastEngines).toEqual({ compose: 'procedural' });
    expect(s.runner.isReady).toBe(true);
  });

  it('refuses with BusyError when not queueing, and QueueFullError past maxQueue', () => {
    const s = setup({ maxQueue: 1 });
    s.runner.submit(s.add(), { queue: false, hasProduct: false });
    expect(() => s.runner.submit(s.add(), { queue: false, hasProduct: false })).toThrow(BusyError);
    s.runner.submit(s.add(), { queue: true, hasProduct: false });
    const err = (() => {
      try {
        s.runner.submit(s.add(), { queue: true, hasProduct: false });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(QueueFullError);
    expect(err).toMatchObject({ status: 503 });
    expect((err as QueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('stops a queued job at once and a running one cooperatively', async () => {
    const s = setup();
    const [a, b] = [s.add(), s.add()];
    s.runner.submit(a, { queue: true, hasProduct: false });
    s.runner.submit(b, { queue: true, hasProduct: false });
    await s.runner.stop(b.jobId);
    expect(s.store.get(b.jobId)).toMatchObject({ status: 'stopped', message: 'Stopped by user' });
    expect(s.runner.isActive(b.jobId)).toBe(false);
    const t0 = Date.now();
    await s.runner.stop(a.jobId);
    expect(Date.now() - t0).toBeLessThan(250);
    expect(s.store.get(a.jobId)).toMatchObject({ status: 'stopped', error: null });
    expect(s.workers).toHaveLength(1); // no kill needed
    await s.runner.stop(a.jobId); // again: nothing to do
  });

  it("kills a worker that does not honour the stop by the deadline ('hang'), and the next job runs on a fresh one", async () => {
    const faults: WorkerFaults = {};
    const s = setup({ faults, stopGraceMs: 300 });
    const a = s.add();
    faults.testFault = 'hang';
    s.runner.submit(a, { queue: true, hasProduct: false });
    await s.until(() => s.store.get(a.jobId)?.message !== 'Starting');
    faults.testFault = null;
    const t0 = Date.now();
    await s.runner.stop(a.jobId);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1000);
    expect(s.statusOf(a)).toBe('stopped');
    const b = s.add();
    s.runner.submit(b, { queue: false, hasProduct: false });
    await s.until(() => s.statusOf(b) === 'completed');
    expect(s.workers).toHaveLength(2);
  });

  it("fails the job whose worker crashes ('crash') with the exit code, and the next job runs", async () => {
    const faults: WorkerFaults = { testFault: 'crash' };
    const s = setup({ faults });
    const a = s.add();
    s.runner.submit(a, { queue: true, hasProduct: false });
    await s.until(() => s.statusOf(a) === 'failed');
    faults.testFault = undefined;
    expect(s.store.get(a.jobId)?.error).toBe('Pipeline worker exited unexpectedly (code 70)');
    const b = s.add();
    s.runner.submit(b, { queue: true, hasProduct: false });
    await s.until(() => s.statusOf(b) === 'completed');
  });

  it('previews placement in the worker; 404 for an unknown job', async () => {
    const s = setup();
    const a = s.add();
    const p = await s.runner.previewPlacement({ jobId: a.jobId, position: 'auto', mode: 'overlay' });
    expect(p).toMatchObject({ x: 1, y: 2, width: 3, height: 4 });
    const previews = () => s.workers[0].sent.filter((m) => m.type === 'preview');
    expect(previews()).toEqual([{ type: 'preview', id: 1, request: { runDir: a.runDir, position: 'auto', mode: 'overlay' } }]);
    // A settled job's preview is computed once.
    await s.runner.previewPlacement({ jobId: a.jobId, position: 'auto', mode: 'blend' });
    expect(previews()).toHaveLength(1);
    await s.runner.previewPlacement({ jobId: a.jobId, position: 'auto', mode: 'behind' });
    expect(previews()).toHaveLength(2);
    await expect(s.runner.previewPlacement({ jobId: randomUUID(), position: 'auto', mode: 'overlay' })).rejects.toMatchObject({ status: 404 });
    await expect(s.runner.previewPlacement({ jobId: '../etc', position: 'auto', mode: 'overlay' })).rejects.toMatchObject({ status: 404 });
  });

  it('close fails queued and running jobs "interrupted", shuts the worker down and refuses new jobs', async () => {
    const s = setup({ script: (w, m) => (m.type === 'init' ? w.reply({ type: 'ready' }) : m.type === 'shutdown' ? w.die(0, null) : undefined) });
    const [a, b] = [s.add(), s.add()];
    s.runner.submit(a, { queue: true, hasProduct: false });
    s.runner.submit(b, { queue: true, hasProduct: false });
    await s.runner.close();
    expect(s.store.get(a.jobId)).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(s.store.get(b.jobId)).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(s.workers[0].sent.at(-1)).toEqual({ type: 'shutdown' });
    expect(s.workers[0].exitCode).toBe(0);
    expect(() => s.runner.submit(s.add(), { queue: true, hasProduct: false })).toThrow(/closed/);
  });
});
