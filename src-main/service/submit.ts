// Submitting a job: the request validated across fields (step range, the images or earlier job
// each start step needs, image bytes and size), its inputs written into a fresh run folder
// (uploads, or artifacts reused from the from_job_id job), the row recorded, and the job handed
// to the runner's lane. A failure at any point leaves no row and no folder behind.
import { randomInt, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError, badRequest, BusyError } from '../core/errors';
import { ARTIFACTS, isJobId, type ArtifactName, type StepId } from '../core/jobs';
import { GenerateRequestSchema, hasTextLayer, IMAGE_FIELDS, type GenerateRequest } from '../core/params';
import type { JobRecord, SubmitOptions } from '../core/service';
import { zodErrorToAppError } from '../core/zod-errors';
import { resolveFont, type FontDirs } from '../engines/typography/fonts';
import { decodeBase64Image, probeImage, DEFAULT_MAX_PIXELS, type ProbeResult } from '../imaging/codec';
import type { JobRunner } from '../jobs/job-runner';
import { UPLOADS, type WorkerJob } from '../pipeline/job';
import type { JobParams, JobRow, JobStore } from '../store/db';
import type { RunFolders } from '../store/run-folders';

/** What each start step needs from an earlier job when it is reused with from_job_id. */
const REUSED_FOR_STEP2: ArtifactName[] = ['step1', 'mask', 'scene'];
const STEP_NAMES: StepId[] = ['step1_background', 'step2_text', 'step3_composite'];

type UploadField = (typeof IMAGE_FIELDS)[number];
const UPLOAD_OF: Record<UploadField, string> = { product_image: UPLOADS.product, step1_image: UPLOADS.step1, step2_image: UPLOADS.step2 };

/** Cross-field rules a request carries by itself: it cannot stop before it starts, nor dress a headline it lacks. */
function checkStepRange(request: Pick<GenerateRequest, 'start_step' | 'stop_step' | 'text_content' | 'sub_text' | 'text_effects'>): void {
  if (request.stop_step !== null && request.stop_step < request.start_step) {
    throw badRequest(`stop_step: must be >= start_step (${request.start_step})`, 'stop_step');
  }
  // Without a headline the job ends with the scene (step 3 composes an uploaded layer only when it starts there).
  const headline = hasTextLayer(request.text_content, request.start_step);
  if (!headline && request.sub_text) throw badRequest('sub_text: needs a headline (text_content); a job without one ends with the scene', 'sub_text');
  if (!headline && request.text_effects)
    throw badRequest('text_effects: needs a headline (text_content); a job without one ends with the scene', 'text_effects');
}

/**
 * An uploaded image checked all the way through, before anything is stored: type from its bytes,
 * size under the pixel limit (413), then a full decode (400 when truncated or corrupt). A header
 * check alone lets a cut-off file through to fail later, mid-job, as a 500. The decode streams
 * through libvips (statistics only, no pixel buffer kept) on the thread pool, not the event loop.
 */
export async function checkUploadedImage(bytes: Buffer, field: string, maxPixels = DEFAULT_MAX_PIXELS): Promise<ProbeResult> {
  const probe = await probeImage(bytes, field, maxPixels);
  try {
    await sharp(bytes, { pages: 1, limitInputPixels: maxPixels, failOn: 'truncated', sequentialRead: true }).stats();
  } catch {
    throw badRequest(`${field}: the image is truncated or corrupt (it could not be decoded in full)`, field);
  }
  return probe;
}

/** Validates a generation request body (POST /generate and its relatives); AppError 400 naming the field(s) and rule(s). */
export function parseGenerateRequest(body: unknown): GenerateRequest {
  if (body === undefined) throw badRequest('body: a JSON object is required (Content-Type: application/json)', 'body');
  const result = GenerateRequestSchema.safeParse(body);
  if (!result.success) throw zodErrorToAppError(result.error, body);
  checkStepRange(result.data);
  return result.data;
}

/** The request as stored and echoed in `parameters`: no image payloads, the seed fixed. */
function paramsOf(request: GenerateRequest, seed: number): JobParams {
  const copy: Record<string, unknown> = { ...request, seed };
  for (const f of IMAGE_FIELDS) delete copy[f];
  return copy as JobParams;
}

/**
 * The job's seed: the request's when it gives one. Without one, a job that reuses the from_job_id
 * job's scene (start_step 2 or 3, no step1_image uploaded) takes the seed that made that scene,
 * so its parameters reproduce all of it: the studio reruns step 1 with the job's seed when the
 * product is moved, exported at another size or laid out in other formats, and a fresh random seed
 * here painted another backdrop (marble veins, wood grain) under the same prompt. Otherwise random.
 */
