// StudioService: the one object every adapter calls (HTTP families, the desktop's IPC handlers and
// adforge:// protocol, the CLI), composed here from its parts, one module per job:
//   submit.ts      validation across fields, uploads into the run folder, the lane hand-off
//   jobs-page.ts   the history page with the real count of matching jobs
//   artifacts.ts   artifact files and thumbnails
//   exports.ts     ZIP exports
//   fonts.ts       font list, names, bytes;  model-files.ts  models/ for the settings page
//   records.ts     a stored row + live progress → JobRecord
//   integrity.ts   artifacts checked against the SHA-256 recorded when they were written
// Reads come from SQLite plus the runner's live progress, so status polls never touch image bytes.
// Pixel work (the pipeline, the placement preview) runs in the runner's worker process.
//
// Faults it reports rather than hides: a data folder below its free-space reserve or not writable
// (507 for new work, /health degraded; deleting still works on a full disk), an engine set that
// failed to load (/health degraded), damaged artifacts (JobRecord.damaged, 409 on reads, left out of
// ZIPs). After a crash, interrupted jobs' artifact lists and digests are rebuilt from their folders.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, badRequest, insufficientStorage, notFound } from '../core/errors';
import { isActive, isJobId, type ArtifactName } from '../core/jobs';
import { DIFFUSION_BG_ORDER, type CompositionMode, type GenerateRequest, type TextPosition } from '../core/params';
import type {
  ArtifactCheck,
  FileBody,
  FontEntry,
  HealthInfo,
  JobCounts,
  JobEvent,
  JobRecord,
  JobsExport,
  JobsPage,
  ListJobsQuery,
  ModelFileInfo,
  ModelInfo,
  PlacementPreview,
  StudioService,
  SubmitOptions,
} from '../core/service';
import type { FontDirs } from '../engines/typography/fonts';
import { EventBus } from '../jobs/event-bus';
import { reconcileDigests } from '../jobs/job-recorder';
import { asTestFault, JobRunner, type RunnerEvent, type WorkerFaults } from '../jobs/job-runner';
import { createSystemMetrics } from '../jobs/system-metrics';
import { JobStore, type JobRow } from '../store/db';
import { DiskGuard, errorText, isDiskFull, isNotWritable } from '../store/disk';
import { startRetention, type RetentionOptions } from '../store/retention';
import { RunFolders } from '../store/run-folders';
import { ArtifactFiles, artifactPathOf } from './artifacts';
import { ArtifactIntegrity } from './integrity';
import { exportJobs } from './exports';
import { Fonts } from './fonts';
import { jobsPage } from './jobs-page';
import { listModelFiles } from './model-files';
import { ModelService } from './models';
import { recordOf } from './records';
import { submitJob } from './submit';
import pkg from '../../package.json';

export interface StudioServiceConfig {
  dataDir: string;
  modelsDir: string;
  fontDirs: FontDirs;
  /** Built pipeline worker script (dist/worker.js). */
  workerScript: string;
  retention?: RetentionOptions;
  /** Execution-provider order for ONNX engines. */
  providers?: string[];
  /** CPU priority of the pipeline worker (config.workerNice). */
  workerNice?: number;
  /** Largest accepted decoded image in pixels (413 above). Default 40 MP. */
  maxPixels?: number;
  /** Grace for a cooperative stop before the worker is terminated. Default 1200 ms. */
  stopGraceMs?: number;
  /** Fail a running job whose worker has been silent this long. Default 15 min. */
  watchdogMs?: number;
  /** Most jobs waiting in the lane (config.maxQueue). */
  maxQueue?: number;
  /** Failure injection for the fault tests (config.testFault). */
  testFault?: string | null;
  /** Folders with model manifests (config.manifestDirs); default [modelsDir]. */
  manifestDirs?: string[];
  /** GPU memory the diffusion engines may use, GiB (config.vramBudgetGb). */
  vramBudgetGb?: number | null;
  /** Generative lettering's legibility guard (config.letteringGuard). */
  letteringGuard?: { minIou: number; retries: number };
  /** Hugging Face token for model downloads (config.hfToken). */
  hfToken?: string | null;
  /** Test hook: the model host installs download from. */
  hubUrl?: string;
  /** Same, as an object a test may change between jobs (wins over testFault). */
  faults?: WorkerFaults;
  /** Free space (MiB) the data folder keeps; below it new work gets 507 (config.diskReserveMb). Default 200; null/0 = none. */
  diskReserveMb?: number | null;
  /** Size of the ballast file that makes room on a full disk. Default 4 MiB. */
  diskBallastBytes?: number;
  /** Test hook: free bytes of the data folder as the file system would report them. */
  diskFreeBytes?: (dir: string) => number | null;
  log?: (message: string) => void;
}

