// nanoCocoa family: the seed 000 REST API, field for field, as a thin adapter over StudioService.
// Extensions (from_job_id, seed, output size, *_url, ?include_images=false) are additive only.
import path from 'node:path';
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, BusyError, notFound } from '../../core/errors';
import { ARTIFACTS, JOB_STATUSES, isActive, type JobStatus } from '../../core/jobs';
import type { HealthInfo, JobRecord, ListJobsQuery, StudioService, SystemMetrics } from '../../core/service';
import { Base64Cache } from '../base64-cache';
import { sendBusy } from '../error-handler';
import { helpGuide, parametersGuide } from '../help';
import { statusBody, type ResultImages } from '../status-body';
import { parseGenerateRequest } from '../../service/submit';
import { contentTypeOf } from '../../service/static-files';
import { artifactOfFile } from '../../core/studio-api';

export interface NanoCocoaOptions {
  service: StudioService;
  cache?: Base64Cache;
}

/**
 * Metrics shared by all pollers: 100 clients must not mean 100 samples, and no poll waits for a
 * sample (nvidia-smi can take tens of ms): a stale value is served while a fresh one is taken.
 */
function metricsSampler(service: StudioService, ttlMs = 1000): () => Promise<SystemMetrics> {
  let last: { at: number; value: SystemMetrics } | null = null;
  let pending: Promise<SystemMetrics> | null = null;
  const refresh = () =>
    (pending ??= service
      .health()
      .then((h) => {
        last = { at: Date.now(), value: h.system_metrics };
        return h.system_metrics;
      })
      .finally(() => {
        pending = null;
      }));
  return async () => {
    if (!last) return refresh();
    if (Date.now() - last.at >= ttlMs) refresh().catch(() => undefined);
    return last.value;
  };
}

/**
 * GET /health stays fast whatever else the server is doing. The service's answer reads files (model
 * folders, the disk), and those reads can wait behind image decodes and fsyncs on the shared libuv
 * thread pool, so: an answer taken within the last `maxAgeMs` is served at once with the clock, the
 * job counts and busy/healthy brought up to date from the store (refreshed in the background once
 * it is `refreshMs` old); an older one waits for a fresh answer at most `budgetMs`.
 */
function healthSampler(service: StudioService, opts = { maxAgeMs: 500, refreshMs: 100, budgetMs: 40 }): () => Promise<HealthInfo> {
  let last: { at: number; value: HealthInfo } | null = null;
  let pending: Promise<HealthInfo> | null = null;
  const refresh = () =>
    (pending ??= service
      .health()
      .then((h) => {
        last = { at: Date.now(), value: h };
        return h;
      })
      .finally(() => {
        pending = null;
      }));
  const patched = (h: HealthInfo): HealthInfo => {
    const c = service.counts();
    const status = h.status === 'degraded' ? 'degraded' : c.active_jobs > 0 ? 'busy' : 'healthy';
    return { ...h, status, server_time: Date.now() / 1000, total_jobs: c.total_jobs, active_jobs: c.active_jobs };
  };
  return async () => {
    const age = last ? Date.now() - last.at : Infinity;
    if (last && age < opts.maxAgeMs) {
      if (age >= opts.refreshMs) refresh().catch(() => undefined);
      return patched(last.value);
    }
    const fresh = refresh();
    if (!last) return fresh;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), opts.budgetMs);
    });
    const h = await Promise.race([fresh, late]).finally(() => clearTimeout(timer));
    if (h) return h;
    fresh.catch(() => undefined);
    return patched(last.value);
  };
}

function requireJob(service: StudioService, jobId: string): JobRecord {
  const job = service.get(jobId);
  if (!job) throw notFound('Job not found');
  return job;
}

function parseQueryInt(value: unknown, field: string, min: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new AppError(400, `${field}: must be an integer >= ${min}`, field);
  return n;
}

