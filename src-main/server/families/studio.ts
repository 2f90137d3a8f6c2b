// Studio family: the built studio UI at /studio/ plus the /api endpoints the browser studio needs
// beyond nanoCocoa (paged history, thumbnails, placement preview, job events over WebSocket,
// streamed ZIP export, font bytes, settings). A thin adapter: the work is in studio-ops.ts.
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { GenerateRequestSchema } from '../../core/params';
import type { JobEvent, StudioService } from '../../core/service';
import type { AppConfig } from '../../config';
import { writeJobsZip } from '../../store/zip-export';
import { STUDIO_CSP, type StudioSettings } from '../../../src-preload/contract';
import {
  artifactFile,
  ExportRequestSchema,
  exportSources,
  fontFile,
  JobIdSchema,
  jobsPage,
  JobsQuerySchema,
  listModelFiles,
  placementPreview,
  PlacementQuerySchema,
  requireJob,
  staticFile,
  type FileBody,
} from './studio-ops';
import { zodErrorToAppError } from '../validation';

export type StudioFamilyConfig = Pick<AppConfig, 'host' | 'apiKey'> &
  Partial<Pick<AppConfig, 'port' | 'dataDir' | 'modelsDir' | 'fontDirs'>> & {
    /** Built studio UI (vite output); default <app root>/out/renderer. */
    rendererDir?: string;
  };

export interface StudioFamilyOptions {
  service: StudioService;
  config: StudioFamilyConfig;
}

/** <app root>/out/renderer: the app root holds fonts/ (config) or is two levels above this bundle. */
export function defaultRendererDir(config: StudioFamilyConfig): string {
  if (config.rendererDir) return resolve(config.rendererDir);
  if (config.fontDirs?.bundled) return join(dirname(config.fontDirs.bundled), 'out', 'renderer');
  return fileURLToPath(new URL('../out/renderer', import.meta.url));
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw zodErrorToAppError(r.error, input);
  return r.data;
}

function sendFile(reply: FastifyReply, file: FileBody, cache: string): FastifyReply {
  return reply.header('content-type', file.contentType).header('cache-control', cache).header('x-content-type-options', 'nosniff').send(file.body);
}

export async function studioFamily(app: FastifyInstance, opts: StudioFamilyOptions): Promise<void> {
  const { service, config } = opts;
  const rendererDir = defaultRendererDir(config);
  // One WebSocket plugin per server: another family may have registered it already.
  if (!app.hasDecorator('websocketServer')) await app.register(websocket);

  // ---- the studio UI
  const sendUi = async (reply: FastifyReply, path: string) => {
    const file = await staticFile(rendererDir, path);
    const isHtml = file.contentType.startsWith('text/html');
    if (isHtml) reply.header('content-security-policy', STUDIO_CSP).header('x-frame-options', 'DENY').header('referrer-policy', 'no-referrer');
    // Vite fingerprints assets/ so they can be cached for good; the page itself must not be.
    return sendFile(reply, file, path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  app.get('/studio', async (_req, reply) => reply.redirect('/studio/'));
  app.get('/studio/', async (_req, reply) => sendUi(reply, 'index.html'));
  app.get<{ Params: { '*': string } }>('/studio/*', async (req, reply) => sendUi(reply, req.params['*']));

  // ---- jobs
  app.get('/api/jobs', async (req) => jobsPage(service, parse(JobsQuerySchema, req.query)));
  app.post('/api/jobs', async (req, reply) => {
    const request = parse(GenerateRequestSchema, req.body);
    // The studio queues behind a running job rather than failing: the designer sees it pending.
    const job = await service.submit(request, { queue: true, client: 'studio' });
    return reply.code(201).send(job);
  });
  app.get<{ Params: { id: string } }>('/api/jobs/:id', async (req) => requireJob(service, parse(JobIdSchema, req.params.id)));
  app.post<{ Params: { id: string } }>('/api/jobs/:id/stop', async (req) => {
    const id = parse(JobIdSchema, req.params.id);
    requireJob(service, id);
    return service.stop(id);
  });
  app.delete<{ Params: { id: string } }>('/api/jobs/:id', async (req, reply) => {
    await service.remove(parse(JobIdSchema, req.params.id));
    return reply.code(204).send();
  });
  app.get<{ Params: { id: string; file: string }; Querystring: { w?: string } }>('/api/jobs/:id/files/:file', async (req, reply) => {
    const id = parse(JobIdSchema, req.params.id);
    const w = req.query.w === undefined ? undefined : parse(z.coerce.number().int().min(1).max(8192), req.query.w);
    const file = await artifactFile(service, id, req.params.file, w);
    // Artifacts of a job are rewritten by reruns of that same job id only through new jobs, so a
    // short cache is safe; the UI adds ?v= when it wants a fresh copy.
    return sendFile(reply, file, 'private, max-age=60');
  });
  app.get<{ Params: { id: string } }>('/api/jobs/:id/placement', async (req) => {
    const id = parse(JobIdSchema, req.params.id);
    const q = parse(PlacementQuerySchema, req.query);
    return placementPreview(service, id, q.position, q.mode);
  });

  // ---- events: every JobEvent as one JSON text frame
  app.get('/api/events', { websocket: true }, (socket) => {
    const off = service.onEvent((event: JobEvent) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    });
    socket.on('close', off);
    socket.on('error', off);
  });

  // ---- export: streamed ZIP; the estimate header lets the browser show progress
  app.post('/api/export', async (req, reply) => {
    const { job_ids } = parse(ExportRequestSchema, req.body);
    const { sources, estimate } = await exportSources(service, job_ids);
    const out = new PassThrough();
    writeJobsZip(sources, out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="adforge-${sources.length === 1 ? sources[0].jobId : `${sources.length}-jobs`}-${stamp}.zip"`)
      .header('x-export-bytes-estimate', String(estimate))
      .header('access-control-expose-headers', 'x-export-bytes-estimate, content-disposition')
      .send(out);
  });

  // ---- fonts, health, settings
  app.get('/api/fonts', async () => service.fonts());
  app.get<{ Querystring: { name?: string } }>('/api/fonts/file', async (req, reply) => {
    const file = await fontFile(service, req.query.name ?? '');
    return sendFile(reply, file, 'public, max-age=86400');
  });
  app.get('/api/health', async () => service.health());
  app.get('/api/settings', async (req): Promise<StudioSettings> => {
    const health = await service.health();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (config.port ?? 0);
    return {
      shell: 'browser',
      version: health.version,
      dataDir: config.dataDir ?? '',
      modelsDir: config.modelsDir ?? '',
      models: config.modelsDir ? await listModelFiles(config.modelsDir) : [],
      server: {
        enabled: true,
        host: config.host,
        port: config.port ?? port,
        url: req.headers.host ? `${req.protocol}://${req.headers.host}` : null,
        apiKeySet: !!config.apiKey,
        error: null,
      },
    };
  });
  app.put('/api/settings', async () => {
    throw new AppError(400, 'The headless server is configured with serve flags or ADFORGE_* variables (port, host, API key); restart it to change them.');
  });
}
