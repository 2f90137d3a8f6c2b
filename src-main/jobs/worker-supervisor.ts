// Owns the pipeline worker process: spawns it (engines load at start, not at the first job), does
// the init handshake, hands it jobs and placement previews, restarts it with backoff when it dies,
// kills it when a stop does not land within the grace period or when it goes silent (watchdog),
// and shuts it down gracefully on close. It keeps no queue and writes nothing: what happens to a
// job is the caller's business (handlers.message / handlers.lost).
//
// The worker is a child process, not a worker thread: onnxruntime-node aborts the whole process
// when a thread is terminated inside a session run, and a native crash in a thread takes the
// server down with it. Behind a process boundary, killing a stuck worker and surviving its crash
// are both safe, and the server (or the Electron main process) keeps running.
import { fork } from 'node:child_process';
import { AppError } from '../core/errors';
import type { WorkerConfig, WorkerJob } from '../pipeline/job';
import type { PlacementPreviewRequest, PlacementPreviewResult } from '../pipeline/placement-preview';
import type { FromWorker, JobMessage, TestFault, ToWorker } from './protocol';

/** What the supervisor needs of a worker process; node's ChildProcess is one. */
export interface WorkerProcess {
  readonly connected: boolean;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  send(message: ToWorker): boolean;
  kill(signal?: NodeJS.Signals): boolean;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'exit', listener: () => void): unknown;
}

export type SpawnWorker = (workerScript: string) => WorkerProcess;

/**
 * The default: fork the built worker script with an IPC channel. ELECTRON_RUN_AS_NODE: inside
 * Electron, process.execPath is the Electron binary; this makes it behave as plain Node for the
 * worker (plain Node ignores it).
 */
export const forkWorker: SpawnWorker = (workerScript) =>
  fork(workerScript, [], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });

/** Failure injection for the fault tests; read at each run(), so a caller may change it between jobs. */
export interface WorkerFaults {
  testFault?: TestFault | null;
}

export interface SupervisorHandlers {
  /** A worker process was started: a job may be handed to it now (it runs once init is done). */
  spawned?(): void;
  /** The worker has loaded its engines (or reported that loading failed: jobs will say why). */
  ready?(): void;
  /** A message about the job handed to run() (or a late one about an earlier job). */
  message(m: JobMessage): void;
  /**
   * The job handed to run() is lost: its worker died (`exit`) or went silent past the watchdog
   * (`watchdog`, the worker was killed). A fresh worker is on its way in both cases.
   */
  lost(jobId: string, error: string, cause: 'exit' | 'watchdog'): void;
}

export interface WorkerSupervisorOptions {
  /** Built worker script (dist/worker.js in production). */
  workerScript: string;
  workerConfig: WorkerConfig;
  handlers: SupervisorHandlers;
  /** Starts a worker process. Default forkWorker. */
  spawn?: SpawnWorker;
  faults?: WorkerFaults;
  /** How long a graceful shutdown may take before the worker is killed. Default 1200 ms. */
  shutdownGraceMs?: number;
  /** A running job whose worker sends nothing for this long is lost (worker killed). Default 15 minutes. */
  watchdogMs?: number;
  /** Longest silent engine setup the watchdog tolerates before the job's own silence counts. Default 10 minutes. */
  initAllowanceMs?: number;
  /** Restarts closer together than this are delayed; a worker dying before it is ready doubles it (up to 30 s). Default 1000 ms. */
  respawnBackoffMs?: number;
  /** How long a placement preview may wait for the worker. Default 15 s. */
  previewTimeoutMs?: number;
  /** Milliseconds. Default Date.now. */
  now?: () => number;
  log?: (message: string) => void;
}

interface PendingPreview {
  request: PlacementPreviewRequest;
  resolve: (r: PlacementPreviewResult) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  /** Generation of the worker it was sent to; null while it waits for one. */
  sentTo: number | null;
}

/** Expected engine load before one has been measured (IS-Net session on a 2-core CPU machine). */
const DEFAULT_LOAD_SECONDS = 2.5;
const MAX_BACKOFF_MS = 30_000;
const APP_STATUSES = [400, 404, 409, 413, 415, 503, 500] as const;

/** Kills a worker process and resolves once it has exited. */
function killWorker(w: WorkerProcess): Promise<void> {
  if (w.exitCode !== null || w.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    w.once('exit', () => resolve());
    w.kill('SIGKILL');
  });
}

export class WorkerSupervisor {
  private readonly opts: WorkerSupervisorOptions;
  private readonly spawnFn: SpawnWorker;
  private readonly now: () => number;
  private readonly log: (m: string) => void;
  private worker: WorkerProcess | null = null;
  private generation = 0;
  private spawnedAt = 0;
  private respawnTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private closed = false;
  private readyFlag = false;
  /** Unexpected deaths before a worker became ready, in a row: the respawn delay doubles with each. */
  private crashStreak = 0;
  /** The job handed to the worker and not yet reported done/failed. */
  private current: { jobId: string; lastMessageAt: number } | null = null;
  private readonly previews = new Map<number, PendingPreview>();
  private readonly frees = new Map<number, { resolve: (released: string[]) => void; timer: NodeJS.Timeout }>();
  private nextPreviewId = 1;
  /** How long the last engine load took (seconds); a CPU-machine default before the first. */
  private lastLoadSeconds = DEFAULT_LOAD_SECONDS;
  /** Why the worker's last engine setup failed (it logs "engine setup failed"), or null. */
  private lastSetupError: string | null = null;

