// ComfyUI's queue side (PromptQueue): prompts by id and by job, their numbers and client ids, the
// queue order (pending and running lists, queue_remaining), events that arrive before a prompt is
// registered, and the finished prompts' history (persisted by HistoryStore). No sockets, no service.
import type { JobEvent } from '../../../core/service';
import { PromptRun } from './event-translator';
import type { GraphPlan } from './graph';
import { HistoryStore, type HistoryEntry } from './history';

/** [number, prompt_id, prompt, extra_data, outputs_to_execute]: GET /queue items and history `prompt`. */
export type QueueItem = HistoryEntry['prompt'];

export interface PromptEntry {
  readonly promptId: string;
  readonly number: number;
  readonly graph: Record<string, unknown>;
  readonly extraData: Record<string, unknown>;
  readonly clientId: string | null;
  readonly plan: GraphPlan;
  readonly jobId: string;
  /** Removed from the queue by POST /queue: no messages, no history. */
  cleared: boolean;
  /** Where its message sequence stands. */
  readonly run: PromptRun;
  /** Its events are handled strictly in order, each waiting for the file work of the last. */
  chain: Promise<void>;
}

export type NewPrompt = Pick<PromptEntry, 'promptId' | 'number' | 'graph' | 'extraData' | 'clientId' | 'plan' | 'jobId'>;

/** Events of jobs not registered yet kept at most (oldest dropped). */
const EARLY_CAP = 200;

export class PromptRegistry {
  readonly history: HistoryStore;
  private entries = new Map<string, PromptEntry>();
  private byJob = new Map<string, PromptEntry>();
  /** Events of our own jobs that arrived before submit() returned their id. */
  private early = new Map<string, JobEvent[]>();
  private counter = 0;

  /** `historyFile` null: history in memory only. `now` is the clock of the prompts' timestamps. */
  constructor(
    historyFile: string | null,
    private readonly now: () => number = Date.now,
  ) {
    this.history = new HistoryStore(historyFile);
  }

  load(): Promise<void> {
    return this.history.load();
  }

  /** A prompt_id a client may not choose again: queued, running or in history. */
  isUsed(promptId: string): boolean {
    return this.entries.has(promptId) || this.history.has(promptId);
  }

  /** ComfyUI's queue number: the client's own, else the next counter value (negated for `front`). */
  nextNumber(requested: unknown, front: boolean): number {
    if (typeof requested === 'number' && Number.isFinite(requested)) return requested;
    const number = this.counter++;
    return front ? -number : number;
  }

  /** Registers a submitted prompt; returns it with the events its job sent before this call. */
  add(prompt: NewPrompt): { entry: PromptEntry; early: JobEvent[] } {
    const state = { ...prompt, cleared: false, chain: Promise.resolve() };
    // The run reads `cleared` from this same object, so POST /queue silences it at once.
    const entry: PromptEntry = Object.assign(state, { run: new PromptRun(state, this.now) });
    this.entries.set(entry.promptId, entry);
    this.byJob.set(entry.jobId, entry);
    const early = this.early.get(entry.jobId) ?? [];
    this.early.delete(entry.jobId);
    return { entry, early };
  }

  get(promptId: string): PromptEntry | undefined {
    return this.entries.get(promptId);
  }

  forJob(jobId: string): PromptEntry | undefined {
    return this.byJob.get(jobId);
  }

  /** Keeps an event of one of our jobs whose prompt is not registered yet. */
  holdEarly(jobId: string, ev: JobEvent): void {
    if (this.early.size > EARLY_CAP) this.early.delete(this.early.keys().next().value as string);
    const list = this.early.get(jobId) ?? [];
    list.push(ev);
    this.early.set(jobId, list);
  }

  /** Every registered prompt, cleared ones included, in submission order. */
  all(): PromptEntry[] {
    return [...this.entries.values()];
  }

  /** Queued or running, not cleared, in submission order. */
  live(): PromptEntry[] {
    return this.all().filter((e) => !e.cleared);
  }

  pending(): PromptEntry[] {
    return this.live().filter((e) => e.run.state === 'pending');
  }

  running(): PromptEntry[] {
    return this.live().filter((e) => e.run.state === 'running');
  }

  queueItem(e: PromptEntry): QueueItem {
    return [e.number, e.promptId, e.graph, e.extraData, e.plan.outputs.map((o) => o.nodeId)];
  }

  /** POST /queue: marks pending prompts cleared (all, or those named); returns them. */
  clearPending(all: boolean, ids: string[]): PromptEntry[] {
    const victims = this.pending().filter((e) => all || ids.includes(e.promptId));
    for (const e of victims) e.cleared = true;
    return victims;
  }

  /**
   * Jobs still ahead in the lane: every family's (`laneActive`), plus our prompts not yet written
   * to history, without counting ours twice.
   */
  queueRemaining(laneActive: number, isJobActive: (jobId: string) => boolean): number {
    let ours = 0;
    let oursActiveInLane = 0;
    for (const e of this.entries.values()) {
      if (e.cleared) continue;
      ours++;
      if (isJobActive(e.jobId)) oursActiveInLane++;
    }
    return Math.max(0, laneActive - oursActiveInLane) + ours;
  }

  /** task_done: the history entry is written, then the prompt leaves the queue. */
  async complete(entry: PromptEntry, result: Omit<HistoryEntry, 'prompt'>): Promise<void> {
    await this.history.set(entry.promptId, { prompt: this.queueItem(entry), ...result });
    this.forget(entry);
  }

  /** Drops a prompt without history (a cleared one that finished). */
  forget(entry: PromptEntry): void {
    this.entries.delete(entry.promptId);
    this.byJob.delete(entry.jobId);
  }
}