const MIB = 1024 * 1024;
/** The reserve when the caller gives none (config.ts resolves ADFORGE_DISK_RESERVE_MB to the same default). */
const RESERVE_MB_WHEN_UNSET = 200;

class Service implements StudioService {
  private readonly bus: EventBus<JobEvent>;
  private readonly runner: JobRunner;
  private readonly metrics = createSystemMetrics();
  private readonly retention: { stop: () => void };
  private readonly artifacts: ArtifactFiles;
  private readonly fontSet: Fonts;
  private readonly modelService: ModelService;
  private readonly integrity: ArtifactIntegrity;
  private closed = false;

  constructor(
    private readonly config: StudioServiceConfig,
    private readonly store: JobStore,
    private readonly folders: RunFolders,
    private readonly disk: DiskGuard,
    log: (m: string) => void,
  ) {
    this.bus = new EventBus<JobEvent>((err) => log(`event listener failed: ${(err as Error).message}`));
    this.integrity = new ArtifactIntegrity(folders, (id) => store.get(id)?.digests);
    this.artifacts = new ArtifactFiles(folders, this.integrity);
    this.fontSet = new Fonts(config.fontDirs);
    this.modelService = new ModelService({
      modelsDir: config.modelsDir,
      manifestDirs: config.manifestDirs ?? [config.modelsDir],
      hfToken: config.hfToken,
      vramBudgetGb: config.vramBudgetGb,
      ...(config.hubUrl ? { hubUrl: config.hubUrl } : {}),
      log,
    });
    this.runner = new JobRunner({
      store,
      folders,
      workerScript: config.workerScript,
      workerConfig: {
        modelsDir: config.modelsDir,
        cacheDir: join(config.dataDir, 'cache'),
        providers: config.providers,
        nice: config.workerNice,
        manifestDirs: config.manifestDirs ?? [config.modelsDir],
        vramBudgetGb: config.vramBudgetGb ?? null,
        ...(config.letteringGuard ? { letteringGuard: config.letteringGuard } : {}),
      },
      emit: (e) => this.relay(e),
      stopGraceMs: config.stopGraceMs,
      maxQueue: config.maxQueue,
      watchdogMs: config.watchdogMs,
      faults: config.faults ?? { testFault: asTestFault(config.testFault) },
      log,
    });
    const last = store.list({ status: 'completed', limit: 1 })[0];
    if (last) {
      this.runner.lastEngines = last.engines;
      this.runner.lastProvider = last.provider;
    }
    this.runner.start();
    // A read-only history keeps every job: nothing could be deleted anyway.
    this.retention = store.readOnly ? { stop: () => {} } : startRetention(store, folders, config.retention ?? {}, (id) => this.runner.isActive(id), log);
  }

  private relay(e: RunnerEvent): void {
    // A job that failed may have filled the disk: look again at the next submit or /health.
    if (e.type === 'finished' && e.status === 'failed') this.disk.invalidate();
    const job = this.get(e.jobId);
    if (!job) return;
    if (e.type === 'step-result') this.bus.emit({ type: 'step-result', job, step: e.step, artifact: e.artifact });
    else this.bus.emit({ type: e.type, job });
  }