  constructor(opts: WorkerSupervisorOptions) {
    this.opts = opts;
    this.spawnFn = opts.spawn ?? forkWorker;
    this.now = opts.now ?? (() => Date.now());
    this.log = opts.log ?? (() => {});
  }

  /** Starts the worker and the watchdog. */
  start(): void {
    if (this.closed || this.worker || this.respawnTimer) return;
    this.spawn();
    const watchdogMs = this.opts.watchdogMs ?? 15 * 60_000;
    this.watchdog = setInterval(() => this.checkWatchdog(watchdogMs), Math.min(5000, Math.max(50, watchdogMs / 4)));
    this.watchdog.unref();
  }

  /** The worker has loaded its engines. */
  get ready(): boolean {
    return this.readyFlag;
  }

  /** Why the pipeline worker's engines failed to load (jobs fail with it until a setup succeeds), or null. */
  get setupError(): string | null {
    return this.lastSetupError;
  }

  /** A worker process exists and can be handed a job. */
  get available(): boolean {
    return this.worker !== null && !this.closed;
  }

  /** The job the worker is running (handed over, no done/failed yet). */
  get runningJobId(): string | null {
    return this.current?.jobId ?? null;
  }

  /** Seconds the worker that is loading now still needs, judged by the last load (0 when ready). */
  loadRemainingSeconds(): number {
    if (this.readyFlag) return 0;
    return Math.max(0, this.lastLoadSeconds - (this.now() - this.spawnedAt) / 1000);
  }

  /** Hands a job to the worker. The test fault, if any, is read now. */
  run(job: WorkerJob): void {
    if (!this.available) throw new Error('no pipeline worker to run the job');
    this.current = { jobId: job.jobId, lastMessageAt: this.now() };
    const testFault = this.opts.faults?.testFault ?? undefined;
    this.post(testFault ? { type: 'run', job, testFault } : { type: 'run', job });
  }

  /** Asks the worker to stop a job cooperatively (it answers 'failed' stopped at once). */
  abort(jobId: string): void {
    this.post({ type: 'abort', jobId });
  }

  /**
   * Kills the worker now (its late messages are ignored) and starts a fresh one after the backoff.
   * The job it was running is NOT reported lost: the caller decided this and settles the job itself.
   */
  restart(reason: string): void {
    if (this.closed) return;
    this.log(reason);
    const w = this.worker;
    this.detach();
    if (w) void killWorker(w);
    this.scheduleSpawn();
  }

