// Durable job history and learned timings in SQLite (libsql: Node-API, so the same binary loads in
// Node and Electron without a rebuild). WAL keeps readers (status pollers) off the writer's back.
//
// Disk full: every write goes through write(), which on SQLITE_FULL asks onFull() to make room (the
// data folder's ballast, store/disk.ts) and retries once, so a job's end can still be recorded and a
// job still deleted on a full disk. The WAL file is never truncated after a checkpoint (the default
// journal_size_limit), so space it once took is reused rather than asked of the disk again.
//
// Read-only: when the data folder or the database cannot be written (read-only mount, permissions),
// an existing history is opened read-only rather than not at all: `readOnly` says why, every write
// throws, and jobs the last process left active read as failed "interrupted" (they cannot be marked).
import Database from 'libsql';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ArtifactDigests, ArtifactName, EngineInfo, EngineReports, JobStatus, StepId, SubStepId, TimedStep } from '../core/jobs';
import type { JobCounts, JobRecord, ListJobsQuery } from '../core/service';
import { errorText, isDiskFull, isNotWritable } from './disk';

export type JobParams = JobRecord['parameters'];

/** One job as stored. Times are Unix seconds (float). */
export interface JobRow {
  id: string;
  status: JobStatus;
  client: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  startStep: 1 | 2 | 3;
  stopStep: 1 | 2 | 3;
  params: JobParams;
  progress: number;
  currentStep: StepId | null;
  subStep: SubStepId | null;
  message: string;
  error: string | null;
  engines: EngineInfo;
  /** Per role: engine, provider, prompt used, words understood, parameters ignored, fallback note. */
  engineReports?: EngineReports;
  provider: string | null;
  timings: Partial<Record<SubStepId, number>>;
  reusedSteps: StepId[];
  artifacts: ArtifactName[];
  /** SHA-256 and file identity of each artifact, recorded when it was written. */
  digests?: ArtifactDigests;
  /** Source job for from_job_id reruns. */
  fromJobId: string | null;
}

export type JobPatch = Partial<Omit<JobRow, 'id' | 'createdAt' | 'client' | 'params' | 'startStep' | 'stopStep' | 'fromJobId'>>;

export interface TimingRow {
  /** A sub-step, or MODEL_LOAD (then `engine` is a model id and ema_seconds are seconds per GiB). */
  subStep: TimedStep;
  engine: string;
  emaSeconds: number;
  samples: number;
  updatedAt: number;
}

/** Message and error given to jobs found active when the store opens (the process died under them). */
export const INTERRUPTED = 'interrupted';

const SCHEMA_VERSION = 3;

