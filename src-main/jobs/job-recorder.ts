// Writes what happens to a job into the store and tells the adapters (emit): start, progress,
// engines, step results, the end (status, message, artifacts, timings), and learns sub-step
// timings (the EMA model in eta.ts) so later estimates improve. It decides nothing: the lane says
// which job runs, the supervisor says what the worker reported.
//
// A store write that fails (disk full, read-only) never escapes: it is logged and the job goes on,
// or ends, in memory, so one job's trouble cannot stall the lane or take the server down. At the end
// of a job the artifact list is read from the folder and every file the worker did not report a
// digest for (it died first) is hashed here, so the list and the digests match the files on disk.
import {
  ARTIFACTS,
  SUB_STEPS,
  STEP_IDS,
  type ArtifactDigests,
  type ArtifactName,
  type EngineInfo,
  type EngineReports,
  type JobStatus,
  type StepId,
  type SubStepId,
} from '../core/jobs';
import { StoppedError } from '../core/errors';
import { join } from 'node:path';
import { formatBytes } from '../core/format';
import { digestFileSync } from '../store/artifact-digest';
import type { JobPatch, JobStore, TimingRow } from '../store/db';
import { errorText, isDiskFull } from '../store/disk';
import type { RunFolders } from '../store/run-folders';
import { JobProgress, TimingModel, expectedTotal, type ProgressSnapshot } from './eta';
import type { JobMessage } from './protocol';
import { INTERRUPTED } from '../store/db';

export type RunnerEvent =
  | { type: 'started'; jobId: string }
  | { type: 'progress'; jobId: string }
  | { type: 'step-result'; jobId: string; step: StepId; artifact: ArtifactName }
  | { type: 'finished'; jobId: string; status: JobStatus };

export interface LiveStatus extends ProgressSnapshot {
  elapsed_sec: number;
}

export type FinalStatus = 'completed' | 'failed' | 'stopped';

export interface JobRecorderOptions {
  store: Pick<JobStore, 'update' | 'timings' | 'saveTiming'>;
  folders: Pick<RunFolders, 'listArtifactsSync'> & Partial<Pick<RunFolders, 'dirOf'>>;
  emit: (event: RunnerEvent) => void;
  /** Wall clock, Unix seconds. */
  now?: () => number;
  log?: (message: string) => void;
}

/** The user-facing error of a job that failed for lack of disk space. */
export function diskFullError(error: string): string {
  return `Disk full: the data folder ran out of space while this job was saving its results (${error}). Free disk space or delete jobs, then run it again.`;
}

/**
 * The artifacts in a run folder and their digests: recorded ones kept while the file is there, the
 * missing ones computed now, the ones of files no longer there dropped.
 */
export function reconcileDigests(dir: string, present: ArtifactName[], recorded: ArtifactDigests | undefined): ArtifactDigests {
  const out: ArtifactDigests = {};
  for (const name of present) {
    const known = recorded?.[name];
    if (known) out[name] = known;
    else {
      const d = digestFileSync(join(dir, ARTIFACTS[name]));
      if (d) out[name] = d;
    }
  }
  return out;
}

/** One running job as the recorder tracks it. */
export interface RunRecord {
  readonly jobId: string;
  readonly plan: SubStepId[];
  readonly startedAt: number;
  progress: JobProgress;
  engines: EngineInfo;
  reports: EngineReports;
  provider: string | null;
  timings: Partial<Record<SubStepId, number>>;
  stopping: boolean;
  /** Digests the worker reported for this job's files. */
  digests: ArtifactDigests;
  /** Models the worker said this job will load (id → bytes), and what their loads measured. */
  loads: {
    planned: Map<string, number>;
    measured: Map<string, { bytes: number; seconds: number }>;
    /** Seconds spent loading planned models, per sub-step: not the sub-step's own work. */
    bySubStep: Partial<Record<SubStepId, number>>;
  };
}

const LABELS = new Map<SubStepId, string>(STEP_IDS.flatMap((s) => SUB_STEPS[s].map((x) => [x.id as SubStepId, x.label] as const)));
export const STOPPED_MESSAGE = new StoppedError().message;

export class JobRecorder {
  private readonly store: JobRecorderOptions['store'];
  private readonly folders: JobRecorderOptions['folders'];
  private readonly emit: JobRecorderOptions['emit'];
  private readonly now: () => number;
  private readonly timing: TimingModel;
  private readonly log: (m: string) => void;

  /** Engines and provider of the most recent job (for /health before any job runs in this process). */
  lastEngines: EngineInfo = {};
  lastProvider: string | null = null;