export function seedFor(request: Pick<GenerateRequest, 'seed' | 'start_step' | 'step1_image'>, source: Pick<JobRow, 'params'> | null): number {
  if (request.seed !== null) return request.seed;
  if (source && request.start_step >= 2 && !request.step1_image) return source.params.seed;
  return randomInt(0, 2 ** 32);
}

export interface SubmitContext {
  store: JobStore;
  folders: RunFolders;
  runner: JobRunner;
  fontDirs: FontDirs;
  maxPixels?: number;
  /** True once the service is closing: no new jobs. */
  closed(): boolean;
  /** The job as adapters see it. */
  record(jobId: string): JobRecord | undefined;
  /** Announces the new job (the 'created' event). */
  created(job: JobRecord): void;
}

/** The from_job_id job, 404 when unknown (ids that are not job ids cannot exist). */
function sourceJob(store: JobStore, id: string | null): JobRow | null {
  if (id === null || id === '') return null;
  const row = isJobId(id) ? store.get(id) : undefined;
  if (!row) throw new AppError(404, 'from_job_id: job not found', 'from_job_id');
  return row;
}

export async function submitJob(ctx: SubmitContext, request: GenerateRequest, options: SubmitOptions): Promise<JobRecord> {
  const { store, folders, runner } = ctx;
  const refuseIfBusy = () => {
    if (ctx.closed()) throw new AppError(503, 'Server is shutting down');
    if (!options.queue && runner.busy) throw new BusyError(runner.retryAfterSeconds());
  };
  // Cheap refusal first: a busy lane answers 503 before any image is decoded.
  refuseIfBusy();
  checkStepRange(request);
  const startStep = request.start_step as 1 | 2 | 3;
  const stopStep = (request.stop_step ?? 3) as 1 | 2 | 3;

  const source = sourceJob(store, request.from_job_id);
  const need = (field: 'step1_image' | 'step2_image', artifact: ArtifactName, stepNo: number) => {
    if (request[field]) return;
    if (!source) throw badRequest(`${field} is required for start_step ${startStep} (or give from_job_id of a job that has ${ARTIFACTS[artifact]})`, field);
    if (!folders.hasArtifact(source.id, artifact)) {
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
    await checkUploadedImage(bytes, field, ctx.maxPixels ?? DEFAULT_MAX_PIXELS);
    uploads.push([field, bytes]);
  }
  const fontPath = resolveFont(request.font_name, ctx.fontDirs);
  const params = paramsOf(request, seedFor(request, source));

  const jobId = randomUUID();
  await folders.create(jobId);
  try {
    for (const [field, bytes] of uploads) await folders.writeFile(jobId, UPLOAD_OF[field], bytes);
    const uploaded = new Set(uploads.map(([f]) => f));
    if (source) {
      const reuse: ArtifactName[] = [];
      if (startStep === 1 && !uploaded.has('product_image') && folders.hasArtifact(source.id, 'input')) {
        // Rerun step 1 of a stored job: its product photo stands in for the upload, and its cut-out is reused.
        await folders.copyArtifacts(source.id, jobId, ['input', 'cutout']);
        await folders.writeFile(jobId, UPLOADS.product, await readFile(folders.fileOf(jobId, 'input')));
      }
      if (startStep >= 2 && !uploaded.has('step1_image')) reuse.push(...REUSED_FOR_STEP2, 'input', 'cutout');
      if (startStep === 3 && !uploaded.has('step2_image')) reuse.push('step2');
      await folders.copyArtifacts(source.id, jobId, reuse);
    }
    await folders.writeJson(jobId, 'params', { job_id: jobId, ...params });
    const hasProduct = startStep === 1 && existsSync(join(folders.dirOf(jobId), UPLOADS.product));
    const row: JobRow = {
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
      artifacts: folders.listArtifactsSync(jobId),
      fromJobId: source?.id ?? null,
    };
    // From here on synchronous: the busy check and the lane hand-off cannot interleave with another submit.
    refuseIfBusy();
    store.insert(row);
    const job: WorkerJob = { jobId, runDir: folders.dirOf(jobId), params, fontPath, startStep, stopStep };
    const created = ctx.record(jobId);
    if (created) ctx.created(created);
    runner.submit(job, { queue: true, hasProduct });
  } catch (err) {
    if (store.get(jobId)?.status === 'pending' && !runner.isActive(jobId)) store.delete(jobId);
    await folders.remove(jobId).catch(() => {});
    throw err;
  }
  const rec = ctx.record(jobId);
  if (!rec) throw new Error(`job ${jobId} vanished after submit`);
  return rec;
}
