// StudioService: the one object every adapter calls. It validates a request across fields, puts
// its inputs in the job's run folder (uploads or artifacts reused from an earlier job), records
// the job, and hands it to the JobRunner's lane. Reads come from SQLite plus the runner's live
// progress, so status polls never touch image bytes.
import { randomInt, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest, notFound, AppError, BusyError } from '../core/errors';
import { ARTIFACTS, isActive, type ArtifactName, type StepId } from '../core/jobs';
import { IMAGE_FIELDS, type GenerateRequest } from '../core/params';
import type { FontEntry, HealthInfo, JobCounts, JobEvent, JobRecord, ListJobsQuery, StudioService, SubmitOptions } from '../core/service';
import { listFonts, resolveFont, type FontDirs } from '../engines/typography/fonts';
import { decodeBase64Image, probeImage, DEFAULT_MAX_PIXELS } from '../imaging/codec';
import { EventBus } from '../jobs/event-bus';
import { JobRunner, type RunnerEvent } from '../jobs/job-runner';
import { UPLOADS, type WorkerJob } from '../pipeline/job';
import { createSystemMetrics } from '../jobs/system-metrics';
import { JobStore, type JobParams, type JobRow } from '../store/db';
import { RunFolders, isJobId } from '../store/run-folders';
import { startRetention, type RetentionOptions } from '../store/retention';
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
  /** Largest accepted decoded image in pixels (413 above). Default 40 MP. */
  maxPixels?: number;
  /** Grace for a cooperative stop before the worker is terminated. Default 1200 ms. */
  stopGraceMs?: number;
  /** Fail a running job whose worker has been silent this long. Default 15 min. */
  watchdogMs?: number;
  log?: (message: string) => void;
}

/** What each start step needs from an earlier job when it is reused with from_job_id. */
const REUSED_FOR_STEP2: ArtifactName[] = ['step1', 'mask', 'scene'];
const STEP_NAMES: StepId[] = ['step1_background', 'step2_text', 'step3_composite'];

type UploadField = (typeof IMAGE_FIELDS)[number];
const UPLOAD_OF: Record<UploadField, string> = { product_image: UPLOADS.product, step1_image: UPLOADS.step1, step2_image: UPLOADS.step2 };

class Service implements StudioService {
  private readonly bus: EventBus<JobEvent>;
  private readonly runner: JobRunner;
  private readonly metrics = createSystemMetrics();
  private readonly retention: { stop: () => void };
  private closed = false;

  constructor(
    private readonly config: StudioServiceConfig,
    private readonly store: JobStore,
    private readonly folders: RunFolders,
    private readonly log: (m: string) => void,
  ) {
    this.bus = new EventBus<JobEvent>((err) => log(`event listener failed: ${(err as Error).message}`));
    this.runner = new JobRunner({
      store,
      folders,
      workerScript: config.workerScript,
      workerConfig: { modelsDir: config.modelsDir, cacheDir: join(config.dataDir, 'cache'), providers: config.providers },
      emit: (e) => this.relay(e),
      stopGraceMs: config.stopGraceMs,
      watchdogMs: config.watchdogMs,
      log,
    });
    const last = store.list({ status: 'completed', limit: 1 })[0];
    if (last) {
      this.runner.lastEngines = last.engines;
      this.runner.lastProvider = last.provider;
    }
    this.runner.start();
    this.retention = startRetention(store, folders, config.retention ?? {}, (id) => this.runner.isActive(id), log);
  }

  private relay(e: RunnerEvent): void {
    const job = this.get(e.jobId);
    if (!job) return;
    if (e.type === 'step-result') this.bus.emit({ type: 'step-result', job, step: e.step, artifact: e.artifact });
    else this.bus.emit({ type: e.type, job });
  }

  // ------------------------------------------------------------------ submit

