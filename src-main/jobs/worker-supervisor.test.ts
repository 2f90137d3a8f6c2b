// The supervisor over a fake worker process (no fork): handshake, faults, crash restart with
// backoff, kill, watchdog, previews, graceful shutdown.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../core/errors';
import type { WorkerJob } from '../pipeline/job';
import type { FromWorker, JobMessage, ToWorker } from './protocol';
import { WorkerSupervisor, type SupervisorHandlers, type WorkerFaults, type WorkerProcess } from './worker-supervisor';

class FakeWorker extends EventEmitter implements WorkerProcess {
  connected = true;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly sent: ToWorker[] = [];
  readonly kills: (NodeJS.Signals | undefined)[] = [];
  /** What the fake does on 'shutdown': exit at once (default) or ignore it (a stuck worker). */
  obeysShutdown = true;

  send(message: ToWorker): boolean {
    this.sent.push(message);
    if (message.type === 'shutdown' && this.obeysShutdown) queueMicrotask(() => this.die(0, null));
    return true;
  }

  kill(signal?: NodeJS.Signals): boolean {
    this.kills.push(signal);
    queueMicrotask(() => this.die(null, signal ?? 'SIGTERM'));
    return true;
  }

  reply(m: FromWorker): void {
    this.emit('message', m);
  }

  die(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.connected = false;
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
  }

  types(): string[] {
    return this.sent.map((m) => m.type);
  }
}

const job = (jobId: string): WorkerJob => ({
  jobId,
  runDir: `/runs/${jobId}`,
  params: { seed: 1 } as WorkerJob['params'],
  fontPath: '/fonts/x.ttf',
  startStep: 3,
  stopStep: 3,
});

