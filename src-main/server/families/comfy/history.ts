// ComfyUI's prompt history: insertion-ordered, capped, and (unlike ComfyUI) kept on disk so a
// restart does not forget which images a client's prompt produced. Slicing follows server.py:
// max_items without offset returns the LAST N; offset is an index into the insertion order.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../../imaging/atomic-write';

export type ImageRef = { filename: string; subfolder: string; type: 'output' | 'temp' | 'input' };
export type StatusMessage = [string, Record<string, unknown>];

export interface HistoryEntry {
  /** [number, prompt_id, prompt, extra_data, outputs_to_execute] */
  prompt: [number, string, Record<string, unknown>, Record<string, unknown>, string[]];
  outputs: Record<string, { images: ImageRef[] }>;
  status: { status_str: 'success' | 'error'; completed: boolean; messages: StatusMessage[] };
  meta: Record<string, { node_id: string; display_node: string; parent_node: null; real_node_id: string }>;
}

export const HISTORY_CAP = 10000;

/**
 * The entry as stored: its own JSON, made once when it is set. An entry that cannot be serialised
 * (nested too deep for JSON.stringify, say) is kept without its prompt graph and extra_data, so one
 * prompt never stops the others from being saved or listed.
 */
function serialise(id: string, entry: HistoryEntry): { entry: HistoryEntry; json: string } | null {
  try {
    return { entry, json: JSON.stringify(entry) };
  } catch {
    const [number, promptId, , , outputs] = entry.prompt;
    const reduced: HistoryEntry = {
      ...entry,
      prompt: [number, promptId, {}, { note: `prompt ${id} could not be stored as JSON; its graph and extra_data were dropped` }, outputs],
    };
    try {
      return { entry: reduced, json: JSON.stringify(reduced) };
    } catch {
      return null;
    }
  }
}

export class HistoryStore {
  private entries = new Map<string, HistoryEntry>();
  /** Each entry's JSON, so a save joins strings instead of re-serialising (and re-risking) everything. */
  private json = new Map<string, string>();
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  private writing = false;

  constructor(
    private file: string | null,
    private cap = HISTORY_CAP,
  ) {}

  async load(): Promise<void> {
    if (!this.file) return;
    const text = await readFile(this.file, 'utf8').catch(() => null);
    if (!text) return;
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch {
      // A corrupt history file must not stop the server; it is rewritten on the next job.
      return;
    }
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (!Array.isArray(item) || typeof item[0] !== 'string' || item[1] === null || typeof item[1] !== 'object') continue;
      const s = serialise(item[0], item[1] as HistoryEntry);
      if (!s) continue;
      this.entries.set(item[0], s.entry);
      this.json.set(item[0], s.json);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): HistoryEntry | undefined {
    return this.entries.get(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  set(id: string, entry: HistoryEntry): Promise<void> {
    this.entries.delete(id);
    this.json.delete(id);
    const s = serialise(id, entry);
    this.entries.set(id, s?.entry ?? entry);
    if (s) this.json.set(id, s.json);
    while (this.entries.size > this.cap) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.json.delete(oldest);
    }
    return this.persist();
  }

  delete(ids: string[]): Promise<void> {
    for (const id of ids) {
      this.entries.delete(id);
      this.json.delete(id);
    }
    return this.persist();
  }

  clear(): Promise<void> {
    this.entries.clear();
    this.json.clear();
    return this.persist();
  }

  /** GET /history?max_items=&offset= */
  slice(maxItems?: number, offset?: number): Record<string, HistoryEntry> {
    const all = [...this.entries.entries()];
    let start = offset ?? 0;
    if (maxItems !== undefined && offset === undefined) start = Math.max(0, all.length - maxItems);
    if (start < 0) start = 0;
    const end = maxItems !== undefined ? start + maxItems : all.length;
    return Object.fromEntries(all.slice(start, end));
  }

  /** The file's text now: [[id, entry], ...] in insertion order, from each entry's own JSON. */
  private text(): string {
    const parts: string[] = [];
    for (const [id, json] of this.json) parts.push(`[${JSON.stringify(id)},${json}]`);
    return `[${parts.join(',')}]`;
  }

  /**
   * Saves the current state. Writes never overlap and never go backwards: while one is on disk,
   * later changes are coalesced into one more write. A failed write is dropped (the next change
   * writes everything again); it never blocks the prompts that follow.
   */
  private persist(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    this.dirty = true;
    if (this.writing) return this.saving;
    this.writing = true;
    this.saving = (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          try {
            await mkdir(dirname(file), { recursive: true });
            await writeFileAtomic(file, this.text());
          } catch {
            // Disk full or read-only: the history stays in memory and is written with the next change.
          }
        }
      } finally {
        this.writing = false;
      }
    })();
    return this.saving;
  }
}
