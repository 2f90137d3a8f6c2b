// The one job lane. Jobs run one at a time in a long-lived pipeline worker (engines stay loaded
// across jobs); further jobs wait in FIFO order, or are refused with BusyError when the caller
// does not queue. The runner is the only writer of a job's state once it is submitted.
//
// The worker is a child process, not a worker thread: onnxruntime-node aborts the whole process
// when a thread is terminated inside a session run, and a native crash in a thread takes the
// server down with it. Behind a process boundary, killing a stuck worker and surviving its crash
// are both safe, and the server (or the Electron main process) keeps running.
//
// Stop: abort is posted to the worker, which answers at once; if it cannot even read the message
// (its thread is inside a long native call) within the grace period, it is killed and a fresh one
// started. Either way the job is stopped within ~1.2 s. A worker that dies fails its job with the
// error and frees the lane. A watchdog fails a job whose worker has been silent for too long.
import { fork, type ChildProcess } from 'node:child_process';
import { SUB_STEPS, STEP_IDS, type EngineInfo, type JobStatus, type StepId, type SubStepId, type ArtifactName } from '../core/jobs';
import { BusyError, StoppedError } from '../core/errors';
import type { JobStore } from '../store/db';
import type { RunFolders } from '../store/run-folders';
import { JobProgress, TimingModel, expectedTotal, planSubSteps, type ProgressSnapshot } from './eta';
import type { FromWorker, ToWorker } from './protocol';
import type { WorkerConfig, WorkerJob } from '../pipeline/job';

export type RunnerEvent =
  | { type: 'started'; jobId: string }
  | { type: 'progress'; jobId: string }
  | { type: 'step-result'; jobId: string; step: StepId; artifact: ArtifactName }
  | { type: 'finished'; jobId: string; status: JobStatus };

export interface JobRunnerOptions {
  store: JobStore;
  folders: RunFolders;
  /** Built worker script (dist/worker.js in production). */
  workerScript: string;
  workerConfig: WorkerConfig;
  emit: (event: RunnerEvent) => void;
  /** How long a cooperative abort may take before the worker is killed. Default 1200 ms. */
  stopGraceMs?: number;
  /** A running job whose worker sends nothing for this long is failed. Default 15 minutes. */
  watchdogMs?: number;
  /** Wall clock, Unix seconds. */
  now?: () => number;
  log?: (message: string) => void;
}

export interface LiveStatus extends ProgressSnapshot {
  elapsed_sec: number;
}

interface Queued {
  job: WorkerJob;
  plan: SubStepId[];
}

interface Active extends Queued {
  progress: JobProgress;
  startedAt: number;
  lastMessageAt: number;
  engines: EngineInfo;
  provider: string | null;
  timings: Partial<Record<SubStepId, number>>;
  stopRequested: boolean;
  graceTimer: NodeJS.Timeout | null;
}

const LABELS = new Map<SubStepId, string>(STEP_IDS.flatMap((s) => SUB_STEPS[s].map((x) => [x.id as SubStepId, x.label] as const)));
const STOPPED_MESSAGE = new StoppedError().message;
/** Expected engine load before one has been measured (IS-Net session on a 2-core CPU machine). */
const DEFAULT_LOAD_SECONDS = 2.5;
/** Restarts closer together than this are delayed, so a worker that cannot start does not spin. */
const RESPAWN_BACKOFF_MS = 1000;
/** Longest silent engine setup the watchdog tolerates before the job's own silence counts. */
const INIT_ALLOWANCE_MS = 10 * 60_000;

/** Kills a worker process and resolves once it has exited. */
function killWorker(w: ChildProcess): Promise<void> {
  if (w.exitCode !== null || w.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    w.once('exit', () => resolve());
    w.kill('SIGKILL');
  });
}

export class JobRunner {
  private readonly store: JobStore;
  private readonly folders: RunFolders;
  private readonly opts: JobRunnerOptions;
  private readonly now: () => number;
  private readonly log: (m: string) => void;
  private readonly timing: TimingModel;
  private readonly queue: Queued[] = [];
  private readonly stopWaiters = new Map<string, (() => void)[]>();
  private active: Active | null = null;
  private worker: ChildProcess | null = null;
  private generation = 0;
  private spawnedAt = 0;
  private respawnTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private closed = false;
  private ready = false;
  /** How long the last engine load took in this process (seconds); a CPU-machine default before the first. */
  private lastLoadSeconds = DEFAULT_LOAD_SECONDS;

