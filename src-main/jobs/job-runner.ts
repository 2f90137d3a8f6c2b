// The one job lane, as the service sees it: a thin facade over three parts, the way ComfyUI keeps
// its queue apart from its executor.
//   lane.ts              which job runs and which wait (bounded FIFO), stop requests and deadlines; pure
//   worker-supervisor.ts the pipeline worker process: spawn, init, restart with backoff, kill, watchdog
//   job-recorder.ts      the store and the events: status, progress, artifacts, engines, timings
// Jobs run one at a time in a long-lived worker (engines stay loaded across jobs); further jobs wait
// in FIFO order, or are refused with BusyError when the caller does not queue (QueueFullError, also
// a 503 BusyError, past maxQueue). The runner is the only writer of a job's state once submitted.
//
// Stop: a queued job is removed at once. A running job gets an abort, which the worker answers at
// once; if it cannot even read it (its thread is inside a long native call) by the lane's deadline
// (stopGraceMs), the worker is killed and a fresh one started. Either way the job is stopped within
// ~1.2 s. A worker that dies, or goes silent past the watchdog, fails its job and frees the lane.
//
// Placement previews run in the worker too (never on this process's event loop): at once when it is
// idle, at the running job's next await otherwise, bounded by previewTimeoutMs (503 after it).
import { notFound } from '../core/errors';
import type { SubStepId } from '../core/jobs';
import { hasTextLayer, type CompositionMode, type TextPosition } from '../core/params';
import type { WorkerConfig, WorkerJob } from '../pipeline/job';
import type { PlacementPreviewResult } from '../pipeline/placement-preview';
import type { JobStore } from '../store/db';
import { isJobId } from '../core/jobs';
import type { RunFolders } from '../store/run-folders';
import { planSubSteps } from './eta';
import { JobRecorder, type FinalStatus, type LiveStatus, type RunRecord, type RunnerEvent } from './job-recorder';
import { Lane } from './lane';
import type { JobMessage } from './protocol';
import { WorkerSupervisor, type SpawnWorker, type WorkerFaults } from './worker-supervisor';

export type { LiveStatus, RunnerEvent } from './job-recorder';
export { QueueFullError } from './lane';
export { asTestFault, type TestFault } from './protocol';
export type { SpawnWorker, WorkerFaults, WorkerProcess } from './worker-supervisor';

export interface JobRunnerOptions {
  store: JobStore;
  folders: RunFolders;
  /** Built worker script (dist/worker.js in production). */
  workerScript: string;
  workerConfig: WorkerConfig;
  emit: (event: RunnerEvent) => void;
  /** How long a cooperative abort may take before the worker is killed (also the shutdown grace). Default 1200 ms. */
  stopGraceMs?: number;
  /** A running job whose worker sends nothing for this long is failed. Default 15 minutes. */
  watchdogMs?: number;
  /** Wall clock for the store, Unix seconds. */
  now?: () => number;
  log?: (message: string) => void;
  /** Most jobs waiting behind the running one; more are refused with QueueFullError (503). Default: no bound. */
  maxQueue?: number;
  /** Failure injection for the fault tests (config.testFault); read when each job starts. */
  faults?: WorkerFaults;
  /** Starts the worker process. Default: fork workerScript (ELECTRON_RUN_AS_NODE=1). */
  spawn?: SpawnWorker;
  /** How long previewPlacement waits for the worker before a 503. Default 15 s. */
  previewTimeoutMs?: number;
}

export interface PlacementPreviewArgs {
  jobId: string;
  position: TextPosition;
  mode: CompositionMode;
  /** Overrides previewTimeoutMs for this call. */
  timeoutMs?: number;
}

interface Queued {
  job: WorkerJob;
  plan: SubStepId[];
}

const PREVIEW_CACHE_SIZE = 64;

export class JobRunner {
  private readonly opts: JobRunnerOptions;
  private readonly lane: Lane<Queued>;
  private readonly supervisor: WorkerSupervisor;
  private readonly recorder: JobRecorder;
  /** The running job's record (the lane's active entry). */
  private run: RunRecord | null = null;
  private readonly stopWaiters = new Map<string, (() => void)[]>();
  private stopTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Previews of finished jobs: their step images no longer change. */
  private readonly previewCache = new Map<string, PlacementPreviewResult>();

