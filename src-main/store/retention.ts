// Retention: removes finished jobs (row and run folder) that are older than maxAgeDays or beyond
// the newest maxJobs. Active (pending/running) jobs are never touched. Runs at start and then
// hourly. Defaults keep 30 days of history with no count limit: long enough to come back to a
// campaign, bounded so a busy server's disk does not fill (a job is ~2-5 MB of PNGs).
import type { JobStore } from './db';
import type { RunFolders } from './run-folders';

export interface RetentionOptions {
  /** Finished jobs older than this many days are removed; null keeps them forever. Default 30. */
  maxAgeDays?: number | null;
  /** Only the newest N jobs are kept; null means no limit. Default null. */
  maxJobs?: number | null;
  /** Sweep interval; default one hour. */
  intervalMs?: number;
}

const DEFAULT_RETENTION = { maxAgeDays: 30, maxJobs: null, intervalMs: 3_600_000 } as const;

export interface SweepResult {
  removed: string[];
}

/** One sweep. `isActive` is asked again per job so a job the runner holds is never removed. */
export async function sweepRetention(
  store: JobStore,
  folders: RunFolders,
  options: RetentionOptions,
  now: number,
  isActive: (jobId: string) => boolean = () => false,
): Promise<SweepResult> {
  const maxAgeDays = options.maxAgeDays === undefined ? DEFAULT_RETENTION.maxAgeDays : options.maxAgeDays;
  const maxJobs = options.maxJobs === undefined ? DEFAULT_RETENTION.maxJobs : options.maxJobs;
  const ids = store.expiredJobIds({
    finishedBefore: maxAgeDays === null ? undefined : now - maxAgeDays * 86_400,
    keep: maxJobs === null ? undefined : maxJobs,
  });
  const removed: string[] = [];
  for (const id of ids) {
    const row = store.get(id);
    if (!row || row.status === 'pending' || row.status === 'running' || isActive(id)) continue;
    // Row first: once it is gone no reader can reach the folder; a crash before the folder goes
    // leaves only an orphan folder, never a row pointing at missing files.
    store.delete(id);
    await folders.remove(id);
    removed.push(id);
  }
  return { removed };
}

/** Sweeps now and then every intervalMs; returns the stop function. Errors are logged, not thrown. */
export function startRetention(
  store: JobStore,
  folders: RunFolders,
  options: RetentionOptions,
  isActive: (jobId: string) => boolean,
  log: (m: string) => void = () => {},
): { stop: () => void; sweep: () => Promise<SweepResult> } {
  const sweep = async () => {
    try {
      const r = await sweepRetention(store, folders, options, Date.now() / 1000, isActive);
      if (r.removed.length) log(`retention removed ${r.removed.length} job(s)`);
      return r;
    } catch (err) {
      log(`retention sweep failed: ${(err as Error).message}`);
      return { removed: [] };
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), options.intervalMs ?? DEFAULT_RETENTION.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), sweep };
}