  /** Seconds the worker that is loading now still needs, judged by the last load. */
  private loadRemaining(): number {
    return Math.max(0, this.lastLoadSeconds - (Date.now() - this.spawnedAt) / 1000);
  }

  /** Engines and provider of the most recent job (for /health before any job runs in this process). */
  lastEngines: EngineInfo = {};
  lastProvider: string | null = null;

  constructor(opts: JobRunnerOptions) {
    this.opts = opts;
    this.store = opts.store;
    this.folders = opts.folders;
    this.now = opts.now ?? (() => Date.now() / 1000);
    this.log = opts.log ?? (() => {});
    this.timing = new TimingModel(this.store.timings());
  }

  /** Starts the worker (engines load now, not at the first job) and the watchdog. */
  start(): void {
    this.spawnWorker();
    const watchdogMs = this.opts.watchdogMs ?? 15 * 60_000;
    this.watchdog = setInterval(() => this.checkWatchdog(watchdogMs), Math.min(5000, Math.max(50, watchdogMs / 4)));
    this.watchdog.unref();
  }

  get isReady(): boolean {
    return this.ready;
  }

  get busy(): boolean {
    return this.active !== null || this.queue.length > 0;
  }

  get activeJobId(): string | null {
    return this.active?.job.jobId ?? null;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  isActive(jobId: string): boolean {
    return this.active?.job.jobId === jobId || this.queue.some((q) => q.job.jobId === jobId);
  }

  /** Plan of sub-steps for a job, as run-pipeline.ts will run them. */
  static planOf(job: WorkerJob, hasProduct: boolean): SubStepId[] {
    return planSubSteps({ startStep: job.startStep, stopStep: job.stopStep, hasProduct, hasText: Boolean(job.params.text_content?.trim()) });
  }

  /** Seconds until the lane is free: the running job's remaining ETA plus every queued job's estimate. At least 1. */
  retryAfterSeconds(): number {
    const t = this.now();
    let s = this.active ? this.active.progress.remaining(t) : 0;
    for (const q of this.queue) s += expectedTotal(q.plan, (sub) => this.timing.expected(sub, {}));
    return Math.max(1, Math.ceil(s));
  }

  /** Expected seconds for a job before it runs. */
  estimate(plan: SubStepId[]): number {
    return expectedTotal(plan, (sub) => this.timing.expected(sub, {}));
  }

  /**
   * Takes a job whose row (status pending) and run folder already exist. Throws BusyError when
   * the lane is taken and `queue` is false. Synchronous, so a check-then-submit cannot race.
   */
  submit(job: WorkerJob, options: { queue: boolean; hasProduct: boolean }): void {
    if (this.closed) throw new Error('job runner is closed');
    if (!options.queue && this.busy) throw new BusyError(this.retryAfterSeconds());
    this.queue.push({ job, plan: JobRunner.planOf(job, options.hasProduct) });
    this.pump();
  }

  live(jobId: string): LiveStatus | undefined {
    const a = this.active;
    if (!a || a.job.jobId !== jobId) return undefined;
    const t = this.now();
    return { ...a.progress.snapshot(t), elapsed_sec: Math.max(0, t - a.startedAt) };
  }

  /** Stops a queued or running job; resolves once it is no longer active (within ~grace + ε). */
  stop(jobId: string): Promise<void> {
    const qi = this.queue.findIndex((q) => q.job.jobId === jobId);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      const t = this.now();
      this.store.update(jobId, { status: 'stopped', finishedAt: t, message: STOPPED_MESSAGE });
      this.opts.emit({ type: 'finished', jobId, status: 'stopped' });
      return Promise.resolve();
    }
    const a = this.active;
    if (!a || a.job.jobId !== jobId) return Promise.resolve();
    const done = new Promise<void>((resolve) => {
      const list = this.stopWaiters.get(jobId) ?? [];
      list.push(resolve);
      this.stopWaiters.set(jobId, list);
    });
    if (!a.stopRequested) {
      a.stopRequested = true;
      this.store.update(jobId, { message: 'Stopping' });
      this.post({ type: 'abort', jobId });
      a.graceTimer = setTimeout(() => {
        if (this.active !== a) return;
        // The worker did not even read the abort (its thread is inside a long native call):
        // kill it; the next job gets a fresh worker.
        this.log(`job ${jobId} did not stop within ${this.opts.stopGraceMs ?? 1200} ms: restarting the pipeline worker`);
        this.restartWorker();
        this.finish(a, 'stopped', null);
      }, this.opts.stopGraceMs ?? 1200);
    }
    return done;
  }