  constructor(opts: JobRunnerOptions) {
    this.opts = opts;
    this.recorder = new JobRecorder({ store: opts.store, folders: opts.folders, emit: opts.emit, now: opts.now, log: opts.log });
    this.lane = new Lane<Queued>({ maxQueue: opts.maxQueue, stopGraceMs: opts.stopGraceMs, retryAfterSeconds: () => this.retryAfterSeconds() });
    this.supervisor = new WorkerSupervisor({
      workerScript: opts.workerScript,
      workerConfig: opts.workerConfig,
      spawn: opts.spawn,
      faults: opts.faults,
      shutdownGraceMs: opts.stopGraceMs,
      watchdogMs: opts.watchdogMs,
      previewTimeoutMs: opts.previewTimeoutMs,
      log: opts.log,
      handlers: {
        spawned: () => this.pump(),
        message: (m) => this.onMessage(m),
        lost: (jobId, error) => {
          const r = this.run;
          if (r?.jobId === jobId) this.finishActive(jobId, r.stopping ? 'stopped' : 'failed', r.stopping ? null : error);
        },
      },
    });
  }

  /** Starts the worker (engines load now, not at the first job) and the watchdog. */
  start(): void {
    this.supervisor.start();
  }

  get isReady(): boolean {
    return this.supervisor.ready;
  }

  /** Why the pipeline worker's engines failed to load (every job fails with it until a setup succeeds), or null. */
  get engineSetupError(): string | null {
    return this.supervisor.setupError;
  }

  get busy(): boolean {
    return this.lane.busy;
  }

  get activeJobId(): string | null {
    return this.lane.active?.id ?? null;
  }

  get queuedCount(): number {
    return this.lane.queuedCount;
  }

  /** Engines and provider of the most recent job (for /health before any job runs in this process). */
  get lastEngines() {
    return this.recorder.lastEngines;
  }

  set lastEngines(engines) {
    this.recorder.lastEngines = engines;
  }

  get lastProvider(): string | null {
    return this.recorder.lastProvider;
  }

  set lastProvider(provider: string | null) {
    this.recorder.lastProvider = provider;
  }

  isActive(jobId: string): boolean {
    return this.lane.has(jobId);
  }

  /** Plan of sub-steps for a job, as run-pipeline.ts will run them. */
  static planOf(job: WorkerJob, hasProduct: boolean): SubStepId[] {
    return planSubSteps({
      startStep: job.startStep,
      stopStep: job.stopStep,
      hasProduct,
      hasText: hasTextLayer(job.params.text_content, job.startStep),
    });
  }

  /** Seconds until the lane is free: the running job's remaining ETA plus every queued job's estimate. At least 1. */
  retryAfterSeconds(): number {
    let s = this.run ? this.recorder.remaining(this.run) : 0;
    for (const q of this.lane.queued) s += this.recorder.estimate(q.data.plan);
    return Math.max(1, Math.ceil(s));
  }

  /**
   * Takes a job whose row (status pending) and run folder already exist. Throws BusyError when
   * the lane is taken and `queue` is false, QueueFullError past maxQueue. Synchronous, so a
   * check-then-submit cannot race.
   */
  submit(job: WorkerJob, options: { queue: boolean; hasProduct: boolean }): void {
    this.lane.enqueue(job.jobId, { job, plan: JobRunner.planOf(job, options.hasProduct) }, { queue: options.queue });
    this.pump();
  }

  live(jobId: string): LiveStatus | undefined {
    const r = this.run;
    return r && r.jobId === jobId ? this.recorder.live(r) : undefined;
  }