  async submit(request: GenerateRequest, options: SubmitOptions): Promise<JobRecord> {
    if (this.closed) throw new AppError(503, 'Server is shutting down');
    // Cheap refusal first: a busy lane answers 503 before any image is decoded.
    if (!options.queue && this.runner.busy) throw new BusyError(this.runner.retryAfterSeconds());

    const startStep = request.start_step as 1 | 2 | 3;
    const stopStep = (request.stop_step ?? 3) as 1 | 2 | 3;
    if (stopStep < startStep) throw badRequest(`stop_step (${stopStep}) must be >= start_step (${startStep})`, 'stop_step');

    const source = this.sourceJob(request.from_job_id);
    const need = (field: 'step1_image' | 'step2_image', artifact: ArtifactName, stepNo: number) => {
      if (request[field]) return;
      if (!source) throw badRequest(`${field} is required for start_step ${startStep} (or give from_job_id of a job that has ${ARTIFACTS[artifact]})`, field);
      if (!this.folders.hasArtifact(source.id, artifact)) {
        throw badRequest(`from_job_id: job ${source.id} has no ${ARTIFACTS[artifact]} (its step ${stepNo} result); upload ${field} instead`, 'from_job_id');
      }
    };
    if (startStep >= 2) need('step1_image', 'step1', 1);
    if (startStep === 3) need('step2_image', 'step2', 2);

    // Decode only the images this start step uses; others are ignored, as nanoCocoa does.
    const wanted: UploadField[] = startStep === 1 ? ['product_image'] : startStep === 2 ? ['step1_image'] : ['step1_image', 'step2_image'];
    const uploads: [UploadField, Buffer][] = [];
    for (const field of wanted) {
      const value = request[field];
      if (!value) continue;
      const bytes = decodeBase64Image(value, field);
      await probeImage(bytes, field, this.config.maxPixels ?? DEFAULT_MAX_PIXELS);
      uploads.push([field, bytes]);
    }
    const fontPath = resolveFont(request.font_name, this.config.fontDirs);
    const seed = request.seed ?? randomInt(0, 2 ** 32);
    const params = paramsOf(request, seed);

    const jobId = randomUUID();
    await this.folders.create(jobId);
    let row: JobRow;
    try {
      for (const [field, bytes] of uploads) await this.folders.writeFile(jobId, UPLOAD_OF[field], bytes);
      const uploaded = new Set(uploads.map(([f]) => f));
      if (source) {
        const reuse: ArtifactName[] = [];
        if (startStep === 1 && !uploaded.has('product_image') && this.folders.hasArtifact(source.id, 'input')) {
          // Rerun step 1 of a stored job: its product photo stands in for the upload.
          await this.folders.copyArtifacts(source.id, jobId, ['input']);
          await this.folders.writeFile(jobId, UPLOADS.product, await readFile(this.folders.fileOf(jobId, 'input')));
        }
        if (startStep >= 2 && !uploaded.has('step1_image')) reuse.push(...REUSED_FOR_STEP2, 'input', 'cutout');
        if (startStep === 3 && !uploaded.has('step2_image')) reuse.push('step2');
        await this.folders.copyArtifacts(source.id, jobId, reuse);
      }
      await this.folders.writeJson(jobId, 'params', { job_id: jobId, ...params });
      const hasProduct = startStep === 1 && existsSync(join(this.folders.dirOf(jobId), UPLOADS.product));
      row = {
        id: jobId,
        status: 'pending',
        client: options.client,
        createdAt: Date.now() / 1000,
        startedAt: null,
        finishedAt: null,
        startStep,
        stopStep,
        params,
        progress: 0,
        currentStep: null,
        subStep: null,
        message: 'Queued',
        error: null,
        engines: {},
        provider: null,
        timings: {},
        reusedSteps: STEP_NAMES.slice(0, startStep - 1),
        artifacts: this.folders.listArtifactsSync(jobId),
        fromJobId: source?.id ?? null,
      };
      // From here on synchronous: the busy check and the lane hand-off cannot interleave with another submit.
      if (this.closed) throw new AppError(503, 'Server is shutting down');
      if (!options.queue && this.runner.busy) throw new BusyError(this.runner.retryAfterSeconds());
      this.store.insert(row);
      const job: WorkerJob = {
        jobId,
        runDir: this.folders.dirOf(jobId),
        params,
        fontPath,
        startStep,
        stopStep,
      };
      const created = this.get(jobId);
      if (created) this.bus.emit({ type: 'created', job: created });
      this.runner.submit(job, { queue: true, hasProduct });
    } catch (err) {
      if (this.store.get(jobId)?.status === 'pending' && !this.runner.isActive(jobId)) this.store.delete(jobId);
      await this.folders.remove(jobId).catch(() => {});
      throw err;
    }
    const rec = this.get(jobId);
    if (!rec) throw new Error(`job ${jobId} vanished after submit`);
    return rec;
  }

  /** The from_job_id job, 404 when unknown (ids that are not UUIDs cannot exist). */
  private sourceJob(id: string | null): JobRow | null {
    if (id === null || id === '') return null;
    const row = isJobId(id) ? this.store.get(id) : undefined;
    if (!row) throw new AppError(404, 'from_job_id: job not found', 'from_job_id');
    return row;
  }