  constructor(opts: JobRecorderOptions) {
    this.store = opts.store;
    this.folders = opts.folders;
    this.emit = opts.emit;
    this.now = opts.now ?? (() => Date.now() / 1000);
    this.log = opts.log ?? (() => {});
    this.timing = new TimingModel(this.store.timings());
  }

  /** A store write that must not stop the job or the lane when it fails (disk full, read-only): logged. */
  private save(jobId: string, patch: JobPatch): boolean {
    try {
      this.store.update(jobId, patch);
      return true;
    } catch (err) {
      this.log(`job ${jobId}: could not record ${Object.keys(patch).join(', ')}: ${errorText(err)}`);
      return false;
    }
  }

  /** Expected seconds of a plan before it runs (learned timings, else the shipped defaults). */
  estimate(plan: SubStepId[]): number {
    return expectedTotal(plan, (sub) => this.timing.expected(sub, {}));
  }

  /** Seconds the running job still needs. */
  remaining(rec: RunRecord): number {
    return rec.progress.remaining(this.now());
  }

  live(rec: RunRecord): LiveStatus {
    const t = this.now();
    return { ...rec.progress.snapshot(t), elapsed_sec: Math.max(0, t - rec.startedAt) };
  }

  /**
   * The job starts now: row 'running'. `loadSeconds`: engine load still ahead of it. Call started()
   * once the caller holds the record (listeners of 'started' may already stop the job).
   */
  begin(jobId: string, plan: SubStepId[], loadSeconds: number): RunRecord {
    const t = this.now();
    const rec: RunRecord = {
      jobId,
      plan,
      startedAt: t,
      progress: new JobProgress(plan, (sub) => this.timing.expected(sub, {}), t, loadSeconds),
      engines: {},
      reports: {},
      provider: null,
      timings: {},
      stopping: false,
      digests: {},
      loads: { planned: new Map(), measured: new Map(), bySubStep: {} },
    };
    const snap = rec.progress.snapshot(t);
    this.save(jobId, { status: 'running', startedAt: t, progress: 0, currentStep: snap.current_step, subStep: snap.sub_step, message: 'Starting' });
    return rec;
  }

  started(rec: RunRecord): void {
    this.emit({ type: 'started', jobId: rec.jobId });
  }

  /** A stop was requested for the running job. */
  stopping(rec: RunRecord): void {
    rec.stopping = true;
    this.save(rec.jobId, { message: 'Stopping' });
  }

  /** Progress, engine, sub-step timing and step-result reports (done/failed go to finish). */
  report(rec: RunRecord, m: JobMessage): void {
    const t = this.now();
    const id = rec.jobId;
    switch (m.type) {
      case 'progress': {
        rec.progress.report(m.report.subStep, m.report.fraction, t);
        const snap = rec.progress.snapshot(t);
        this.save(id, {
          progress: snap.progress_percent,
          currentStep: m.report.step,
          subStep: m.report.subStep,
          message: rec.stopping ? 'Stopping' : (m.report.message ?? LABELS.get(m.report.subStep) ?? m.report.subStep),
        });
        this.emit({ type: 'progress', jobId: id });
        break;
      }
      case 'engine': {
        rec.engines = { ...rec.engines, [m.role]: m.engine };
        if (m.provider) rec.provider = m.provider;
        const d = m.detail;
        rec.reports = {
          ...rec.reports,
          [m.role]: {
            engine: m.engine,
            provider: m.provider,
            ...(d?.promptUsed !== undefined ? { prompt_used: d.promptUsed } : {}),
            ...(d?.understood ? { understood: d.understood } : {}),
            ...(d?.ignored ? { ignored: d.ignored } : {}),
            ...(d?.note ? { note: d.note } : {}),
          },
        };
        rec.progress.reestimate((sub) => this.timing.expected(sub, rec.engines));
        this.save(id, { engines: rec.engines, engineReports: rec.reports, provider: rec.provider });
        break;
      }
      case 'loads':
        for (const l of m.loads) {
          rec.loads.planned.set(l.id, l.bytes);
          rec.progress.planLoad(l.id, l.subStep, this.timing.expectedLoad(l.id, l.bytes), l.bytes);
        }
        this.emit({ type: 'progress', jobId: id });
        break;
      case 'model-load': {
        const planned = rec.loads.planned.get(m.id);
        if (m.phase === 'start') {
          const counted = rec.progress.loadStarted(m.id, t);
          const what = counted && planned !== undefined ? `${m.id} (${formatBytes(planned)})` : `${m.id} ${m.component} (${formatBytes(m.bytes)})`;
          if (!rec.stopping) this.save(id, { subStep: m.subStep, message: `loading ${what}…` });
          this.emit({ type: 'progress', jobId: id });
          break;
        }
        rec.progress.loadEnded(m.id, t, m.bytes, m.phase === 'failed');
        // Planned loads are learned apart from the sub-step's work; an unplanned one (a low-memory
        // engine reloading each job) stays part of the sub-step's learned time, as it recurs.
        if (planned !== undefined && m.seconds !== undefined) {
          if (m.phase === 'end') {
            const got = rec.loads.measured.get(m.id) ?? { bytes: 0, seconds: 0 };
            rec.loads.measured.set(m.id, { bytes: got.bytes + m.bytes, seconds: got.seconds + m.seconds });
          }
          rec.loads.bySubStep[m.subStep] = (rec.loads.bySubStep[m.subStep] ?? 0) + m.seconds;
        }
        if (!rec.stopping) this.save(id, { message: LABELS.get(m.subStep) ?? m.subStep });
        break;
      }
      case 'sub-step-done':
        rec.timings[m.subStep] = Math.round(m.seconds * 1000) / 1000;
        rec.progress.subStepDone(m.subStep, t);
        break;
      case 'digests':
        rec.digests = { ...rec.digests, ...m.digests };
        this.save(id, { digests: rec.digests });
        break;
      case 'step-result':
        this.save(id, { artifacts: this.folders.listArtifactsSync(id) });
        this.emit({ type: 'step-result', jobId: id, step: m.step, artifact: m.artifact });
        break;
      default:
        break;
    }
  }