  private record(row: JobRow): JobRecord {
    const rec = recordOf(row, row.status === 'running' ? this.runner.live(row.id) : undefined, Date.now() / 1000);
    const damaged = this.integrity.damaged(row.id);
    return damaged.length ? { ...rec, damaged } : rec;
  }

  /** Why new work cannot be stored now (read-only history, data folder full or not writable), or null. */
  private storageProblem(): string | null {
    if (this.store.readOnly) {
      return `The job history in ${this.config.dataDir} is read-only (${this.store.readOnly}): no new jobs can be stored and none deleted. Make the data folder writable and restart AdForge.`;
    }
    return this.disk.problem();
  }

  requireStorage(): void {
    const problem = this.storageProblem();
    if (problem) throw insufficientStorage(problem);
  }

  /** A write that failed for lack of space or permission, as the 507 its caller should see; other errors unchanged. */
  private storageError(err: unknown, doing: string): unknown {
    if (err instanceof AppError) return err;
    if (isDiskFull(err)) {
      this.disk.invalidate();
      return insufficientStorage(
        `Insufficient storage: the data folder ${this.config.dataDir} is full (${errorText(err)}) while ${doing}. Delete jobs or free disk space.`,
      );
    }
    if (isNotWritable(err)) {
      this.disk.invalidate();
      return insufficientStorage(`The data folder ${this.config.dataDir} cannot be written (${errorText(err)}) while ${doing}. Make it writable.`);
    }
    return err;
  }

  // ---------------------------------------------------------------- jobs

  async submit(request: GenerateRequest, options: SubmitOptions): Promise<JobRecord> {
    // Checked before anything is decoded or written: a full or read-only data folder refuses
    // new work in every family with a 507 that says why, instead of failing half-way.
    if (!this.closed) this.requireStorage();
    try {
      return await this.submitChecked(request, options);
    } catch (err) {
      throw this.storageError(err, 'storing the new job');
    }
  }

  private submitChecked(request: GenerateRequest, options: SubmitOptions): Promise<JobRecord> {
    return submitJob(
      {
        store: this.store,
        folders: this.folders,
        runner: this.runner,
        fontDirs: this.config.fontDirs,
        maxPixels: this.config.maxPixels,
        closed: () => this.closed,
        record: (id) => this.get(id),
        created: (job) => this.bus.emit({ type: 'created', job }),
      },
      request,
      options,
    );
  }

  get(jobId: string): JobRecord | undefined {
    if (!isJobId(jobId)) return undefined;
    const row = this.store.get(jobId);
    return row ? this.record(row) : undefined;
  }

  requireJob(jobId: string): JobRecord {
    const job = this.get(jobId);
    if (!job) throw notFound(`Job ${jobId} not found`);
    return job;
  }

  list(query?: ListJobsQuery): JobRecord[] {
    return this.store.list(query).map((r) => this.record(r));
  }

  jobsPage(query: ListJobsQuery): JobsPage {
    return jobsPage(this.store, (r) => this.record(r), query);
  }

  counts(): JobCounts {
    return this.store.counts();
  }

  retryAfterSeconds(): number {
    return this.runner.retryAfterSeconds();
  }

  async stop(jobId: string): Promise<JobRecord> {
    const before = this.requireJob(jobId);
    if (isActive(before.status)) await this.runner.stop(jobId);
    return this.get(jobId) ?? before;
  }

