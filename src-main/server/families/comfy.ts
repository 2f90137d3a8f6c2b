// ComfyUI / Comfy Cloud family: the HTTP + WebSocket API of a ComfyUI server (0.3.64 wire format,
// plus 0.38's /api/jobs and Comfy Cloud's /api/job/{id}/status), served at `/` and `/api/` of its
// own port (default 8188) and under /comfy/ on the main port. A thin adapter: a graph becomes ONE
// StudioService job submitted with queue:true; ComfyCore turns job events into ComfyUI messages.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import multipart from '@fastify/multipart';
import sharp from 'sharp';
import type { StudioService } from '../../core/service';
import type { AppConfig } from '../../config';
import { installGuard } from '../guard';
import { comfyCoreFor, PromptRejected, type ComfyCore } from './comfy/core';
import { comfyError, type ComfyErrorBody } from './comfy/graph';
import { CONTENT_TYPES, isFile, resolveUpload, resolveView, uploadTarget } from './comfy/files';
import { NODE_BY_NAME, nodeInfo, objectInfo } from './comfy/nodes';

export interface ComfyFamilyOptions {
  service: StudioService;
  config: Pick<AppConfig, 'dataDir' | 'bodyLimit'>;
  /** Largest accepted upload (default: config.bodyLimit). */
  maxUploadBytes?: number;
  /** Keep-alive `status` after this much socket silence (default 5000 ms; SDKs give up after 10 s). */
  heartbeatMs?: number;
}

type Json = Record<string, unknown>;

class ComfyHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ComfyErrorBody,
  ) {
    super(body.error.message);
  }
}

const bad = (status: number, type: string, message: string, details = '') => new ComfyHttpError(status, comfyError(type, message, details));

function obj(body: unknown): Json {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : {};
}

function intQuery(v: unknown, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw bad(400, 'invalid_query', `${name} must be a non-negative integer`, `${name}=${String(v)}`);
  return n;
}

/** Reads a file part and the form fields of a ComfyUI upload. */
async function readUpload(request: FastifyRequest, maxBytes: number): Promise<{ file: Buffer | null; filename: string; fields: Record<string, string> }> {
  if (!request.isMultipart()) throw bad(400, 'invalid_upload', 'Expected multipart/form-data with an "image" file part');
  let file: Buffer | null = null;
  let filename = '';
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ preservePath: true, limits: { fileSize: maxBytes, files: 4, fields: 20, fieldSize: 1024 * 1024 } })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'image' && file === null) {
          file = bytes;
          filename = part.filename ?? '';
        }
      } else fields[part.fieldname] = String(part.value);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw bad(413, 'upload_too_large', `File too large: the limit is ${maxBytes} bytes`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw bad(400, 'invalid_upload', 'Too many parts in the upload');
    throw bad(400, 'invalid_upload', `Malformed multipart body: ${(err as Error).message}`);
  }
  return { file, filename, fields };
}

async function assertImage(bytes: Buffer): Promise<void> {
  const meta = await sharp(bytes).metadata().catch(() => null);
  if (!meta?.format || !meta.width || !meta.height) throw bad(400, 'invalid_upload', 'The uploaded file is not an image (PNG, JPEG, WebP, AVIF, TIFF or GIF)');
}

async function handleUpload(core: ComfyCore, request: FastifyRequest, maxBytes: number, isMask: boolean): Promise<Json> {
  const { file, filename, fields } = await readUpload(request, maxBytes);
  if (!file || !filename) throw bad(400, 'invalid_upload', 'No "image" file part, or it has no file name');
  const target = resolveUpload(core.dirs, { filename, subfolder: fields.subfolder ?? '', type: fields.type || 'input' });
  if (!target.ok) throw bad(400, 'invalid_upload', target.reason, filename);
  await assertImage(file);
  let bytes = file;
  if (isMask) {
    // comfy-ui-client sends "originalRef"; ComfyUI reads "original_ref".
    const refText = fields.original_ref ?? fields.originalRef;
    let ref: Json;
    try {
      ref = obj(JSON.parse(refText ?? ''));
    } catch {
      throw bad(400, 'invalid_upload', 'original_ref must be JSON {"filename","subfolder","type"}');
    }
    const orig = resolveView(core.dirs, { filename: String(ref.filename ?? ''), subfolder: String(ref.subfolder ?? ''), type: String(ref.type ?? 'output') });
    if (!orig.ok) throw bad(orig.status === 404 ? 400 : orig.status, 'invalid_upload', `original_ref: ${orig.reason}`);
    if (!(await isFile(orig.path))) return { name: target.name, subfolder: fields.subfolder ?? '', type: target.type };
    // The mask's alpha becomes the original's alpha (ComfyUI's "paint a mask in the editor").
    const base = sharp(await readFile(orig.path)).removeAlpha();
    const { width, height } = await base.metadata();
    const alpha = await sharp(file).ensureAlpha().extractChannel(3).resize(width, height, { fit: 'fill' }).raw().toBuffer();
    bytes = await base.joinChannel(alpha, { raw: { width: width ?? 1, height: height ?? 1, channels: 1 } }).png().toBuffer();
  }
  await mkdir(dirname(target.path), { recursive: true });
  const overwrite = fields.overwrite === 'true' || fields.overwrite === '1';
  const { name, write } = await uploadTarget(dirname(target.path), target.name, bytes, overwrite || isMask);
  if (write) await writeFile(`${dirname(target.path)}/${name}`, bytes);
  return { name, subfolder: fields.subfolder ?? '', type: target.type };
}

