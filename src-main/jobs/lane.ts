// The job lane as a pure state machine: a bounded FIFO queue, at most one active job, and stop
// requests. No process, no timers, no I/O: the clock is injected, and the caller (the JobRunner
// facade) turns the states this returns into worker messages, store updates and timers. Like
// ComfyUI's PromptQueue, it knows nothing about how a job is executed.
//
// Stop: a queued job is removed at once; a running job gets an abort request with a deadline
// (now + stopGraceMs). If it has not finished by then, overdueStop() names it and the caller kills
// the worker.
import { BusyError } from '../core/errors';

/** The queue already holds `maxQueue` jobs: 503 with Retry-After, like a busy lane. */
export class QueueFullError extends BusyError {
  constructor(
    retryAfterSeconds: number,
    readonly maxQueue: number,
  ) {
    super(retryAfterSeconds);
    this.name = 'QueueFullError';
  }
}

/** The lane was closed (the server is shutting down); nothing more is taken. */
export class LaneClosedError extends Error {
  constructor() {
    super('job runner is closed');
    this.name = 'LaneClosedError';
  }
}

export interface LaneOptions {
  /** Most jobs waiting behind the active one; further enqueues throw QueueFullError. Default: no bound. */
  maxQueue?: number;
  /** How long a running job may take to honour an abort before overdueStop() reports it. Default 1200 ms. */
  stopGraceMs?: number;
  /** Milliseconds, monotonic enough for deadlines. Default Date.now. */
  now?: () => number;
  /** Seconds until the lane is free, for the Retry-After of BusyError/QueueFullError. Default 1. */
  retryAfterSeconds?: () => number;
}

export interface LaneEntry<T> {
  id: string;
  data: T;
  enqueuedAt: number;
}

export interface ActiveEntry<T> extends LaneEntry<T> {
  startedAt: number;
  /** Set once a stop was requested: when, and by when the job must have finished. */
  stop: { requestedAt: number; deadline: number } | null;
}

export type StopResult<T> =
  /** It was waiting: removed from the queue, nothing ran. */
  | { kind: 'dequeued'; entry: LaneEntry<T> }
  /** It is running: send the abort now; kill it if it is still active at `deadline`. */
  | { kind: 'abort'; entry: ActiveEntry<T>; deadline: number }
  /** A stop was already requested for the running job. */
  | { kind: 'stopping'; entry: ActiveEntry<T>; deadline: number }
  /** Not in the lane (finished, or never submitted). */
  | { kind: 'unknown' };

export class Lane<T> {
  private readonly queue: LaneEntry<T>[] = [];
  private current: ActiveEntry<T> | null = null;
  private closedFlag = false;
  private readonly maxQueue: number;
  private readonly stopGraceMs: number;
  private readonly now: () => number;
  private readonly retryAfter: () => number;

  constructor(opts: LaneOptions = {}) {
    this.maxQueue = opts.maxQueue ?? Infinity;
    if (!(this.maxQueue >= 0)) throw new RangeError(`maxQueue must be >= 0, got ${opts.maxQueue}`);
    this.stopGraceMs = opts.stopGraceMs ?? 1200;
    this.now = opts.now ?? Date.now;
    this.retryAfter = opts.retryAfterSeconds ?? (() => 1);
  }

  get active(): ActiveEntry<T> | null {
    return this.current;
  }

  /** Waiting jobs, oldest first (a copy). */
  get queued(): readonly LaneEntry<T>[] {
    return [...this.queue];
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  get busy(): boolean {
    return this.current !== null || this.queue.length > 0;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  has(id: string): boolean {
    return this.current?.id === id || this.queue.some((e) => e.id === id);
  }

  /**
   * Appends a job. Throws LaneClosedError after close(), BusyError when the lane is taken and
   * `queue` is false, QueueFullError when `maxQueue` jobs are already waiting, and an Error for a
   * duplicate id.
   */
  enqueue(id: string, data: T, opts: { queue: boolean } = { queue: true }): LaneEntry<T> {
    if (this.closedFlag) throw new LaneClosedError();
    if (this.has(id)) throw new Error(`job ${id} is already in the lane`);
    if (!opts.queue && this.busy) throw new BusyError(this.retryAfter());
    // The active job does not count: with maxQueue 0 the lane takes a job only when it is idle.
    if (this.busy && this.queue.length >= this.maxQueue) throw new QueueFullError(this.retryAfter(), this.maxQueue);
    const entry: LaneEntry<T> = { id, data, enqueuedAt: this.now() };
    this.queue.push(entry);
    return entry;
  }

  /** Makes the oldest waiting job active, when none is. Returns it, or null (busy or empty). */
  startNext(): ActiveEntry<T> | null {
    if (this.current || this.closedFlag) return null;
    const next = this.queue.shift();
    if (!next) return null;
    this.current = { ...next, startedAt: this.now(), stop: null };
    return this.current;
  }

  /**
   * The active job `id` has ended (any outcome): frees the lane and returns its entry, or null when
   * `id` is not the active job (a late report from a job already finished or killed).
   */
  finish(id: string): ActiveEntry<T> | null {
    const a = this.current;
    if (!a || a.id !== id) return null;
    this.current = null;
    return a;
  }

  requestStop(id: string): StopResult<T> {
    const qi = this.queue.findIndex((e) => e.id === id);
    if (qi >= 0) return { kind: 'dequeued', entry: this.queue.splice(qi, 1)[0] };
    const a = this.current;
    if (!a || a.id !== id) return { kind: 'unknown' };
    if (a.stop) return { kind: 'stopping', entry: a, deadline: a.stop.deadline };
    const t = this.now();
    a.stop = { requestedAt: t, deadline: t + this.stopGraceMs };
    return { kind: 'abort', entry: a, deadline: a.stop.deadline };
  }

  /** The active job, when a stop was requested for it and its deadline has passed: kill it. */
  overdueStop(): ActiveEntry<T> | null {
    const a = this.current;
    return a?.stop && this.now() >= a.stop.deadline ? a : null;
  }

  /** Milliseconds until the active job's stop deadline (0 when overdue), or null without a stop. */
  stopRemainingMs(): number | null {
    const a = this.current;
    return a?.stop ? Math.max(0, a.stop.deadline - this.now()) : null;
  }

  /** Takes nothing more; returns what was waiting and what was running, and empties the lane. */
  close(): { queued: LaneEntry<T>[]; active: ActiveEntry<T> | null } {
    this.closedFlag = true;
    const queued = this.queue.splice(0);
    const active = this.current;
    this.current = null;
    return { queued, active };
  }
}