  // ------------------------------------------------------------------ reads

  get(jobId: string): JobRecord | undefined {
    if (!isJobId(jobId)) return undefined;
    const row = this.store.get(jobId);
    return row ? this.toRecord(row) : undefined;
  }

  list(query?: ListJobsQuery): JobRecord[] {
    return this.store.list(query).map((r) => this.toRecord(r));
  }

  counts(): JobCounts {
    return this.store.counts();
  }

  private toRecord(row: JobRow): JobRecord {
    const now = Date.now() / 1000;
    const live = row.status === 'running' ? this.runner.live(row.id) : undefined;
    const elapsed =
      row.startedAt === null ? 0 : Math.max(0, (row.finishedAt ?? (row.status === 'running' ? now : row.startedAt)) - row.startedAt);
    return {
      job_id: row.id,
      status: row.status,
      start_step: row.startStep,
      stop_step: row.stopStep,
      progress_percent: live ? Math.max(live.progress_percent, row.progress) : row.progress,
      current_step: live?.current_step ?? row.currentStep,
      sub_step: live ? live.sub_step : row.subStep,
      message: row.message,
      error: row.error,
      created_at: row.createdAt,
      start_time: row.startedAt,
      finished_at: row.finishedAt,
      elapsed_sec: Math.round(elapsed * 10) / 10,
      eta_seconds: live ? live.eta_seconds : null,
      step_eta_seconds: live ? live.step_eta_seconds : null,
      parameters: row.params,
      engines: row.engines,
      execution_provider: row.provider,
      artifacts: row.artifacts,
      reused_steps: row.reusedSteps,
      client: row.client,
      timings: row.timings,
    };
  }

  artifactPath(jobId: string, name: ArtifactName): string | undefined {
    if (!isJobId(jobId) || !(name in ARTIFACTS)) return undefined;
    const p = this.folders.fileOf(jobId, name);
    return existsSync(p) ? p : undefined;
  }

  retryAfterSeconds(): number {
    return this.runner.retryAfterSeconds();
  }

  // ------------------------------------------------------------------ changes

  async stop(jobId: string): Promise<JobRecord> {
    const before = this.get(jobId);
    if (!before) throw notFound();
    if (isActive(before.status)) await this.runner.stop(jobId);
    return this.get(jobId) ?? before;
  }

  async remove(jobId: string): Promise<void> {
    const row = isJobId(jobId) ? this.store.get(jobId) : undefined;
    if (!row) throw notFound();
    if (isActive(row.status) || this.runner.isActive(jobId)) {
      throw badRequest(`Job ${jobId} is ${row.status}; stop it before deleting`, 'job_id');
    }
    this.store.delete(jobId);
    await this.folders.remove(jobId);
    this.bus.emit({ type: 'deleted', jobId });
  }

  fonts(): FontEntry[] {
    return listFonts(this.config.fontDirs);
  }

  resolveFont(name: string): string {
    return resolveFont(name, this.config.fontDirs);
  }

  async health(): Promise<HealthInfo> {
    const system_metrics = await this.metrics.get();
    const c = this.store.counts();
    return {
      status: this.runner.busy ? 'busy' : 'healthy',
      server_time: Date.now() / 1000,
      total_jobs: c.total_jobs,
      active_jobs: c.active_jobs,
      queued_jobs: this.runner.queuedCount,
      system_metrics,
      engines: this.runner.lastEngines,
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
    await this.runner.close();
    this.store.close();
  }
}

/** The request as stored and echoed in `parameters`: no image payloads, the seed fixed. */
function paramsOf(request: GenerateRequest, seed: number): JobParams {
  const copy: Record<string, unknown> = { ...request, seed };
  for (const f of IMAGE_FIELDS) delete copy[f];
  return copy as JobParams;
}

export async function createStudioService(config: StudioServiceConfig): Promise<StudioService> {
  if (!existsSync(config.workerScript)) {
    throw new Error(`Pipeline worker not found at ${config.workerScript}; build it with: npm run build:server`);
  }
  const log = config.log ?? ((m: string) => process.stderr.write(`[adforge] ${m}\n`));
  const store = new JobStore(join(config.dataDir, 'adforge.db'));
  const folders = new RunFolders(config.dataDir);
  await folders.purgeTrash();
  if (store.interruptedOnOpen.length) log(`${store.interruptedOnOpen.length} job(s) were interrupted by the last shutdown and are marked failed`);
  return new Service(config, store, folders, log);
}