async function sendView(core: ComfyCore, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const q = request.query as Record<string, string | undefined>;
  const r = resolveView(core.dirs, q);
  if (!r.ok) return reply.code(r.status).type('text/plain; charset=utf-8').send(r.reason);
  if (!(await isFile(r.path))) return reply.code(404).header('Cache-Control', 'public, max-age=3600').type('text/plain; charset=utf-8').send('file not found');
  reply.header('Cache-Control', 'public, max-age=86400').header('X-Content-Type-Options', 'nosniff');
  const channel = q.channel ?? 'rgba';
  const preview = q.preview;
  if (preview || channel !== 'rgba') {
    let img = sharp(await readFile(r.path));
    if (channel === 'rgb') img = img.removeAlpha();
    else if (channel === 'a') {
      const { width, height } = await img.metadata();
      const alpha = await img.clone().ensureAlpha().extractChannel(3).raw().toBuffer();
      img = sharp({ create: { width: width ?? 1, height: height ?? 1, channels: 3, background: { r: 0, g: 0, b: 0 } } }).joinChannel(alpha, {
        raw: { width: width ?? 1, height: height ?? 1, channels: 1 },
      });
    }
    if (preview) {
      const [fmt, qs] = preview.split(';');
      const quality = Math.min(100, Math.max(1, Number(qs) || 90));
      if (fmt === 'jpeg' && channel !== 'a') return reply.type('image/jpeg').header('Content-Disposition', `filename="${r.name}"`).send(await img.jpeg({ quality }).toBuffer());
      return reply.type('image/webp').header('Content-Disposition', `filename="${r.name}"`).send(await img.webp({ quality }).toBuffer());
    }
    return reply.type('image/png').header('Content-Disposition', `filename="${r.name}"`).send(await img.png().toBuffer());
  }
  const type = CONTENT_TYPES[extname(r.name).toLowerCase()] ?? 'application/octet-stream';
  return reply.type(type).header('Content-Disposition', `filename="${r.name.replace(/"/g, '')}"`).send(createReadStream(r.path));
}

