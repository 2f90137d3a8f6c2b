// Writes what happens to a job into the store and tells the adapters (emit): start, progress,
// engines, step results, the end (status, message, artifacts, timings), and learns sub-step
// timings (the EMA model in eta.ts) so later estimates improve. It decides nothing: the lane says
// which job runs, the supervisor says what the worker reported.
import { SUB_STEPS, STEP_IDS, type ArtifactName, type EngineInfo, type EngineReports, type JobStatus, type StepId, type SubStepId } from '../core/jobs';
import { StoppedError } from '../core/errors';
import type { JobStore } from '../store/db';
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
  folders: Pick<RunFolders, 'listArtifactsSync'>;
  emit: (event: RunnerEvent) => void;
  /** Wall clock, Unix seconds. */
  now?: () => number;
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
}

const LABELS = new Map<SubStepId, string>(STEP_IDS.flatMap((s) => SUB_STEPS[s].map((x) => [x.id as SubStepId, x.label] as const)));
export const STOPPED_MESSAGE = new StoppedError().message;

export class JobRecorder {
  private readonly store: JobRecorderOptions['store'];
  private readonly folders: JobRecorderOptions['folders'];
  private readonly emit: JobRecorderOptions['emit'];
  private readonly now: () => number;
  private readonly timing: TimingModel;

  /** Engines and provider of the most recent job (for /health before any job runs in this process). */
  lastEngines: EngineInfo = {};
  lastProvider: string | null = null;

  constructor(opts: JobRecorderOptions) {
    this.store = opts.store;
    this.folders = opts.folders;
    this.emit = opts.emit;
    this.now = opts.now ?? (() => Date.now() / 1000);
    this.timing = new TimingModel(this.store.timings());
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
    };
    const snap = rec.progress.snapshot(t);
    this.store.update(jobId, { status: 'running', startedAt: t, progress: 0, currentStep: snap.current_step, subStep: snap.sub_step, message: 'Starting' });
    return rec;
  }

  started(rec: RunRecord): void {
    this.emit({ type: 'started', jobId: rec.jobId });
  }

  /** A stop was requested for the running job. */
  stopping(rec: RunRecord): void {
    rec.stopping = true;
    this.store.update(rec.jobId, { message: 'Stopping' });
  }

  /** Progress, engine, sub-step timing and step-result reports (done/failed go to finish). */
  report(rec: RunRecord, m: JobMessage): void {
    const t = this.now();
    const id = rec.jobId;
    switch (m.type) {
      case 'progress': {
        rec.progress.report(m.report.subStep, m.report.fraction, t);
        const snap = rec.progress.snapshot(t);
        this.store.update(id, {
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
        this.store.update(id, { engines: rec.engines, engineReports: rec.reports, provider: rec.provider });
        break;
      }
      case 'sub-step-done':
        rec.timings[m.subStep] = Math.round(m.seconds * 1000) / 1000;
        rec.progress.subStepDone(m.subStep, t);
        break;
      case 'step-result':
        this.store.update(id, { artifacts: this.folders.listArtifactsSync(id) });
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
    // Measured sub-step times are real whatever became of the job afterwards: learn from them.
    for (const [sub, seconds] of Object.entries(rec.timings) as [SubStepId, number][]) {
      const row = this.timing.learn(sub, rec.engines, seconds, t);
      if (row) this.store.saveTiming(row);
    }
    if (Object.keys(rec.engines).length) {
      this.lastEngines = { ...this.lastEngines, ...rec.engines };
      this.lastProvider = rec.provider ?? this.lastProvider;
    }
    this.store.update(id, {
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
      artifacts: this.folders.listArtifactsSync(id),
    });
    this.emit({ type: 'finished', jobId: id, status });
  }

  /** A queued job was stopped before it ran. */
  stoppedWhileQueued(jobId: string): void {
    this.store.update(jobId, { status: 'stopped', finishedAt: this.now(), message: STOPPED_MESSAGE });
    this.emit({ type: 'finished', jobId, status: 'stopped' });
  }

  /**
   * Shutdown: a queued job (or a running one, `rec`) is failed "interrupted", as after a crash; a
   * running job being stopped is recorded as stopped. No event: the adapters are closing too.
   */
  interrupted(jobId: string, rec?: RunRecord): void {
    const t = this.now();
    if (rec?.stopping) this.store.update(jobId, { status: 'stopped', finishedAt: t, message: STOPPED_MESSAGE, error: null });
    else this.store.update(jobId, { status: 'failed', finishedAt: t, message: INTERRUPTED, error: INTERRUPTED });
  }
}