  /**
   * Where step 3 would put the headline, computed in the worker. Served at once when the worker is
   * idle, else at the running job's next await; waits for a (re)starting worker. Rejects with
   * AppError 503 after `timeoutMs` (default previewTimeoutMs), with the worker's AppError status
   * (409: no step images yet) when it failed there.
   */
  preview(request: PlacementPreviewRequest, timeoutMs = this.opts.previewTimeoutMs ?? 15_000): Promise<PlacementPreviewResult> {
    if (this.closed) return Promise.reject(new AppError(503, 'Server is shutting down'));
    const id = this.nextPreviewId++;
    return new Promise<PlacementPreviewResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.previews.delete(id);
        reject(new AppError(503, `Placement preview timed out after ${Math.round(timeoutMs / 100) / 10} s: the pipeline worker is busy or restarting`));
      }, timeoutMs);
      timer.unref();
      this.previews.set(id, { request, resolve, reject, timer, sentTo: null });
      this.sendPreviews();
    });
  }

  /**
   * Releases the worker's resident diffusion engine (POST /free) once the job in flight is done.
   * Resolves with the engine ids released ([] when no worker is up: nothing is loaded then).
   */
  free(timeoutMs = 60_000): Promise<string[]> {
    if (this.closed || !this.worker?.connected) return Promise.resolve([]);
    const id = this.nextPreviewId++;
    return new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.frees.delete(id);
        reject(new AppError(503, `Freeing the engines timed out after ${Math.round(timeoutMs / 1000)} s: a job is still running`));
      }, timeoutMs);
      timer.unref();
      this.frees.set(id, { resolve, timer });
      this.post({ type: 'free', id });
    });
  }

  /** Graceful stop: 'shutdown' to the worker, SIGKILL if it has not exited within the grace period. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    this.respawnTimer = null;
    for (const [id, p] of this.previews) {
      clearTimeout(p.timer);
      this.previews.delete(id);
      p.reject(new AppError(503, 'Server is shutting down'));
    }
    for (const [id, f] of this.frees) {
      clearTimeout(f.timer);
      this.frees.delete(id);
      f.resolve([]);
    }
    const w = this.worker;
    this.detach();
    if (w) await this.shutdown(w);
  }

  // ---------------------------------------------------------------- internals

  private shutdown(w: WorkerProcess): Promise<void> {
    if (w.exitCode !== null || w.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => w.kill('SIGKILL'), this.opts.shutdownGraceMs ?? 1200);
      w.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (w.connected) w.send({ type: 'shutdown' });
      else w.kill('SIGKILL');
    });
  }

  /** Forgets the current worker: its later messages and exit are ignored; previews sent to it wait for the next. */
  private detach(): void {
    this.worker = null;
    this.generation++;
    this.readyFlag = false;
    this.current = null;
    for (const p of this.previews.values()) p.sentTo = null;
    // A new worker starts with nothing loaded: nothing is left to free.
    for (const [id, f] of this.frees) {
      clearTimeout(f.timer);
      this.frees.delete(id);
      f.resolve([]);
    }
  }

  private spawn(): void {
    if (this.closed) return;
    const gen = ++this.generation;
    this.spawnedAt = this.now();
    this.readyFlag = false;
    const w = this.spawnFn(this.opts.workerScript);
    this.worker = w;
    w.on('message', (m: FromWorker) => {
      if (gen === this.generation) this.onMessage(m);
    });
    w.on('error', (err: Error) => {
      if (gen !== this.generation) return;
      void killWorker(w);
      this.onDeath(`Pipeline worker crashed: ${err.message}`);
    });
    w.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      if (gen === this.generation) this.onDeath(`Pipeline worker exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})`);
    });
    const setupFault = this.opts.faults?.testFault === 'setup';
    this.post(setupFault ? { type: 'init', config: this.opts.workerConfig, testFault: 'setup' } : { type: 'init', config: this.opts.workerConfig });
    this.sendPreviews();
    this.opts.handlers.spawned?.();
  }

  private scheduleSpawn(): void {
    if (this.closed || this.respawnTimer || this.worker) return;
    const base = this.opts.respawnBackoffMs ?? 1000;
    const delay = Math.min(MAX_BACKOFF_MS, base * 2 ** Math.max(0, this.crashStreak - 1));
    const wait = Math.max(0, delay - (this.now() - this.spawnedAt));
    if (wait === 0) {
      this.spawn();
      return;
    }
    this.respawnTimer = setTimeout(() => {
      this.respawnTimer = null;
      this.spawn();
    }, wait);
  }

  private onDeath(message: string): void {
    this.log(message);
    const lost = this.current;
    if (!this.readyFlag) this.crashStreak++;
    this.detach();
    if (lost) this.opts.handlers.lost(lost.jobId, message, 'exit');
    this.scheduleSpawn();
  }

  private post(m: ToWorker): void {
    const w = this.worker;
    if (w?.connected) w.send(m);
  }

  private sendPreviews(): void {
    if (!this.worker?.connected) return;
    for (const [id, p] of this.previews) {
      if (p.sentTo === this.generation) continue;
      p.sentTo = this.generation;
      this.post({ type: 'preview', id, request: p.request });
    }
  }

  private checkWatchdog(limitMs: number): void {
    const c = this.current;
    if (!c || this.closed) return;
    const silent = this.now() - c.lastMessageAt;
    // Loading the engines (first job, or after a restart) is silent and can take minutes on a
    // cold disk: it gets its own, longer allowance.
    if (silent < (this.readyFlag ? limitMs : Math.max(limitMs, this.opts.initAllowanceMs ?? 10 * 60_000))) return;
    const error = `No progress from the pipeline for ${Math.round(silent / 1000)} s; the worker was restarted`;
    this.restart(`job ${c.jobId}: ${error}`);
    this.opts.handlers.lost(c.jobId, error, 'watchdog');
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'log':
        this.log(m.message);
        return;
      case 'setup':
        this.lastSetupError = m.error;
        return;
      case 'ready':
        this.lastSetupError = m.setupError ?? null;
        this.readyFlag = true;
        this.crashStreak = 0;
        this.lastLoadSeconds = (this.now() - this.spawnedAt) / 1000;
        // The job's silence is counted from here: the engines were loading until now.
        if (this.current) this.current.lastMessageAt = this.now();
        this.opts.handlers.ready?.();
        return;
      case 'freed': {
        const f = this.frees.get(m.id);
        if (!f) return;
        this.frees.delete(m.id);
        clearTimeout(f.timer);
        f.resolve(m.released);
        return;
      }
      case 'preview-result':
      case 'preview-failed': {
        const p = this.previews.get(m.id);
        if (!p) return; // timed out already
        this.previews.delete(m.id);
        clearTimeout(p.timer);
        if (m.type === 'preview-result') p.resolve(m.result);
        else p.reject(new AppError(APP_STATUSES.find((s) => s === m.status) ?? 500, m.error));
        return;
      }
      default:
        if (this.current?.jobId === m.jobId) {
          this.current.lastMessageAt = this.now();
          if (m.type === 'done' || m.type === 'failed') this.current = null;
        }
        this.opts.handlers.message(m);
    }
  }
}