  /** Stops a queued or running job; resolves once it is no longer active (within ~grace + ε). */
  stop(jobId: string): Promise<void> {
    const r = this.lane.requestStop(jobId);
    if (r.kind === 'unknown') return Promise.resolve();
    if (r.kind === 'dequeued') {
      this.recorder.stoppedWhileQueued(jobId);
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve) => {
      const list = this.stopWaiters.get(jobId) ?? [];
      list.push(resolve);
      this.stopWaiters.set(jobId, list);
    });
    if (r.kind === 'abort') {
      if (this.run) this.recorder.stopping(this.run);
      this.supervisor.abort(jobId);
      this.armStopDeadline();
    }
    return done;
  }

  /** Releases the resident models' GPU memory (background or lettering) after the job in flight (POST /free). */
  free(): Promise<string[]> {
    return this.supervisor.free();
  }

  /**
   * Where step 3 would put the job's headline for `position` and `mode`: the same computation
   * step 3 runs, done in the pipeline worker. 404 for an unknown job, 409 while it has no step-1
   * and step-2 images, 503 when the worker does not answer within the timeout (it is busy inside a
   * long synchronous stretch, or restarting).
   */

  async previewPlacement(args: PlacementPreviewArgs): Promise<PlacementPreviewResult> {
    const { jobId, position, mode } = args;
    if (!isJobId(jobId) || !this.opts.store.get(jobId)) throw notFound(`Job ${jobId} not found`);
    const key = `${jobId}|${position}|${mode === 'behind' ? 'behind' : 'avoid'}`;
    const cached = this.previewCache.get(key);
    if (cached) return cached;
    const settled = !this.lane.has(jobId);
    const result = await this.supervisor.preview({ runDir: this.opts.folders.dirOf(jobId), position, mode }, args.timeoutMs);
    if (settled && !this.lane.has(jobId)) {
      this.previewCache.set(key, result);
      if (this.previewCache.size > PREVIEW_CACHE_SIZE) this.previewCache.delete(this.previewCache.keys().next().value as string);
    }
    return result;
  }

  /** Stops the worker. Jobs still active are failed "interrupted", as after a crash. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.stopTimer = null;
    const { queued, active } = this.lane.close();
    for (const q of queued) this.recorder.interrupted(q.id);
    if (active) this.recorder.interrupted(active.id, this.run ?? undefined);
    this.run = null;
    for (const list of this.stopWaiters.values()) for (const r of list) r();
    this.stopWaiters.clear();
    await this.supervisor.close();
  }

  // ---------------------------------------------------------------- composition

  private pump(): void {
    if (this.closed || this.lane.active || !this.supervisor.available) return;
    const next = this.lane.startNext();
    if (!next) return;
    const rec = this.recorder.begin(next.id, next.data.plan, this.supervisor.loadRemainingSeconds());
    this.run = rec;
    this.supervisor.run(next.data.job);
    // Last: a listener may already stop the job or submit another.
    this.recorder.started(rec);
  }

  private onMessage(m: JobMessage): void {
    const r = this.run;
    if (!r || r.jobId !== m.jobId) return;
    if (m.type === 'done') this.finishActive(r.jobId, 'completed', null);
    else if (m.type === 'failed') {
      const stopped = m.stopped || r.stopping;
      this.finishActive(r.jobId, stopped ? 'stopped' : 'failed', stopped ? null : m.error);
    } else this.recorder.report(r, m);
  }

  /** Kills the worker when the running job has not honoured its stop by the lane's deadline. */
  private armStopDeadline(): void {
    const ms = this.lane.stopRemainingMs();
    if (ms === null || this.stopTimer) return;
    this.stopTimer = setTimeout(() => {
      this.stopTimer = null;
      const overdue = this.lane.overdueStop();
      if (!overdue) {
        this.armStopDeadline();
        return;
      }
      // The worker did not even read the abort (its thread is inside a long native call): kill it;
      // the next job gets a fresh worker.
      this.supervisor.restart(`job ${overdue.id} did not stop within ${this.opts.stopGraceMs ?? 1200} ms: restarting the pipeline worker`);
      this.finishActive(overdue.id, 'stopped', null);
    }, ms);
  }

  private finishActive(jobId: string, status: FinalStatus, error: string | null): void {
    const rec = this.run;
    if (!rec || rec.jobId !== jobId || !this.lane.finish(jobId)) return;
    this.run = null;
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.stopTimer = null;
    this.recorder.finish(rec, status, error);
    const waiters = this.stopWaiters.get(jobId);
    this.stopWaiters.delete(jobId);
    for (const w of waiters ?? []) w();
    this.pump();
  }
}
