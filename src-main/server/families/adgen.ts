// AdGen runs family (seed 003), mounted at /adgen/: runs are StudioService jobs submitted with
// queue:true (run_id = job id). Unlike the original, artifact URLs are served, cancel really stops
// the work, finalize waits for the job itself (no ComfyUI polling) and one finalize per run builds
// the ZIP even when a client fires it repeatedly.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { ZipFile } from 'yazl';
import { z } from 'zod';
import { AppError, BusyError } from '../../core/errors';
import { ARTIFACTS, isActive, type ArtifactName, type JobStatus } from '../../core/jobs';
import { MAX_PROMPT_CHARS } from '../../core/params';
import type { JobRecord, StudioService } from '../../core/service';
import type { AppConfig } from '../../config';
import { parseGenerateRequest } from '../../service/submit';
import { serverLimits, type DeepPartial, type RequestLimits } from '../limits';
import { QueueGate } from '../queue-gate';
import { nameErrorOf, publicMessage } from '../redact';

export const ADGEN_CLIENT = 'adgen';

export interface AdgenFamilyOptions {
  service: StudioService;
  config: Pick<AppConfig, 'dataDir'> & {
    /** Queue bounds (config.limits); defaults where left out. */
    limits?: DeepPartial<RequestLimits>;
  };
  /** How long POST /finalize waits for a running job (default 180 s, as the original). */
  finalizeTimeoutMs?: number;
}

type RunStatus = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
const RUN_STATUS: Record<JobStatus, RunStatus> = { pending: 'PENDING', running: 'RUNNING', completed: 'COMPLETED', failed: 'FAILED', stopped: 'CANCELLED' };
const IMAGE_ARTIFACTS: ArtifactName[] = ['final', 'step1', 'step2', 'cutout', 'input'];
const RUN_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** AdGen's own fields; any GenerateRequest field (text_content, product_image, ...) may ride along. */
const AdgenRequestSchema = z
  .object({
    prompt: z.string().min(1).max(MAX_PROMPT_CHARS),
    negative_prompt: z.string().max(MAX_PROMPT_CHARS).nullable().optional(),
    seed: z.number().int().min(0).max(4294967295).nullable().optional(),
    logo_image: z.string().nullable().optional(),
    mood_image: z.string().nullable().optional(),
  })
  .passthrough();

class FastApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === 'string' ? detail : 'validation error');
  }
}