  /** Stops the worker. Jobs still active are failed "interrupted", as after a crash. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    const t = this.now();
    for (const q of this.queue.splice(0)) {
      this.store.update(q.job.jobId, { status: 'failed', finishedAt: t, message: 'interrupted', error: 'interrupted' });
    }
    const a = this.active;
    if (a) {
      if (a.graceTimer) clearTimeout(a.graceTimer);
      this.active = null;
      this.store.update(a.job.jobId, { status: a.stopRequested ? 'stopped' : 'failed', finishedAt: t, message: a.stopRequested ? STOPPED_MESSAGE : 'interrupted', error: a.stopRequested ? null : 'interrupted' });
    }
    for (const list of this.stopWaiters.values()) for (const r of list) r();
    this.stopWaiters.clear();
    const w = this.worker;
    this.worker = null;
    this.generation++;
    if (w) await killWorker(w);
  }

  // ---------------------------------------------------------------- worker lifecycle

  private spawnWorker(): void {
    if (this.closed) return;
    const gen = ++this.generation;
    this.spawnedAt = Date.now();
    this.ready = false;
    // ELECTRON_RUN_AS_NODE: inside Electron, process.execPath is the Electron binary; this makes
    // it behave as plain Node for the worker. Plain Node ignores it.
    const w = fork(this.opts.workerScript, [], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.worker = w;
    w.on('message', (m: FromWorker) => {
      if (gen === this.generation) this.onMessage(m);
    });
    w.on('error', (err) => {
      if (gen === this.generation) this.onWorkerDeath(`Pipeline worker crashed: ${err.message}`);
    });
    w.on('exit', (code, signal) => {
      if (gen === this.generation) this.onWorkerDeath(`Pipeline worker exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})`);
    });
    this.post({ type: 'init', config: this.opts.workerConfig });
    this.pump();
  }

  /** Terminates the current worker (its late messages are ignored) and starts a fresh one. */
  private restartWorker(): void {
    const w = this.worker;
    this.worker = null;
    this.generation++;
    if (w) void killWorker(w);
    this.scheduleSpawn();
  }

  private scheduleSpawn(): void {
    if (this.closed || this.respawnTimer) return;
    const wait = Math.max(0, RESPAWN_BACKOFF_MS - (Date.now() - this.spawnedAt));
    if (wait === 0) {
      this.spawnWorker();
      return;
    }
    this.respawnTimer = setTimeout(() => {
      this.respawnTimer = null;
      this.spawnWorker();
    }, wait);
  }

  private onWorkerDeath(message: string): void {
    this.log(message);
    this.worker = null;
    this.generation++;
    const a = this.active;
    if (a) this.finish(a, a.stopRequested ? 'stopped' : 'failed', a.stopRequested ? null : message);
    this.scheduleSpawn();
  }

  private post(m: ToWorker): void {
    const w = this.worker;
    if (w?.connected) w.send(m);
  }

  private checkWatchdog(limitMs: number): void {
    const a = this.active;
    if (!a || this.closed) return;
    const silent = this.now() - a.lastMessageAt;
    // Loading the engines (first job, or after a restart) is silent and can take minutes on a
    // cold disk: it gets its own, longer allowance.
    if (silent * 1000 < (this.ready ? limitMs : Math.max(limitMs, INIT_ALLOWANCE_MS))) return;
    const msg = `No progress from the pipeline for ${Math.round(silent)} s; the worker was restarted`;
    this.log(`job ${a.job.jobId}: ${msg}`);
    this.restartWorker();
    this.finish(a, 'failed', msg);
  }

  // ---------------------------------------------------------------- job lifecycle