  /** The running job ended: learn its timings, write its final row, emit 'finished'. */
  finish(rec: RunRecord, status: FinalStatus, error: string | null): void {
    const t = this.now();
    const id = rec.jobId;
    if (status === 'completed') rec.progress.complete();
    const snap = rec.progress.snapshot(t);
    // Measured sub-step times are real whatever became of the job afterwards: learn from them,
    // the time spent loading models apart from the sub-step's own work.
    const persist = (row: TimingRow, what: string) => {
      try {
        this.store.saveTiming(row);
      } catch (err) {
        this.log(`could not save the timing of ${what}: ${errorText(err)}`);
      }
    };
    for (const [sub, seconds] of Object.entries(rec.timings) as [SubStepId, number][]) {
      const row = this.timing.learn(sub, rec.engines, Math.max(0, seconds - (rec.loads.bySubStep[sub] ?? 0)), t);
      if (row) persist(row, sub);
    }
    for (const [model, load] of rec.loads.measured)
      for (const row of this.timing.learnLoad(model, load.bytes, load.seconds, t)) persist(row, `loading ${model}`);
    if (status === 'failed' && error && isDiskFull(error)) error = diskFullError(error);
    const artifacts = this.folders.listArtifactsSync(id);
    const dir = this.folders.dirOf?.(id);
    if (Object.keys(rec.engines).length) {
      this.lastEngines = { ...this.lastEngines, ...rec.engines };
      this.lastProvider = rec.provider ?? this.lastProvider;
    }
    this.save(id, {
      status,
      finishedAt: t,
      progress: snap.progress_percent,
      currentStep: snap.current_step,
      subStep: status === 'completed' ? null : snap.sub_step,
      message: status === 'completed' ? 'Completed' : status === 'stopped' ? STOPPED_MESSAGE : (error ?? 'failed'),
      error: status === 'failed' ? (error ?? 'failed') : null,
      engines: rec.engines,
      provider: rec.provider,
      timings: rec.timings,
      artifacts,
      ...(dir ? { digests: reconcileDigests(dir, artifacts, rec.digests) } : {}),
    });
    this.emit({ type: 'finished', jobId: id, status });
  }

  /** A queued job was stopped before it ran. */
  stoppedWhileQueued(jobId: string): void {
    this.save(jobId, { status: 'stopped', finishedAt: this.now(), message: STOPPED_MESSAGE });
    this.emit({ type: 'finished', jobId, status: 'stopped' });
  }

  /**
   * Shutdown: a queued job (or a running one, `rec`) is failed "interrupted", as after a crash; a
   * running job being stopped is recorded as stopped. No event: the adapters are closing too.
   */
  interrupted(jobId: string, rec?: RunRecord): void {
    const t = this.now();
    const dir = rec && this.folders.dirOf?.(jobId);
    const artifacts = dir ? this.folders.listArtifactsSync(jobId) : null;
    const files = dir && artifacts ? { artifacts, digests: reconcileDigests(dir, artifacts, rec.digests) } : {};
    if (rec?.stopping) this.save(jobId, { status: 'stopped', finishedAt: t, message: STOPPED_MESSAGE, error: null, ...files });
    else this.save(jobId, { status: 'failed', finishedAt: t, message: INTERRUPTED, error: INTERRUPTED, ...files });
  }
}