/** "2025-08-21T12:00:00+0000", the original's strftime format. */
function stamp(unixSeconds: number | null): string | null {
  if (unixSeconds === null) return null;
  return new Date(Math.floor(unixSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** Whole seconds between the two stamps as printed (12:00:00 → 12:01:30 is 90), so the fields never disagree. */
export function runDuration(createdAt: number, finishedAt: number | null): number | null {
  return finishedAt === null ? null : Math.max(0, Math.floor(finishedAt) - Math.floor(createdAt));
}

export async function adgenFamily(app: FastifyInstance, opts: AdgenFamilyOptions): Promise<void> {
  const { service } = opts;
  const zipDir = join(opts.config.dataDir, 'adgen');
  await mkdir(zipDir, { recursive: true });
  const prefix = app.prefix;
  const finalizing = new Map<string, Promise<Record<string, unknown>>>();
  const zipPath = (id: string) => join(zipDir, `${id}.zip`);
  const gate = new QueueGate(service, ADGEN_CLIENT, serverLimits(opts.config.limits).queue.adgen);
  app.addHook('onClose', async () => gate.close());

  app.setErrorHandler((err: unknown, _request, reply) => {
    if (err instanceof FastApiError) return reply.code(err.status).send({ detail: err.detail });
    if (err instanceof BusyError) {
      const n = Math.max(1, Math.ceil(err.retryAfterSeconds));
      return reply.code(503).header('Retry-After', String(n)).send({ detail: err.detail });
    }
    if (err instanceof AppError) return reply.code(err.status).send({ detail: err.detail });
    const nameError = nameErrorOf(err);
    if (nameError) return reply.code(nameError.status).send({ detail: nameError.detail });
    const status = (err as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return reply.code(status).send({ detail: publicMessage((err as Error).message) });
    return reply.code(500).send({ detail: `Internal server error: ${publicMessage((err as Error).message)}` });
  });

  const runOf = (id: string): JobRecord => {
    const job = RUN_ID_RE.test(id) ? service.get(id) : undefined;
    if (!job || job.client !== ADGEN_CLIENT) throw new FastApiError(404, 'Run not found');
    return job;
  };

  const meta = (job: JobRecord): Record<string, unknown> => {
    const p = job.parameters;
    return {
      run_id: job.job_id,
      status: RUN_STATUS[job.status],
      created_at: stamp(job.created_at),
      finished_at: stamp(job.finished_at),
      inputs: { prompt: p.bg_prompt, negative_prompt: p.bg_negative_prompt, seed: p.seed, ...(p.text_content ? { text_content: p.text_content } : {}) },
      prompt_id: job.job_id,
      progress_percent: job.progress_percent,
      artifacts: IMAGE_ARTIFACTS.filter((a) => job.artifacts.includes(a)).map((a) => ({
        filename: ARTIFACTS[a],
        type: 'image',
        url: `${prefix}/runs/${job.job_id}/files/${ARTIFACTS[a]}`,
      })),
      error: job.error,
    };
  };

  const waitForEnd = (id: string, timeoutMs: number): Promise<JobRecord | undefined> =>
    new Promise((resolve) => {
      const now = service.get(id);
      if (!now || !isActive(now.status)) return resolve(now);
      const timer = setTimeout(() => {
        off();
        resolve(service.get(id));
      }, timeoutMs);
      const off = service.onEvent((ev) => {
        if (ev.type === 'finished' && ev.job.job_id === id) {
          clearTimeout(timer);
          off();
          resolve(ev.job);
        }
      });
    });

  /** meta.json + the run's images, written to a temp name and renamed: a reader never sees half a ZIP. */
  const buildZip = async (job: JobRecord, m: Record<string, unknown>) => {
    const zip = new ZipFile();
    zip.addBuffer(Buffer.from(JSON.stringify(m, null, 2)), 'meta.json');
    for (const a of [...IMAGE_ARTIFACTS, 'params' as ArtifactName]) {
      const path = job.artifacts.includes(a) ? service.artifactPath(job.job_id, a) : undefined;
      if (path) zip.addFile(path, ARTIFACTS[a], { compress: !path.endsWith('.png') });
    }
    zip.end();
    const tmp = `${zipPath(job.job_id)}.${process.pid}.tmp`;
    await pipeline(zip.outputStream, createWriteStream(tmp));
    await rename(tmp, zipPath(job.job_id));
  };

  app.get('/health', async () => ({ ok: true }));

  app.get('/health/detailed', async () => {
    let storage = 'ok';
    try {
      const probe = join(zipDir, `.probe-${process.pid}`);
      await writeFile(probe, 'ok');
      await rm(probe);
    } catch (err) {
      storage = `error: ${(err as Error).message}`;
    }
    let database = 'ok';
    let queue: Record<string, number> = {};
    try {
      const c = service.counts();
      queue = { active: c.active_jobs, pending: c.pending_jobs, total: c.total_jobs };
    } catch (err) {
      database = `error: ${(err as Error).message}`;
    }
    const health = await service.health().catch(() => null);
    const gpus = health?.system_metrics.gpu_info ?? [];
    return {
      api: 'ok',
      timestamp: Date.now() / 1000,
      storage,
      database,
      // The original's graph/comfy checks: here the pipeline and its ComfyUI API are built in.
      graph: 'ok',
      comfy: 'ok',
      engines: health?.engines ?? {},
      execution_provider: health?.execution_provider ?? null,
      gpu: gpus.length > 0 ? gpus.map((g) => ({ name: g.name, vram_total_gb: g.vram_total_gb, vram_used_gb: g.vram_used_gb })) : 'none (CPU)',
      queue,
      version: health?.version ?? null,
      ok: storage === 'ok' && database === 'ok' && health !== null,
    };
  });

  app.post('/generate', async (request) => {
    const parsed = AdgenRequestSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      throw new FastApiError(
        422,
        parsed.error.issues.map((i) => ({
          type: i.code === 'invalid_type' && (request.body as Record<string, unknown> | undefined)?.[String(i.path[0])] === undefined ? 'missing' : i.code,
          loc: ['body', ...i.path.map(String)],
          msg:
            i.code === 'invalid_type' && (request.body as Record<string, unknown> | undefined)?.[String(i.path[0])] === undefined
              ? 'Field required'
              : i.message,
        })),
      );
    }
    const { prompt, negative_prompt, seed, logo_image, mood_image: _mood, ...rest } = parsed.data;
    const raw: Record<string, unknown> = { ...rest, bg_prompt: prompt };
    if (negative_prompt) raw.bg_negative_prompt = negative_prompt;
    if (seed !== undefined && seed !== null) raw.seed = seed;
    if (logo_image && !rest.product_image) raw.product_image = logo_image;
    let req;
    try {
      req = parseGenerateRequest(raw);
    } catch (err) {
      if (err instanceof AppError) throw new FastApiError(422, [{ type: 'value_error', loc: ['body', err.field ?? 'body'], msg: err.detail }]);
      throw err;
    }
    const job = await gate.admit(() => service.submit(req, { queue: true, client: ADGEN_CLIENT }));
    return { run_id: job.job_id, status: RUN_STATUS[job.status], prompt_id: job.job_id };
  });

  app.get('/runs', async () =>
    service
      .list({ limit: 1000 })
      .filter((j) => j.client === ADGEN_CLIENT)
      .sort((a, b) => b.created_at - a.created_at)
      .map((j) => ({
        run_id: j.job_id,
        prompt: j.parameters.bg_prompt,
        status: RUN_STATUS[j.status],
        created_at: stamp(j.created_at),
        finished_at: stamp(j.finished_at),
        duration: runDuration(j.created_at, j.finished_at),
      })),
  );

  app.get('/runs/:id', async (request) => meta(runOf((request.params as { id: string }).id)));

  app.get('/runs/:id/files/:name', async (request, reply) => {
    const { id, name } = request.params as { id: string; name: string };
    const job = runOf(id);
    const artifact = (Object.keys(ARTIFACTS) as ArtifactName[]).find((a) => ARTIFACTS[a] === name);
    const path = artifact ? service.artifactPath(job.job_id, artifact) : undefined;
    if (!path) throw new FastApiError(404, 'File not found');
    return reply.type(name.endsWith('.png') ? 'image/png' : 'application/json').send(createReadStream(path));
  });

  app.post('/finalize/:id', async (request) => {
    const id = runOf((request.params as { id: string }).id).job_id;
    let p = finalizing.get(id);
    if (!p) {
      p = (async () => {
        const job = (await waitForEnd(id, opts.finalizeTimeoutMs ?? 180_000)) ?? runOf(id);
        const m = meta(job);
        if (!isActive(job.status)) await buildZip(job, m);
        return m;
      })().finally(() => finalizing.delete(id));
      finalizing.set(id, p);
    }
    return p;
  });

  app.post('/runs/:id/cancel', async (request) => {
    const job = runOf((request.params as { id: string }).id);
    return meta(isActive(job.status) ? await service.stop(job.job_id) : job);
  });

  app.delete('/runs/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!RUN_ID_RE.test(id)) throw new FastApiError(400, 'Invalid run_id');
    const job = runOf(id);
    if (isActive(job.status)) await service.stop(job.job_id);
    await service.remove(job.job_id);
    await rm(zipPath(job.job_id), { force: true });
    return reply.code(204).send();
  });

  app.get('/download/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const job = runOf(id);
    let st = await stat(zipPath(job.job_id)).catch(() => null);
    if (!st && job.status === 'completed') {
      await buildZip(job, meta(job));
      st = await stat(zipPath(job.job_id)).catch(() => null);
    }
    if (!st) throw new FastApiError(404, 'ZIP not found: finalize the run first');
    return reply
      .type('application/zip')
      .header('Content-Length', String(st.size))
      .header('Content-Disposition', `attachment; filename="${job.job_id}.zip"`)
      .send(createReadStream(zipPath(job.job_id)));
  });
}