function setup(opts: { faults?: WorkerFaults; watchdogMs?: number; previewTimeoutMs?: number; shutdownGraceMs?: number } = {}) {
  const workers: FakeWorker[] = [];
  const events: string[] = [];
  const messages: JobMessage[] = [];
  const lost: [string, string, string][] = [];
  const handlers: SupervisorHandlers = {
    spawned: () => events.push('spawned'),
    ready: () => events.push('ready'),
    message: (m) => messages.push(m),
    lost: (jobId, error, cause) => lost.push([jobId, error, cause]),
  };
  const sup = new WorkerSupervisor({
    workerScript: '/dist/worker.js',
    workerConfig: { modelsDir: '/m', cacheDir: '/c', nice: 7 },
    handlers,
    spawn: (script) => {
      expect(script).toBe('/dist/worker.js');
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    faults: opts.faults,
    watchdogMs: opts.watchdogMs ?? 60_000,
    initAllowanceMs: 120_000,
    respawnBackoffMs: 1000,
    previewTimeoutMs: opts.previewTimeoutMs ?? 5000,
    shutdownGraceMs: opts.shutdownGraceMs ?? 1200,
  });
  return { sup, workers, events, messages, lost, last: () => workers[workers.length - 1] };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WorkerSupervisor', () => {
  it('spawns at start and sends init with the worker config (priority included); ready is reported', () => {
    const { sup, workers, events } = setup();
    expect(sup.available).toBe(false);
    sup.start();
    expect(workers).toHaveLength(1);
    expect(workers[0].sent[0]).toEqual({ type: 'init', config: { modelsDir: '/m', cacheDir: '/c', nice: 7 } });
    expect(sup.available).toBe(true);
    expect(sup.ready).toBe(false);
    expect(sup.loadRemainingSeconds()).toBeGreaterThan(0);
    vi.advanceTimersByTime(400);
    workers[0].reply({ type: 'ready' });
    expect(sup.ready).toBe(true);
    expect(sup.loadRemainingSeconds()).toBe(0);
    expect(events).toEqual(['spawned', 'ready']);
  });

  it('keeps the engine setup error the worker reports (issue 10 item 14), until a setup succeeds; the setup fault travels with init', () => {
    const { sup, workers } = setup({ faults: { testFault: 'setup' } });
    sup.start();
    expect(workers[0].sent[0]).toEqual({ type: 'init', config: { modelsDir: '/m', cacheDir: '/c', nice: 7 }, testFault: 'setup' });
    expect(sup.setupError).toBeNull();
    workers[0].reply({ type: 'ready', setupError: 'IS-Net model cache is not writable' });
    expect(sup.ready).toBe(true);
    expect(sup.setupError).toBe('IS-Net model cache is not writable');
    // A job set the engines up again and it failed again, then worked.
    workers[0].reply({ type: 'setup', error: 'still broken' });
    expect(sup.setupError).toBe('still broken');
    workers[0].reply({ type: 'setup', error: null });
    expect(sup.setupError).toBeNull();
  });

  it('passes the test fault with each run, read at the time of the run', () => {
    const faults: WorkerFaults = {};
    const { sup, last } = setup({ faults });
    sup.start();
    sup.run(job('a'));
    faults.testFault = 'hang';
    sup.run(job('b'));
    faults.testFault = null;
    sup.run(job('c'));
    const runs = last().sent.filter((m) => m.type === 'run');
    expect(runs).toEqual([
      { type: 'run', job: job('a') },
      { type: 'run', job: job('b'), testFault: 'hang' },
      { type: 'run', job: job('c') },
    ]);
  });

  it('relays job messages and forgets the job at done/failed', () => {
    const { sup, last, messages } = setup();
    sup.start();
    sup.run(job('a'));
    expect(sup.runningJobId).toBe('a');
    last().reply({ type: 'progress', jobId: 'a', report: { step: 'step3_composite', subStep: 'composition', fraction: 0.5 } });
    last().reply({ type: 'done', jobId: 'a' });
    expect(messages.map((m) => m.type)).toEqual(['progress', 'done']);
    expect(sup.runningJobId).toBeNull();
    last().reply({ type: 'log', message: 'hello' });
    expect(messages).toHaveLength(2);
  });

  it('posts abort to the worker', () => {
    const { sup, last } = setup();
    sup.start();
    sup.run(job('a'));
    sup.abort('a');
    expect(last().sent.at(-1)).toEqual({ type: 'abort', jobId: 'a' });
  });

  it('a crash loses the running job with the exit code and respawns after the backoff', async () => {
    const { sup, workers, lost, events } = setup();
    sup.start();
    workers[0].reply({ type: 'ready' });
    sup.run(job('a'));
    vi.advanceTimersByTime(200);
    workers[0].die(70, null);
    expect(lost).toEqual([['a', 'Pipeline worker exited unexpectedly (code 70)', 'exit']]);
    expect(sup.available).toBe(false);
    expect(sup.runningJobId).toBeNull();
    vi.advanceTimersByTime(700);
    expect(workers).toHaveLength(1); // 1 s from the last spawn
    vi.advanceTimersByTime(100);
    expect(workers).toHaveLength(2);
    expect(workers[1].sent[0].type).toBe('init');
    expect(events.filter((e) => e === 'spawned')).toHaveLength(2);
    // Late messages of the dead worker are ignored.
    workers[0].reply({ type: 'done', jobId: 'a' });
    expect(lost).toHaveLength(1);
  });

  it('doubles the respawn delay while workers die before they are ready, and resets once one is', () => {
    const { sup, workers } = setup();
    sup.start();
    const spawnTimes: number[] = [Date.now()];
    for (let i = 0; i < 4; i++) {
      workers[workers.length - 1].die(1, null);
      const before = workers.length;
      while (workers.length === before) vi.advanceTimersByTime(50);
      spawnTimes.push(Date.now());
    }
    const gaps = spawnTimes.slice(1).map((t, i) => t - spawnTimes[i]);
    expect(gaps).toEqual([1000, 2000, 4000, 8000]);
    workers[workers.length - 1].reply({ type: 'ready' });
    vi.advanceTimersByTime(5000);
    workers[workers.length - 1].die(1, null);
    expect(workers).toHaveLength(6); // ran longer than the base backoff: respawned at once
  });

  it('restart kills the worker (SIGKILL) without reporting the job lost, and starts a fresh one', async () => {
    const { sup, workers, lost } = setup();
    sup.start();
    sup.run(job('a'));
    vi.advanceTimersByTime(1500);
    sup.restart('stop grace passed');
    expect(workers[0].kills).toEqual(['SIGKILL']);
    await vi.advanceTimersByTimeAsync(0);
    expect(lost).toEqual([]);
    expect(workers).toHaveLength(2);
    expect(sup.runningJobId).toBeNull();
  });

  it('the watchdog loses a job whose worker went silent and restarts the worker', async () => {
    const { sup, workers, lost } = setup({ watchdogMs: 2000 });
    sup.start();
    workers[0].reply({ type: 'ready' });
    sup.run(job('a'));
    vi.advanceTimersByTime(1500);
    workers[0].reply({ type: 'progress', jobId: 'a', report: { step: 'step3_composite', subStep: 'composition', fraction: 0.1 } });
    vi.advanceTimersByTime(1500);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(lost).toHaveLength(1);
    expect(lost[0][0]).toBe('a');
    expect(lost[0][1]).toMatch(/^No progress from the pipeline for 2 s; the worker was restarted$/);
    expect(lost[0][2]).toBe('watchdog');
    expect(workers[0].kills).toEqual(['SIGKILL']);
    await vi.advanceTimersByTimeAsync(0);
    expect(workers).toHaveLength(2);
  });

  it('the watchdog gives a loading worker its init allowance', () => {
    const { sup, workers, lost } = setup({ watchdogMs: 2000 });
    sup.start();
    sup.run(job('a'));
    vi.advanceTimersByTime(60_000);
    expect(lost).toEqual([]);
    workers[0].reply({ type: 'ready' }); // silence counts from here
    vi.advanceTimersByTime(1500);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(lost).toHaveLength(1);
  });

  it('answers placement previews by id, maps worker failures to AppError statuses', async () => {
    const { sup, last } = setup();
    sup.start();
    const req = { runDir: '/runs/x', position: 'auto' as const, mode: 'overlay' as const };
    const p1 = sup.preview(req);
    const p2 = sup.preview({ ...req, position: 'top' });
    const sent = last().sent.filter((m) => m.type === 'preview');
    expect(sent).toEqual([
      { type: 'preview', id: 1, request: req },
      { type: 'preview', id: 2, request: { ...req, position: 'top' } },
    ]);
    const result = { x: 1, y: 2, width: 3, height: 4, rotation: 0, canvas: { width: 10, height: 10 }, layer: { width: 3, height: 4 } };
    last().reply({ type: 'preview-failed', id: 2, status: 409, error: 'no scene yet' });
    last().reply({ type: 'preview-result', id: 1, result });
    await expect(p1).resolves.toEqual(result);
    const err = await p2.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 409, detail: 'no scene yet' });
  });

  it('a preview times out with a 503 when the worker does not answer', async () => {
    const { sup } = setup({ previewTimeoutMs: 3000 });
    sup.start();
    const p = sup.preview({ runDir: '/r', position: 'auto', mode: 'overlay' });
    const caught = p.catch((e: unknown) => e);
    vi.advanceTimersByTime(3000);
    expect(await caught).toMatchObject({ status: 503 });
  });

  it('a preview waiting on a dead worker is sent again to the next one', async () => {
    const { sup, workers } = setup();
    sup.start();
    const p = sup.preview({ runDir: '/r', position: 'auto', mode: 'overlay' });
    workers[0].die(null, 'SIGSEGV');
    await vi.advanceTimersByTimeAsync(1000);
    expect(workers).toHaveLength(2);
    expect(workers[1].sent.map((m) => m.type)).toEqual(['init', 'preview']);
    const result = { x: 0, y: 0, width: 1, height: 1, rotation: 0, canvas: { width: 1, height: 1 }, layer: { width: 1, height: 1 } };
    workers[1].reply({ type: 'preview-result', id: 1, result });
    await expect(p).resolves.toEqual(result);
  });

  it('close asks the worker to shut down; it exits by itself, nothing is respawned', async () => {
    const { sup, workers } = setup();
    sup.start();
    const pending = sup.preview({ runDir: '/r', position: 'auto', mode: 'overlay' }).catch((e: unknown) => e);
    await sup.close();
    expect(workers[0].types()).toEqual(['init', 'preview', 'shutdown']);
    expect(workers[0].kills).toEqual([]);
    expect(workers[0].exitCode).toBe(0);
    expect(await pending).toMatchObject({ status: 503 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(workers).toHaveLength(1);
    expect(sup.available).toBe(false);
    await expect(sup.preview({ runDir: '/r', position: 'auto', mode: 'overlay' })).rejects.toMatchObject({ status: 503 });
  });

  it('close kills a worker that does not exit within the grace period', async () => {
    const { sup, workers } = setup({ shutdownGraceMs: 800 });
    sup.start();
    workers[0].obeysShutdown = false;
    const closing = sup.close();
    await vi.advanceTimersByTimeAsync(799);
    expect(workers[0].kills).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await closing;
    expect(workers[0].kills).toEqual(['SIGKILL']);
  });
});
