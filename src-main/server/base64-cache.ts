// Base64 of artifact PNGs, kept in a byte-bounded LRU so that clients polling GET /status every
// few seconds (the nanoCocoa contract returns images inline) do not re-read and re-encode files.
//
// A hit touches no file system: artifacts are written once (temp name, then rename) under a
// unique job id, and the owner evicts an entry when a step result is (re)written or a job is
// deleted. That matters because the libuv thread pool is shared with the pipeline worker's sharp
// calls: an fs.stat per poll would queue behind image encodes and add tens of milliseconds.
import { readFileSync } from 'node:fs';

export class Base64Cache {
  /** ASCII bytes of the base64 text: spliced into the JSON body without another copy. */
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes = 96 * 1024 * 1024) {}

  get size(): number {
    return this.entries.size;
  }

  /** Base64 (ASCII bytes) of the file, or null when it cannot be read. */
  get(filePath: string): Buffer | null {
    const hit = this.entries.get(filePath);
    if (hit) {
      this.entries.delete(filePath); // refresh LRU position
      this.entries.set(filePath, hit);
      return hit;
    }
    let raw: Buffer;
    try {
      // Synchronous on purpose: a page-cached PNG of a few MB reads in well under a millisecond,
      // once per artifact, instead of waiting for a thread-pool slot behind the pipeline.
      raw = readFileSync(filePath);
    } catch {
      return null;
    }
    const base64 = Buffer.from(raw.toString('base64'), 'latin1');
    if (base64.length <= this.maxBytes) {
      this.entries.set(filePath, base64);
      this.bytes += base64.length;
      for (const [key, entry] of this.entries) {
        if (this.bytes <= this.maxBytes) break;
        this.entries.delete(key);
        this.bytes -= entry.length;
      }
    }
    return base64;
  }

  evict(filePath: string): void {
    const e = this.entries.get(filePath);
    if (e) {
      this.entries.delete(filePath);
      this.bytes -= e.length;
    }
  }

  /** Drops every entry under a folder (a deleted job's run folder). */
  evictPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.evict(key);
  }

  /** Drops every entry whose path has this folder name in it (the folder itself may be gone). */
  evictFolderNamed(name: string, sep: string): void {
    const part = `${sep}${name}${sep}`;
    for (const key of [...this.entries.keys()]) if (key.includes(part)) this.evict(key);
  }
}
