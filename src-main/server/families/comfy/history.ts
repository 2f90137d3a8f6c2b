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

export class HistoryStore {
  private entries = new Map<string, HistoryEntry>();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private file: string | null,
    private cap = HISTORY_CAP,
  ) {}

  async load(): Promise<void> {
    if (!this.file) return;
    const text = await readFile(this.file, 'utf8').catch(() => null);
    if (!text) return;
    try {
      const list = JSON.parse(text) as [string, HistoryEntry][];
      for (const [id, e] of list) this.entries.set(id, e);
    } catch {
      // A corrupt history file must not stop the server; it is rewritten on the next job.
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
    this.entries.set(id, entry);
    while (this.entries.size > this.cap) this.entries.delete(this.entries.keys().next().value as string);
    return this.persist();
  }

  delete(ids: string[]): Promise<void> {
    for (const id of ids) this.entries.delete(id);
    return this.persist();
  }

  clear(): Promise<void> {
    this.entries.clear();
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

  private persist(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    // Writes are serialised so an older snapshot never lands after a newer one.
    this.saving = this.saving
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await writeFileAtomic(file, JSON.stringify([...this.entries.entries()]));
      })
      .catch(() => undefined);
    return this.saving;
  }
}