  async remove(jobId: string): Promise<void> {
    const row = isJobId(jobId) ? this.store.get(jobId) : undefined;
    if (!row) throw notFound(`Job ${jobId} not found`);
    if (isActive(row.status) || this.runner.isActive(jobId)) {
      throw badRequest(`Job ${jobId} is ${row.status}; stop it before deleting`, 'job_id');
    }
    // A folder that cannot be written refuses at once; a full one still deletes (that is how space comes back).
    if (this.store.readOnly || !this.disk.status().writable) throw insufficientStorage(this.storageProblem() ?? 'The job history is read-only');
    try {
      // Row first (the store makes room with its ballast when the disk is full): once it is gone no
      // reader can reach the folder.
      this.store.delete(jobId);
    } catch (err) {
      if (!isDiskFull(err)) throw this.storageError(err, `deleting job ${jobId}`);
      // Still no room for the WAL: free the job's own files first, then delete the row.
      await this.folders.remove(jobId);
      try {
        this.store.delete(jobId);
      } catch (again) {
        throw this.storageError(again, `deleting job ${jobId} (its files are already removed)`);
      }
    }
    await this.folders.remove(jobId).catch((err: unknown) => {
      throw this.storageError(err, `removing the files of job ${jobId}`);
    });
    this.integrity.forget(jobId);
    this.disk.invalidate();
    this.bus.emit({ type: 'deleted', jobId });
  }

  // ---------------------------------------------------------------- files

  artifactPath(jobId: string, name: ArtifactName): string | undefined {
    return artifactPathOf(this.integrity, jobId, name);
  }

  artifactCheck(jobId: string, name: ArtifactName): ArtifactCheck | undefined {
    return this.integrity.check(jobId, name);
  }

  artifactFile(jobId: string, fileName: string, width?: number): Promise<FileBody> {
    this.requireJob(jobId);
    return this.artifacts.file(jobId, fileName, width);
  }

  previewPlacement(jobId: string, position: TextPosition, mode: CompositionMode): Promise<PlacementPreview> {
    this.requireJob(jobId);
    // Decoding the step images and scoring candidate boxes is pixel work: the worker does it.
    return this.runner.previewPlacement({ jobId, position, mode });
  }

  exportJobs(jobIds: string[]): Promise<JobsExport> {
    return exportJobs(
      {
        requireJob: (id) => this.requireJob(id),
        artifactCheck: (id, a) => this.integrity.check(id, a),
        digests: (id) => this.store.get(id)?.digests,
        runDir: (id) => this.folders.dirOf(id),
      },
      jobIds,
    );
  }

  fonts(): FontEntry[] {
    return this.fontSet.list();
  }

  resolveFont(name: string): string {
    return this.fontSet.resolve(name);
  }

  fontFile(name: string): Promise<FileBody> {
    return this.fontSet.file(name);
  }

  modelFiles(): Promise<ModelFileInfo[]> {
    return listModelFiles(this.config.modelsDir);
  }

  // ---------------------------------------------------------------- service

  models(): Promise<ModelInfo[]> {
    return this.modelService.list();
  }

  installModel(id: string): Promise<ModelInfo> {
    return this.modelService.install(id);
  }

  cancelModelInstall(id: string): Promise<ModelInfo> {
    return this.modelService.cancel(id);
  }

  async removeModel(id: string): Promise<ModelInfo> {
    // The worker may hold the files open: free the resident engine first.
    await this.runner.free();
    return this.modelService.remove(id);
  }

  async freeEngines(): Promise<{ released: string[] }> {
    return { released: await this.runner.free() };
  }

  /** What `auto` picks now for scenes and lettering, from the installed models that fit the VRAM budget. */
  private async engineChoices(): Promise<Pick<HealthInfo, 'background_engines' | 'lettering_engines'>> {
    const models = await this.modelService.list().catch(() => []);
    const usable = new Set(models.filter((m) => m.usable && m.fits_budget).map((m) => m.id));
    const background = [...DIFFUSION_BG_ORDER.filter((id) => usable.has(id)), 'procedural'];
    // The ControlNet lettering runs on SDXL-Turbo's encoders and VAE: both must be there.
    const lettering = [...(usable.has('sdxl-controlnet-canny') && usable.has('sdxl-turbo') ? ['sdxl-controlnet-canny'] : []), 'procedural-lettering'];
    return { background_engines: { available: background, auto: background[0] }, lettering_engines: { available: lettering, auto: lettering[0] } };
  }

