// ComfyUI's queue side (PromptQueue): prompts by id and by job, their numbers and client ids, the
// queue order (pending and running lists, queue_remaining), events that arrive before a prompt is
// registered, and the finished prompts' history (persisted by HistoryStore). No sockets, no service.
// The queue itself is kept on disk too (queue.json): a prompt queued or running when the process was
// killed comes back at the next start as a failed, interrupted history entry instead of vanishing.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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
  /** Who submitted it (a digest of the API key presented, or null): without a client_id its messages go to that user's sockets. */
  readonly owner: string | null;
  readonly plan: GraphPlan;
  readonly jobId: string;
  /** Removed from the queue by POST /queue: no messages, no history. */
  cleared: boolean;
  /** Cancelled while pending through Comfy Cloud's /api/jobs/{id}/cancel: off the queue, but kept in history as cancelled. */
  cancelled: boolean;
  /** Where its message sequence stands. */
  readonly run: PromptRun;
  /** Its events are handled strictly in order, each waiting for the file work of the last. */
  chain: Promise<void>;
}

export type NewPrompt = Pick<PromptEntry, 'promptId' | 'number' | 'graph' | 'extraData' | 'clientId' | 'plan' | 'jobId'> & { owner?: string | null };

/** A queued prompt as queue.json keeps it: enough to write its history entry after a crash. */
interface StoredPrompt {
  promptId: string;
  number: number;
  graph: Record<string, unknown>;
  extraData: Record<string, unknown>;
  outputs: string[];
  jobId: string;
}

/** What became of an interrupted prompt's job, as the service says now. */
export type JobOutcome = { status: string; error: string | null } | undefined;

/**
 * Temp file + rename, without fsync: queue.json must survive the process being killed (the page
 * cache does), not a power cut, and an fsync per submitted prompt would queue behind image work on
 * the thread pool that /health and every other request share.
 */
async function replaceFile(file: string, text: string): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Events of jobs not registered yet kept at most (oldest dropped). */
const EARLY_CAP = 200;

export class PromptRegistry {
  readonly history: HistoryStore;
  private entries = new Map<string, PromptEntry>();
  private byJob = new Map<string, PromptEntry>();
  /** Events of our own jobs that arrived before submit() returned their id. */
  private early = new Map<string, JobEvent[]>();
  private counter = 0;

  private queueSaving: Promise<void> = Promise.resolve();
  private queueDirty = false;
  private queueWriting = false;

  /**
   * `historyFile` null: history in memory only. `queueFile`: where the live queue is kept for crash
   * recovery (null: not kept). `now` is the clock of the prompts' timestamps.
   */
  constructor(
    historyFile: string | null,
    private readonly now: () => number = Date.now,
    private readonly queueFile: string | null = null,
  ) {
    this.history = new HistoryStore(historyFile);
  }

  load(): Promise<void> {
    return this.history.load();
  }

  /**
   * After a restart: every prompt the last process had queued or running and never finished goes
   * into history as failed ("interrupted"), with what its job says now. Returns their ids.
   */
  async recoverInterrupted(outcome: (jobId: string) => JobOutcome): Promise<string[]> {
    if (!this.queueFile) return [];
    const text = await readFile(this.queueFile, 'utf8').catch(() => null);
    if (!text) return [];
    let stored: StoredPrompt[] = [];
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed)) stored = parsed as StoredPrompt[];
    } catch {
      // An unreadable queue file (torn by the crash itself) cannot name anything to recover.
    }
    const recovered: string[] = [];
    for (const p of stored) {
      if (!p || typeof p.promptId !== 'string' || this.history.has(p.promptId) || this.entries.has(p.promptId)) continue;
      const job = outcome(String(p.jobId));
      const ts = this.now();
      const reason =
        job?.status === 'completed'
          ? 'the server stopped before its outputs were saved'
          : `interrupted: ${job?.error && job.error !== 'interrupted' ? job.error : 'the server stopped before this prompt finished'}`;
      const error = {
        prompt_id: p.promptId,
        node_id: '',
        node_type: '',
        executed: [],
        exception_message: reason,
        exception_type: 'adforge.Interrupted',
        traceback: [],
        current_inputs: {},
        current_outputs: [],
        timestamp: ts,
      };
      await this.history.set(p.promptId, {
        prompt: [p.number, p.promptId, p.graph ?? {}, p.extraData ?? {}, Array.isArray(p.outputs) ? p.outputs : []],
        outputs: {},
        status: { status_str: 'error', completed: false, messages: [['execution_error', error]] },
        meta: {},
      });
      recovered.push(p.promptId);
    }
    await this.persistQueue();
    return recovered;
  }

  /** Writes the live queue (coalesced, atomic); a failure only costs crash recovery, never a prompt. */
  private persistQueue(): Promise<void> {
    const file = this.queueFile;
    if (!file) return Promise.resolve();
    this.queueDirty = true;
    if (this.queueWriting) return this.queueSaving;
    this.queueWriting = true;
    this.queueSaving = (async () => {
      try {
        while (this.queueDirty) {
          this.queueDirty = false;
          const list: StoredPrompt[] = this.live().map((e) => ({
            promptId: e.promptId,
            number: e.number,
            graph: e.graph,
            extraData: e.extraData,
            outputs: e.plan.outputs.map((o) => o.nodeId),
            jobId: e.jobId,
          }));
          try {
            await mkdir(dirname(file), { recursive: true });
            await replaceFile(file, JSON.stringify(list));
          } catch {
            // Disk trouble: recovery after a crash may miss these prompts; serving goes on.
          }
        }
      } finally {
        this.queueWriting = false;
      }
    })();
    return this.queueSaving;
  }

  /** Resolves once the queue file reflects every change so far (tests, shutdown). */
  flushQueue(): Promise<void> {
    return this.queueSaving;
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
    const state = { ...prompt, owner: prompt.owner ?? null, cleared: false, cancelled: false, chain: Promise.resolve() };
    // The run reads `cleared` from this same object, so POST /queue silences it at once.
    const entry: PromptEntry = Object.assign(state, { run: new PromptRun(state, this.now) });
    this.entries.set(entry.promptId, entry);
    this.byJob.set(entry.jobId, entry);
    const early = this.early.get(entry.jobId) ?? [];
    this.early.delete(entry.jobId);
    void this.persistQueue();
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
    const wanted = new Set(ids);
    const victims = this.pending().filter((e) => all || wanted.has(e.promptId));
    for (const e of victims) e.cleared = true;
    if (victims.length > 0) void this.persistQueue();
    return victims;
  }

  /** Comfy Cloud's cancel of a pending prompt: off the queue like a delete, but it will be in history as cancelled. */
  cancelPending(promptId: string): PromptEntry | null {
    const [victim] = this.clearPending(false, [promptId]);
    if (!victim) return null;
    victim.cancelled = true;
    return victim;
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
    void this.persistQueue();
  }
}