export const nanoCocoaFamily: FastifyPluginAsync<NanoCocoaOptions> = async (app, opts) => {
  const { service } = opts;
  const cache = opts.cache ?? new Base64Cache();
  const metrics = metricsSampler(service);
  const health = healthSampler(service);

  // Cached images follow the files: a (re)written step result or a deleted job evicts them.
  const unsubscribe = service.onEvent((event) => {
    if (event.type === 'step-result') {
      const p = service.artifactPath(event.job.job_id, event.artifact);
      if (p) cache.evict(p);
    } else if (event.type === 'deleted') {
      cache.evictFolderNamed(event.jobId, path.sep); // run folders are named by job id
    }
  });
  app.addHook('onClose', async () => unsubscribe());

  // A busy lane answers the seed's 503 before the body is even parsed: 200 clients hammering
  // POST /generate during a job cost the server next to nothing, and /health stays fast.
  const refuseWhileBusy = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (service.counts().active_jobs > 0) return sendBusy(reply, service.retryAfterSeconds());
  };
  app.post('/generate', { onRequest: refuseWhileBusy }, async (request, reply) => {
    const params = parseGenerateRequest(request.body);
    try {
      const job = await service.submit(params, { queue: false, client: 'nanococoa' });
      return { job_id: job.job_id, status: 'started' };
    } catch (err) {
      if (err instanceof BusyError) return sendBusy(reply, err.retryAfterSeconds || service.retryAfterSeconds());
      throw err;
    }
  });

  app.get<{ Params: { job_id: string }; Querystring: { include_images?: string } }>('/status/:job_id', async (request, reply) => {
    const job = requireJob(service, request.params.job_id);
    const include = !['false', '0', 'no'].includes(String(request.query.include_images ?? 'true').toLowerCase());
    const images: ResultImages = {};
    if (include) {
      const names = (['step1', 'step2', 'final'] as const).filter((n) => job.artifacts.includes(n));
      for (const n of names) {
        const p = service.artifactPath(job.job_id, n);
        images[n] = p ? cache.get(p) : null;
      }
    }
    const body = statusBody(job, await metrics(), images);
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get<{ Params: { job_id: string; name: string } }>('/files/:job_id/:name', async (request, reply) => {
    const { job_id, name } = request.params;
    const key = artifactOfFile(name);
    if (!key) throw new AppError(404, `File not found: ${name} (one of ${Object.values(ARTIFACTS).join(', ')})`, 'name');
    requireJob(service, job_id);
    const file = service.artifactPath(job_id, key);
    if (!file) throw new AppError(404, `File not found: ${name} for job ${job_id}`, 'name');
    reply.header('Cache-Control', 'no-cache');
    return reply.type(contentTypeOf(file)).send(createReadStream(file));
  });

  app.post<{ Params: { job_id: string } }>('/stop/:job_id', async (request) => {
    requireJob(service, request.params.job_id);
    const job = await service.stop(request.params.job_id);
    return { job_id: job.job_id, status: job.status };
  });

  app.get<{ Querystring: { status?: string; search?: string; limit?: string; offset?: string } }>('/jobs', async (request) => {
    const q = request.query;
    const query: ListJobsQuery = {};
    if (q.status !== undefined && q.status !== '') {
      if (!(JOB_STATUSES as readonly string[]).includes(q.status)) throw new AppError(400, `status: must be one of ${JOB_STATUSES.join(', ')}`, 'status');
      query.status = q.status as JobStatus;
    }
    if (q.search) query.search = q.search;
    const limit = parseQueryInt(q.limit, 'limit', 1);
    const offset = parseQueryInt(q.offset, 'offset', 0);
    if (limit !== undefined) query.limit = limit;
    if (offset !== undefined) query.offset = offset;
    const counts = service.counts();
    const jobs = service.list(query).map((j) => ({
      job_id: j.job_id,
      status: j.status,
      progress_percent: j.progress_percent,
      current_step: j.current_step,
      message: j.message,
      start_time: j.start_time,
      created_at: j.created_at,
    }));
    return { ...counts, jobs };
  });

  app.delete<{ Params: { job_id: string } }>('/jobs/:job_id', async (request) => {
    const job = requireJob(service, request.params.job_id);
    if (isActive(job.status)) throw new AppError(400, 'Cannot delete running job. Stop it first.');
    const anyPath = service.artifactPath(job.job_id, 'final') ?? service.artifactPath(job.job_id, 'params');
    await service.remove(job.job_id);
    if (anyPath) cache.evictPrefix(path.dirname(anyPath) + path.sep);
    return { job_id: job.job_id, status: 'deleted' };
  });

  app.get('/fonts', async () => {
    const fonts = service.fonts();
    return { fonts: fonts.map((f) => f.name), details: fonts };
  });

  app.get('/health', async () => health());
  // Extension: release the resident diffusion engine's GPU memory (after the job in flight).
  app.post('/free', async () => service.freeEngines());

  app.get('/help', async (request) => helpGuide(`http://${request.headers.host ?? '127.0.0.1:8000'}`));
  app.get('/help/parameters', async () => parametersGuide());
};