  private pump(): void {
    if (this.active || !this.worker || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    const t = this.now();
    const expected = (sub: SubStepId) => this.timing.expected(sub, {});
    const a: Active = {
      ...next,
      progress: new JobProgress(next.plan, expected, t, this.ready ? 0 : this.loadRemaining()),
      startedAt: t,
      lastMessageAt: t,
      engines: {},
      provider: null,
      timings: {},
      stopRequested: false,
      graceTimer: null,
    };
    this.active = a;
    const snap = a.progress.snapshot(t);
    this.store.update(next.job.jobId, {
      status: 'running',
      startedAt: t,
      progress: 0,
      currentStep: snap.current_step,
      subStep: snap.sub_step,
      message: 'Starting',
    });
    this.opts.emit({ type: 'started', jobId: next.job.jobId });
    // The test fault hook is read from the runner's environment at the moment the job starts, so a
    // test can set and clear it between jobs (the worker's own environment is fixed at fork).
    this.post({ type: 'run', job: next.job, testFault: process.env.ADFORGE_TEST_FAULT || undefined });
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'log') {
      this.log(m.message);
      return;
    }
    if (m.type === 'ready') {
      this.ready = true;
      this.lastLoadSeconds = (Date.now() - this.spawnedAt) / 1000;
        // The job's silence is counted from here: the engines were loading until now.
      if (this.active) this.active.lastMessageAt = this.now();
      return;
    }
    const a = this.active;
    if (!a || a.job.jobId !== m.jobId) return;
    const t = this.now();
    a.lastMessageAt = t;
    const id = m.jobId;
    switch (m.type) {
      case 'progress': {
        a.progress.report(m.report.subStep, m.report.fraction, t);
        const snap = a.progress.snapshot(t);
        this.store.update(id, {
          progress: snap.progress_percent,
          currentStep: m.report.step,
          subStep: m.report.subStep,
          message: a.stopRequested ? 'Stopping' : (m.report.message ?? LABELS.get(m.report.subStep) ?? m.report.subStep),
        });
        this.opts.emit({ type: 'progress', jobId: id });
        break;
      }
      case 'engine': {
        a.engines = { ...a.engines, [m.role]: m.engine };
        if (m.provider) a.provider = m.provider;
        a.progress.reestimate((sub) => this.timing.expected(sub, a.engines));
        this.store.update(id, { engines: a.engines, provider: a.provider });
        break;
      }
      case 'sub-step-done':
        a.timings[m.subStep] = Math.round(m.seconds * 1000) / 1000;
        a.progress.subStepDone(m.subStep, t);
        break;
      case 'step-result':
        this.store.update(id, { artifacts: this.folders.listArtifactsSync(id) });
        this.opts.emit({ type: 'step-result', jobId: id, step: m.step, artifact: m.artifact });
        break;
      case 'done':
        this.finish(a, 'completed', null);
        break;
      case 'failed':
        this.finish(a, m.stopped || a.stopRequested ? 'stopped' : 'failed', m.stopped || a.stopRequested ? null : m.error);
        break;
    }
  }

  private finish(a: Active, status: 'completed' | 'failed' | 'stopped', error: string | null): void {
    if (this.active !== a) return;
    if (a.graceTimer) clearTimeout(a.graceTimer);
    this.active = null;
    const t = this.now();
    const id = a.job.jobId;
    if (status === 'completed') a.progress.complete();
    const snap = a.progress.snapshot(t);
    // Measured sub-step times are real whatever became of the job afterwards: learn from them.
    for (const [sub, seconds] of Object.entries(a.timings) as [SubStepId, number][]) {
      const row = this.timing.learn(sub, a.engines, seconds, t);
      if (row) this.store.saveTiming(row);
    }
    if (Object.keys(a.engines).length) {
      this.lastEngines = { ...this.lastEngines, ...a.engines };
      this.lastProvider = a.provider ?? this.lastProvider;
    }
    this.store.update(id, {
      status,
      finishedAt: t,
      progress: snap.progress_percent,
      currentStep: snap.current_step,
      subStep: status === 'completed' ? null : snap.sub_step,
      message: status === 'completed' ? 'Completed' : status === 'stopped' ? STOPPED_MESSAGE : (error ?? 'failed'),
      error: status === 'failed' ? (error ?? 'failed') : null,
      engines: a.engines,
      provider: a.provider,
      timings: a.timings,
      artifacts: this.folders.listArtifactsSync(id),
    });
    this.opts.emit({ type: 'finished', jobId: id, status });
    const waiters = this.stopWaiters.get(id);
    this.stopWaiters.delete(id);
    for (const w of waiters ?? []) w();
    this.pump();
  }
}