// Each entry migrates from version i to i+1; user_version records how far a file has come.
const MIGRATIONS: string[] = [
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL CHECK (status IN ('pending','running','completed','failed','stopped')),
     client TEXT NOT NULL,
     created_at REAL NOT NULL,
     started_at REAL,
     finished_at REAL,
     start_step INTEGER NOT NULL,
     stop_step INTEGER NOT NULL,
     params_json TEXT NOT NULL,
     progress INTEGER NOT NULL DEFAULT 0,
     current_step TEXT,
     sub_step TEXT,
     message TEXT NOT NULL DEFAULT '',
     error TEXT,
     engines_json TEXT NOT NULL DEFAULT '{}',
     provider TEXT,
     timings_json TEXT NOT NULL DEFAULT '{}',
     reused_steps_json TEXT NOT NULL DEFAULT '[]',
     artifacts_json TEXT NOT NULL DEFAULT '[]',
     from_job_id TEXT,
     search_text TEXT NOT NULL DEFAULT ''
   );
   CREATE INDEX jobs_created ON jobs (created_at DESC);
   CREATE INDEX jobs_status ON jobs (status, created_at DESC);
   CREATE TABLE timings (
     sub_step TEXT NOT NULL,
     engine TEXT NOT NULL,
     ema_seconds REAL NOT NULL,
     samples INTEGER NOT NULL,
     updated_at REAL NOT NULL,
     PRIMARY KEY (sub_step, engine)
   );`,
  // 2: what each engine said about its part (prompt used, words understood, parameters ignored).
  `ALTER TABLE jobs ADD COLUMN engine_reports_json TEXT NOT NULL DEFAULT '{}';`,
  // 3: SHA-256 + identity of each artifact when written, so damaged files are found on read.
  `ALTER TABLE jobs ADD COLUMN artifact_digests_json TEXT NOT NULL DEFAULT '{}';`,
];

interface DbJobRow {
  id: string;
  status: JobStatus;
  client: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  start_step: number;
  stop_step: number;
  params_json: string;
  progress: number;
  current_step: string | null;
  sub_step: string | null;
  message: string;
  error: string | null;
  engines_json: string;
  engine_reports_json: string;
  provider: string | null;
  timings_json: string;
  reused_steps_json: string;
  artifacts_json: string;
  artifact_digests_json?: string;
  from_job_id: string | null;
}

const step = (n: number): 1 | 2 | 3 => (n === 2 || n === 3 ? n : 1);

function fromDb(r: DbJobRow): JobRow {
  return {
    id: r.id,
    status: r.status,
    client: r.client,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    startStep: step(r.start_step),
    stopStep: step(r.stop_step),
    params: JSON.parse(r.params_json) as JobParams,
    progress: r.progress,
    currentStep: r.current_step as StepId | null,
    subStep: r.sub_step as SubStepId | null,
    message: r.message,
    error: r.error,
    engines: JSON.parse(r.engines_json) as EngineInfo,
    engineReports: JSON.parse(r.engine_reports_json) as EngineReports,
    provider: r.provider,
    timings: JSON.parse(r.timings_json) as JobRow['timings'],
    reusedSteps: JSON.parse(r.reused_steps_json) as StepId[],
    artifacts: JSON.parse(r.artifacts_json) as ArtifactName[],
    ...(r.artifact_digests_json && r.artifact_digests_json !== '{}' ? { digests: JSON.parse(r.artifact_digests_json) as ArtifactDigests } : {}),
    fromJobId: r.from_job_id,
  };
}

/** Lower-cased text the history search matches against: headline, prompts, id, client. */
function searchTextOf(row: Pick<JobRow, 'id' | 'client' | 'params'>): string {
  const p = row.params;
  return [row.id, row.client, p.text_content ?? '', p.bg_prompt, p.text_model_prompt].join('\n').toLowerCase();
}

// Column for each patchable field, with how its value is stored.
const PATCH_COLUMNS: { [K in keyof JobPatch]-?: [column: string, json: boolean] } = {
  status: ['status', false],
  startedAt: ['started_at', false],
  finishedAt: ['finished_at', false],
  progress: ['progress', false],
  currentStep: ['current_step', false],
  subStep: ['sub_step', false],
  message: ['message', false],
  error: ['error', false],
  engines: ['engines_json', true],
  engineReports: ['engine_reports_json', true],
  provider: ['provider', false],
  timings: ['timings_json', true],
  reusedSteps: ['reused_steps_json', true],
  artifacts: ['artifacts_json', true],
  digests: ['artifact_digests_json', true],
};

export interface JobStoreOptions {
  /** A write failed for lack of space: free some (the ballast) and say whether a retry may succeed. */
  onFull?: () => boolean;
}

/** Jobs found active in a history that cannot be written read as this. */
function asInterrupted(row: JobRow): JobRow {
  if (row.status !== 'pending' && row.status !== 'running') return row;
  return { ...row, status: 'failed', message: INTERRUPTED, error: INTERRUPTED, finishedAt: row.finishedAt ?? row.startedAt ?? row.createdAt };
}

function openDatabase(path: string, readonly: boolean, immutable = false): Database.Database {
  const db = immutable ? new Database(`file:${path}?immutable=1`, { readonly: true }) : new Database(path, readonly ? { readonly: true } : {});
  // Opening is lazy about the file: make it say now whether it can be read.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  return db;
}

export class JobStore {
  private readonly db: Database.Database;
  /** Ids of the jobs that were active when the store was opened and are now failed "interrupted". */
  readonly interruptedOnOpen: string[];
  /** Why the history could only be opened read-only ("EROFS: read-only file system"), else null. */
  readonly readOnly: string | null = null;
  private readonly getStmt: Database.Statement;
  private readonly patchCache = new Map<string, Database.Statement>();
  private readonly onFull: () => boolean;

  constructor(path: string, now: () => number = () => Date.now() / 1000, opts: JobStoreOptions = {}) {
    this.onFull = opts.onFull ?? (() => false);
    let db: Database.Database | null = null;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commit).
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      this.db = db;
      this.migrate();
      this.interruptedOnOpen = this.failInterrupted(now());
    } catch (err) {
      if (db?.open) db.close();
      // Not writable (read-only mount, permissions): serve the history there is, read-only.
      const cannotWrite = isNotWritable(err) || /ConnectionFailed|unable to open|readonly/i.test(String((err as Error)?.message ?? err));
      if (!cannotWrite) throw err;
      if (!existsSync(path)) {
        throw new Error(`Cannot create the job history ${path}: ${errorText(err)}. Make the data folder writable or choose another (--data-dir).`, {
          cause: err,
        });
      }
      this.db = JobStore.openReadOnly(path, err);
      this.readOnly = errorText(err);
      const version = this.userVersion();
      // Schema 2 reads fine without the digests column (3); older ones need their migration written.
      if (version > SCHEMA_VERSION || version < 2) {
        this.db.close();
        const why =
          version > SCHEMA_VERSION
            ? `schema ${version} is newer than this AdForge (${SCHEMA_VERSION})`
            : `it needs an upgrade (schema ${version} → ${SCHEMA_VERSION})`;
        throw new Error(`Cannot open the job history ${path}: ${why}, and it cannot be written (${errorText(err)})`, { cause: err });
      }
      this.interruptedOnOpen = (this.db.prepare("SELECT id FROM jobs WHERE status IN ('pending','running')").all() as { id: string }[]).map((r) => r.id);
    }
    this.getStmt = this.db.prepare('SELECT * FROM jobs WHERE id = ?');
  }

  /** Read-only, and when SQLite cannot even create the WAL's shared-memory file there, as an immutable file. */
  private static openReadOnly(path: string, cause: unknown): Database.Database {
    try {
      return openDatabase(path, true);
    } catch {
      try {
        return openDatabase(path, true, true);
      } catch (err) {
        throw new Error(`Cannot open the job history ${path} (${errorText(cause)}; read-only: ${errorText(err)})`, { cause: err });
      }
    }
  }

  /** Runs a write; on "database or disk is full" lets onFull make room and tries once more. */
  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (isDiskFull(err) && this.onFull()) return fn();
      throw err;
    }
  }

  private row(r: DbJobRow): JobRow {
    const row = fromDb(r);
    return this.readOnly ? asInterrupted(row) : row;
  }

  private userVersion(): number {
    const row = this.db.prepare('PRAGMA user_version').all()[0] as { user_version: number } | undefined;
    return row?.user_version ?? 0;
  }

  private migrate(): void {
    const from = this.userVersion();
    if (from > SCHEMA_VERSION) throw new Error(`Database schema ${from} is newer than this AdForge (${SCHEMA_VERSION}); upgrade AdForge.`);
    for (let v = from; v < SCHEMA_VERSION; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.exec(`PRAGMA user_version = ${v + 1}`);
      })();
    }
  }

  /** A job cannot still be running when the store opens: its process is gone. Keep its files. */
  private failInterrupted(now: number): string[] {
    const rows = this.db.prepare("SELECT id FROM jobs WHERE status IN ('pending','running')").all() as { id: string }[];
    const ids = rows.map((r) => r.id);
    if (ids.length) {
      this.db
        .prepare("UPDATE jobs SET status = 'failed', message = ?, error = ?, finished_at = ? WHERE status IN ('pending','running')")
        .run(INTERRUPTED, INTERRUPTED, now);
    }
    return ids;
  }

  insert(row: JobRow): void {
    this.write(() => this.insertRow(row));
  }

  private insertRow(row: JobRow): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, status, client, created_at, started_at, finished_at, start_step, stop_step, params_json,
           progress, current_step, sub_step, message, error, engines_json, engine_reports_json, provider, timings_json,
           reused_steps_json, artifacts_json, artifact_digests_json, from_job_id, search_text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        row.status,
        row.client,
        row.createdAt,
        row.startedAt,
        row.finishedAt,
        row.startStep,
        row.stopStep,
        JSON.stringify(row.params),
        row.progress,
        row.currentStep,
        row.subStep,
        row.message,
        row.error,
        JSON.stringify(row.engines),
        JSON.stringify(row.engineReports ?? {}),
        row.provider,
        JSON.stringify(row.timings),
        JSON.stringify(row.reusedSteps),
        JSON.stringify(row.artifacts),
        JSON.stringify(row.digests ?? {}),
        row.fromJobId,
        searchTextOf(row),
      );
  }

  update(id: string, patch: JobPatch): void {
    const keys = (Object.keys(patch) as (keyof JobPatch)[]).filter((k) => patch[k] !== undefined);
    if (!keys.length) return;
    const sig = keys.join(',');
    let stmt = this.patchCache.get(sig);
    if (!stmt) {
      stmt = this.db.prepare(`UPDATE jobs SET ${keys.map((k) => `${PATCH_COLUMNS[k][0]} = ?`).join(', ')} WHERE id = ?`);
      this.patchCache.set(sig, stmt);
    }
    const values = keys.map((k) => (PATCH_COLUMNS[k][1] ? JSON.stringify(patch[k]) : patch[k]));
    const s = stmt;
    this.write(() => s.run(...values, id));
  }

  get(id: string): JobRow | undefined {
    const r = this.getStmt.get(id) as DbJobRow | undefined;
    return r ? this.row(r) : undefined;
  }

  /** WHERE clause and arguments of a history filter; `search` matches headline, prompts, id and client (case-insensitive substring). */
  private filterOf(query: Pick<ListJobsQuery, 'status' | 'search'>): { where: string; args: string[] } {
    const where: string[] = [];
    const args: string[] = [];
    if (query.status && this.readOnly && query.status === 'failed') {
      where.push("status IN ('failed','pending','running')");
    } else if (query.status && this.readOnly && (query.status === 'pending' || query.status === 'running')) {
      where.push('0');
    } else if (query.status) {
      where.push('status = ?');
      args.push(query.status);
    }
    const term = query.search?.trim().toLowerCase();
    if (term) {
      where.push("search_text LIKE ? ESCAPE '\\'");
      args.push(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
  }

  /** Newest first, at most `limit` (default 100, at most 1000) from `offset`. */
  list(query: ListJobsQuery = {}): JobRow[] {
    const { where, args } = this.filterOf(query);
    const limit = Math.max(1, Math.min(1000, Math.floor(query.limit ?? 100)));
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const sql = `SELECT * FROM jobs ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`;
    return (this.db.prepare(sql).all(...args, limit, offset) as DbJobRow[]).map((r) => this.row(r));
  }

  /** How many jobs match the filter, however many pages they fill. */
  count(query: Pick<ListJobsQuery, 'status' | 'search'> = {}): number {
    const { where, args } = this.filterOf(query);
    const row = this.db.prepare(`SELECT COUNT(*) AS n FROM jobs ${where}`).get(...args) as { n: number };
    return row.n;
  }

  counts(): JobCounts {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: JobStatus; n: number }[];
    const stored = (s: JobStatus) => rows.find((r) => r.status === s)?.n ?? 0;
    // Read-only: the jobs left active read as failed (see asInterrupted).
    const by = (s: JobStatus) =>
      !this.readOnly
        ? stored(s)
        : s === 'failed'
          ? stored('failed') + stored('pending') + stored('running')
          : s === 'pending' || s === 'running'
            ? 0
            : stored(s);
    const total = rows.reduce((a, r) => a + r.n, 0);
    return {
      total_jobs: total,
      active_jobs: by('running') + by('pending'),
      completed_jobs: by('completed'),
      failed_jobs: by('failed'),
      stopped_jobs: by('stopped'),
      pending_jobs: by('pending'),
    };
  }

  delete(id: string): boolean {
    return this.write(() => this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id).changes > 0);
  }

  /** Finished jobs (never active ones) that retention may remove: older than `finishedBefore`, or beyond the newest `keep`. */
  expiredJobIds(opts: { finishedBefore?: number; keep?: number }): string[] {
    const ids = new Set<string>();
    if (opts.finishedBefore !== undefined) {
      const rows = this.db
        .prepare("SELECT id FROM jobs WHERE status NOT IN ('pending','running') AND COALESCE(finished_at, created_at) < ?")
        .all(opts.finishedBefore) as { id: string }[];
      for (const r of rows) ids.add(r.id);
    }
    if (opts.keep !== undefined) {
      // Active jobs count towards the kept number but are never returned.
      const rows = this.db
        .prepare('SELECT id, status FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?')
        .all(Math.max(0, Math.floor(opts.keep))) as { id: string; status: JobStatus }[];
      for (const r of rows) if (r.status !== 'pending' && r.status !== 'running') ids.add(r.id);
    }
    return [...ids];
  }

  timings(): TimingRow[] {
    const rows = this.db.prepare('SELECT * FROM timings').all() as {
      sub_step: TimedStep;
      engine: string;
      ema_seconds: number;
      samples: number;
      updated_at: number;
    }[];
    return rows.map((r) => ({ subStep: r.sub_step, engine: r.engine, emaSeconds: r.ema_seconds, samples: r.samples, updatedAt: r.updated_at }));
  }

  saveTiming(t: TimingRow): void {
    this.write(() => this.saveTimingRow(t));
  }

  private saveTimingRow(t: TimingRow): void {
    this.db
      .prepare(
        `INSERT INTO timings (sub_step, engine, ema_seconds, samples, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (sub_step, engine) DO UPDATE SET ema_seconds = excluded.ema_seconds, samples = excluded.samples, updated_at = excluded.updated_at`,
      )
      .run(t.subStep, t.engine, t.emaSeconds, t.samples, t.updatedAt);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
