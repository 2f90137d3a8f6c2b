// Studio family: the built studio UI at /studio/ plus the /api routes the browser studio needs
// beyond nanoCocoa. A thin adapter: each contract method (core/studio-contract.ts) is one route
// whose parameters are validated by the contract's own argument schemas, then one StudioService
// call; the renderer's HTTP client (src-renderer/src/api/http.ts) calls these routes. Asset routes
// (artifact files and thumbnails, font bytes) and the job event WebSocket sit beside them.
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import type { FileBody, JobEvent, StudioService } from '../../core/service';
import { STUDIO_CSP, type StudioSettings } from '../../core/studio-api';
import { JobIdsSchema, parseStudioArgs } from '../../core/studio-contract';
import { zodErrorToAppError } from '../../core/zod-errors';
import type { AppConfig } from '../../config';
import { staticFile } from '../../service/static-files';
import { QueueGate } from '../queue-gate';
import { serverLimits } from '../limits';

export type StudioFamilyConfig = Pick<AppConfig, 'host' | 'apiKey'> &
  Partial<Pick<AppConfig, 'port' | 'dataDir' | 'modelsDir' | 'fontDirs'>> & {
    /** Built studio UI (vite output); default <app root>/out/renderer. */
    rendererDir?: string;
    /** Request bounds; the studio uses its queue bound (limits.queue.studio). */
    limits?: Partial<AppConfig['limits']>;
  };

export interface StudioFamilyOptions {
  service: StudioService;
  config: StudioFamilyConfig;
}

/** POST /api/export body. */
const ExportBodySchema = z.object({ job_ids: JobIdsSchema });
/** ?w= of an artifact: a thumbnail width (clamped by the service). */
const WidthSchema = z.coerce.number().int().min(1).max(8192);

/** <app root>/out/renderer: the app root holds fonts/ (config) or is two levels above this bundle. */
function defaultRendererDir(config: StudioFamilyConfig): string {
  if (config.rendererDir) return resolve(config.rendererDir);
  if (config.fontDirs?.bundled) return join(dirname(config.fontDirs.bundled), 'out', 'renderer');
  return fileURLToPath(new URL('../out/renderer', import.meta.url));
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw zodErrorToAppError(r.error, input);
  return r.data;
}

/** Query strings are text: digits become numbers so the contract's number checks apply as over IPC. */
function numeric(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

function sendFile(reply: FastifyReply, file: FileBody, cache: string): FastifyReply {
  return reply.header('content-type', file.contentType).header('cache-control', cache).header('x-content-type-options', 'nosniff').send(file.body);
}

type IdParams = { Params: { id: string } };

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

  // ---- contract methods
  app.get<{ Querystring: Record<string, string> }>('/api/jobs', async (req) => {
    const q: Record<string, unknown> = { ...req.query };
    for (const key of ['limit', 'offset']) if (key in q) q[key] = numeric(q[key]);
    const [query] = parseStudioArgs('listJobs', [q]);
    return service.jobsPage(query);
  });
  // The studio queues behind a running job rather than failing (the designer sees it pending), up
  // to its queue bound; past it 503 + Retry-After.
  const gate = new QueueGate(service, 'studio', serverLimits(config.limits).queue.studio);
  app.addHook('onClose', async () => gate.close());
  app.post('/api/jobs', async (req, reply) => {
    const [request] = parseStudioArgs('submit', [req.body]);
    return reply.code(201).send(await gate.admit(() => service.submit(request, { queue: true, client: 'studio' })));
  });
  app.get<IdParams>('/api/jobs/:id', async (req) => service.requireJob(...parseStudioArgs('getJob', [req.params.id])));
  app.post<IdParams>('/api/jobs/:id/stop', async (req) => service.stop(...parseStudioArgs('stopJob', [req.params.id])));
  app.delete<IdParams>('/api/jobs/:id', async (req, reply) => {
    await service.remove(...parseStudioArgs('deleteJob', [req.params.id]));
    return reply.code(204).send();
  });
  app.get<IdParams & { Querystring: { position?: string; mode?: string } }>('/api/jobs/:id/placement', async (req) =>
    service.previewPlacement(...parseStudioArgs('previewPlacement', [req.params.id, req.query.position ?? 'auto', req.query.mode ?? 'overlay'])),
  );
  app.get('/api/fonts', async () => service.fonts());
  app.get('/api/models', async () => service.models());
  app.post<{ Params: { id: string } }>('/api/models/:id/install', async (req) => service.installModel(...parseStudioArgs('installModel', [req.params.id])));
  app.post<{ Params: { id: string } }>('/api/models/:id/cancel', async (req) =>
    service.cancelModelInstall(...parseStudioArgs('cancelModelInstall', [req.params.id])),
  );
  app.delete<{ Params: { id: string } }>('/api/models/:id', async (req) => service.removeModel(...parseStudioArgs('removeModel', [req.params.id])));
  app.post('/api/free', async () => service.freeEngines());
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
      models: await service.modelFiles(),
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
  app.put('/api/settings', async (req) => {
    parseStudioArgs('updateSettings', [req.body]);
    throw new AppError(400, 'The headless server is configured with serve flags or ADFORGE_* variables (port, host, API key); restart it to change them.');
  });
  // exportZip: streamed ZIP; the estimate header lets the browser show progress.
  app.post('/api/export', async (req, reply) => {
    const { job_ids } = parse(ExportBodySchema, req.body);
    const zip = await service.exportJobs(job_ids);
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${zip.fileName}"`)
      .header('x-export-bytes-estimate', String(zip.estimate))
      .header('access-control-expose-headers', 'x-export-bytes-estimate, content-disposition')
      .send(Readable.from(zip.open()));
  });

  // ---- assets: artifacts (thumbnails with ?w=) and font bytes; unknown jobs and files are 404
  app.get<IdParams & { Params: { file: string }; Querystring: { w?: string } }>('/api/jobs/:id/files/:file', async (req, reply) => {
    const w = req.query.w === undefined ? undefined : parse(WidthSchema, req.query.w);
    const file = await service.artifactFile(req.params.id, req.params.file, w);
    // Artifacts of a job are rewritten by reruns of that same job id only through new jobs, so a
    // short cache is safe; the UI adds ?v= when it wants a fresh copy.
    return sendFile(reply, file, 'private, max-age=60');
  });
  app.get<{ Querystring: { name?: string } }>('/api/fonts/file', async (req, reply) =>
    sendFile(reply, await service.fontFile(req.query.name ?? ''), 'public, max-age=86400'),
  );

  // ---- events: every JobEvent as one JSON text frame
  app.get('/api/events', { websocket: true }, (socket) => {
    const off = service.onEvent((event: JobEvent) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    });
    socket.on('close', off);
    socket.on('error', off);
  });
}