/** Routes shared by `/` and `/api/` (ComfyUI registers every route under both). */
function comfyRoutes(core: ComfyCore, maxUpload: number, withCloud: boolean) {
  return async (app: FastifyInstance) => {
    const ok = (reply: FastifyReply) => reply.code(200).type('application/octet-stream').send('');

    app.get('/ws', { websocket: true }, (socket, request) => {
      const q = request.query as Record<string, string | undefined>;
      core.sockets.attach(socket, q.clientId || undefined);
    });

    app.get('/prompt', async () => ({ exec_info: { queue_remaining: core.queueRemaining() } }));
    app.post('/prompt', async (request) => core.submitPrompt(request.body));

    app.get('/queue', async () => ({
      queue_running: core.running().map((e) => core.queueItem(e)),
      queue_pending: core.pending().map((e) => core.queueItem(e)),
    }));
    app.post('/queue', async (request, reply) => {
      const b = obj(request.body);
      await core.editQueue(b.clear === true, Array.isArray(b.delete) ? b.delete.map(String) : []);
      return ok(reply);
    });

    app.get('/history', async (request) => {
      const q = request.query as Record<string, unknown>;
      return core.history.slice(intQuery(q.max_items, 'max_items'), intQuery(q.offset, 'offset'));
    });
    app.get('/history/:id', async (request) => {
      const { id } = request.params as { id: string };
      const h = core.history.get(id);
      return h ? { [id]: h } : {};
    });
    app.post('/history', async (request, reply) => {
      const b = obj(request.body);
      if (b.clear === true) await core.history.clear();
      if (Array.isArray(b.delete)) await core.history.delete(b.delete.map(String));
      return ok(reply);
    });

    app.get('/view', async (request, reply) => sendView(core, request, reply));
    app.post('/upload/image', async (request) => handleUpload(core, request, maxUpload, false));
    app.post('/upload/mask', async (request) => handleUpload(core, request, maxUpload, true));

    app.get('/object_info', async () => objectInfo(await core.nodeContext()));
    app.get('/object_info/:cls', async (request) => {
      const { cls } = request.params as { cls: string };
      const def = NODE_BY_NAME.get(cls);
      return def ? { [cls]: nodeInfo(def, await core.nodeContext()) } : {};
    });

    app.post('/interrupt', async (request, reply) => {
      const id = obj(request.body).prompt_id;
      await core.interrupt(typeof id === 'string' ? id : undefined);
      return ok(reply);
    });
    // Models stay resident in the pipeline worker by design; there is nothing to unload per request.
    app.post('/free', async (_request, reply) => ok(reply));

    app.get('/system_stats', async () => core.systemStats());
    app.get('/features', async () => core.features());
    app.get('/embeddings', async () => []);
    app.get('/extensions', async () => []);
    app.get('/models', async () => []);
    app.get('/models/:folder', async (_request, reply) => reply.code(404).send(''));
    app.get('/users', async () => ({ storage: 'server', migrated: true }));

    if (!withCloud) return;
    // Comfy Cloud / ComfyUI 0.38 job views (only under /api, as upstream declares them).
    const notFound = (reply: FastifyReply) => reply.code(404).send({ error: 'Job not found' });
    app.get('/job/:id/status', async (request, reply) => {
      const s = core.cloudStatus((request.params as { id: string }).id);
      return s ? { status: s } : notFound(reply);
    });
    app.get('/jobs/:id', async (request, reply) => core.cloudJob((request.params as { id: string }).id, true) ?? notFound(reply));
    app.post('/jobs/:id/cancel', async (request, reply) => {
      const id = (request.params as { id: string }).id;
      const s = core.cloudStatus(id);
      if (!s) return notFound(reply);
      if (s === 'pending') await core.editQueue(false, [id]);
      else if (s === 'in_progress') await core.interrupt(id);
      return { cancelled: s === 'pending' || s === 'in_progress' };
    });
    app.get('/jobs', async (request, reply) => {
      const q = request.query as Record<string, string | undefined>;
      const statuses = q.status ? q.status.split(',') : null;
      const known = ['pending', 'in_progress', 'completed', 'failed', 'cancelled'];
      if (statuses?.some((s) => !known.includes(s))) return reply.code(400).send({ error: `status must be among ${known.join(', ')}` });
      let limit: number | undefined;
      let offset: number;
      try {
        limit = intQuery(q.limit, 'limit');
        offset = intQuery(q.offset, 'offset') ?? 0;
      } catch (err) {
        return reply.code(400).send({ error: (err as Error).message });
      }
      let jobs = core.allCloudJobs().filter((j) => !statuses || statuses.includes(String(j.status)));
      if (q.workflow_id) jobs = jobs.filter((j) => j.workflow_id === q.workflow_id);
      const key = q.sort_by === 'execution_duration' ? (j: Json) => Number(j.execution_end_time ?? 0) - Number(j.execution_start_time ?? 0) : (j: Json) => Number(j.create_time ?? 0);
      jobs.sort((a, b) => (q.sort_order === 'asc' ? key(a) - key(b) : key(b) - key(a)));
      const page = jobs.slice(offset, limit !== undefined ? offset + limit : undefined);
      return { jobs: page, pagination: { offset, limit: limit ?? null, total: jobs.length, has_more: offset + page.length < jobs.length } };
    });
    app.post('/jobs/cancel', async (request, reply) => {
      const ids = obj(request.body).job_ids;
      if (!Array.isArray(ids)) return reply.code(400).send({ error: 'job_ids must be a list' });
      const invalid = ids.filter((id) => typeof id !== 'string' || !core.cloudStatus(id));
      if (invalid.length > 0) return reply.code(400).send({ error: 'job_ids contains invalid id(s)', invalid_ids: invalid });
      let cancelled = false;
      for (const id of ids as string[]) {
        const s = core.cloudStatus(id);
        if (s === 'pending') await core.editQueue(false, [id]);
        if (s === 'in_progress') await core.interrupt(id);
        cancelled ||= s === 'pending' || s === 'in_progress';
      }
      return { cancelled };
    });
  };
}