  async health(): Promise<HealthInfo> {
    const system_metrics = await this.metrics.get();
    const c = this.store.counts();
    const disk = this.disk.status();
    const reasons: string[] = [];
    const storage = this.storageProblem();
    if (storage) reasons.push(storage);
    const setup = this.runner.engineSetupError;
    if (setup) reasons.push(`Engine setup failed: ${setup}. Jobs fail until the engines load (each new job tries again); see the server log.`);
    return {
      status: reasons.length ? 'degraded' : this.runner.busy ? 'busy' : 'healthy',
      reasons,
      storage: {
        data_dir: this.config.dataDir,
        writable: disk.writable && !this.store.readOnly,
        write_error: disk.writeError ?? this.store.readOnly,
        free_bytes: disk.freeBytes,
        reserve_bytes: disk.reserveBytes,
      },
      server_time: Date.now() / 1000,
      total_jobs: c.total_jobs,
      active_jobs: c.active_jobs,
      queued_jobs: this.runner.queuedCount,
      system_metrics,
      engines: this.runner.lastEngines,
      ...(await this.engineChoices()),
      execution_provider: this.runner.lastProvider,
      version: pkg.version,
    };
  }

  onEvent(listener: (event: JobEvent) => void): () => void {
    return this.bus.on(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.retention.stop();
    this.modelService.close();
    await this.runner.close();
    this.store.close();
  }
}

export async function createStudioService(config: StudioServiceConfig): Promise<StudioService> {
  if (!existsSync(config.workerScript)) {
    throw new Error(`Pipeline worker not found at ${config.workerScript}; build it with: npm run build:server`);
  }
  const log = config.log ?? ((m: string) => process.stderr.write(`[adforge] ${m}\n`));
  const reserveMb = config.diskReserveMb === undefined ? RESERVE_MB_WHEN_UNSET : (config.diskReserveMb ?? 0);
  const disk = new DiskGuard({
    dir: config.dataDir,
    reserveBytes: reserveMb * MIB,
    ballastBytes: config.diskBallastBytes,
    freeBytes: config.diskFreeBytes,
    log,
  });
  // Says now whether the folder can be written, and puts the ballast in place when there is room.
  const start = disk.status();
  const store = new JobStore(join(config.dataDir, 'adforge.db'), undefined, { onFull: () => disk.releaseBallast() });
  const folders = new RunFolders(config.dataDir);
  if (store.readOnly || !start.writable) {
    log(
      `the data folder ${config.dataDir} cannot be written (${store.readOnly ?? start.writeError}): serving the job history read-only; ` +
        'new jobs are refused (507) and /health reports degraded until it is writable and AdForge restarts',
    );
  } else if (start.problem) {
    log(start.problem);
  }
  if (!store.readOnly) {
    await folders.purgeTrash().catch((err: unknown) => log(`could not finish deletes left by the last shutdown: ${errorText(err)}`));
    await reconcileInterrupted(store, folders, log);
  }
  if (store.interruptedOnOpen.length) log(`${store.interruptedOnOpen.length} job(s) were interrupted by the last shutdown and are marked failed`);
  return new Service(config, store, folders, disk, log);
}

/**
 * Jobs a crash interrupted: temp files of writes cut short are removed, and the artifact list and
 * digests are read again from the folder (the process may have died between writing a file and
 * recording it), so what the job lists is what is on disk.
 */
async function reconcileInterrupted(store: JobStore, folders: RunFolders, log: (m: string) => void): Promise<void> {
  for (const id of store.interruptedOnOpen) {
    try {
      await folders.purgeTempFiles(id);
      const row = store.get(id);
      if (!row) continue;
      const artifacts = folders.listArtifactsSync(id);
      store.update(id, { artifacts, digests: reconcileDigests(folders.dirOf(id), artifacts, row.digests) });
    } catch (err) {
      log(`job ${id}: could not reconcile its files after the interruption: ${errorText(err)}`);
    }
  }
}