/**
 * The ComfyUI API as a Fastify plugin. Register it with Fastify's own `prefix` option for the main
 * port (`{ prefix: '/comfy' }`) or without one for the dedicated port.
 */
export async function comfyFamily(app: FastifyInstance, opts: ComfyFamilyOptions): Promise<void> {
  const maxUpload = opts.maxUploadBytes ?? opts.config.bodyLimit;
  const core = comfyCoreFor(opts.service, { dataDir: opts.config.dataDir, maxUploadBytes: maxUpload, heartbeatMs: opts.heartbeatMs });
  await core.whenReady();
  if (!app.hasDecorator('websocketServer')) await app.register(websocket);
  if (!app.hasContentTypeParser('multipart/form-data')) await app.register(multipart);

  // ComfyUI parses the body as JSON whatever its Content-Type (clients send text/plain or none);
  // an empty body is "no body" so POST /interrupt and /free work without one.
  for (const type of ['application/json', 'text/plain']) if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(bad(400, 'invalid_prompt', 'Invalid JSON body', 'the request body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof PromptRejected) return reply.code(400).send(err.body);
    if (err instanceof ComfyHttpError) return reply.code(err.status).send(err.body);
    const status = (err as { statusCode?: number }).statusCode;
    const code = (err as { code?: string }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return reply.code(413).send(comfyError('request_too_large', 'Request body too large'));
    if (typeof status === 'number' && status >= 400 && status < 500) return reply.code(status).send(comfyError('invalid_request', (err as Error).message));
    request.log.error({ err }, 'comfy family error');
    return reply.code(500).send(comfyError('server_error', 'Internal server error', err instanceof Error ? err.message : String(err)));
  });

  await app.register(comfyRoutes(core, maxUpload, false));
  await app.register(comfyRoutes(core, maxUpload, true), { prefix: '/api' });
  // Not aliased under /api upstream; SDKs call them at init.
  app.patch('/internal/logs/subscribe', async (_request, reply) => reply.code(200).type('application/octet-stream').send(''));
  app.get('/internal/logs/raw', async () => ({ entries: [], size: { cols: 80, rows: 24 } }));
}

export interface ComfyServerConfig extends Pick<AppConfig, 'host' | 'apiKey' | 'dataDir' | 'bodyLimit' | 'comfyPort'> {
  extraHosts?: string[];
}

export interface ComfyServerOverrides {
  /** Listen here instead of config.comfyPort (0 = any free port, for tests). */
  port?: number;
  heartbeatMs?: number;
  maxUploadBytes?: number;
}

/** The dedicated ComfyUI port (same guard rules as the main port). null when comfyPort is 0 (off). */
export async function startComfyServer(
  service: StudioService,
  config: ComfyServerConfig,
  overrides: ComfyServerOverrides = {},
): Promise<{ port: number; url: string; close: () => Promise<void> } | null> {
  const port = overrides.port ?? config.comfyPort;
  if (overrides.port === undefined && config.comfyPort === 0) return null;
  const maxUpload = overrides.maxUploadBytes ?? config.bodyLimit;
  const app = Fastify({ bodyLimit: Math.max(config.bodyLimit, maxUpload), logger: false, forceCloseConnections: true, routerOptions: { maxParamLength: 200 } });
  installGuard(app, { host: config.host, apiKey: config.apiKey, extraHosts: config.extraHosts });
  await app.register(websocket);
  await app.register(multipart);
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404: Not Found'));
  app.get('/', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send('AdForge Studio: ComfyUI-compatible API. Node classes: GET /object_info. WebSocket: /ws?clientId=.\n'),
  );
  await app.register(comfyFamily, { service, config, maxUploadBytes: maxUpload, heartbeatMs: overrides.heartbeatMs });
  await app.listen({ port, host: config.host });
  const addr = app.server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { port: actual, url: `http://${host}:${actual}`, close: () => app.close() };
}
