// ComfyUI bridge family (seeds 001 and 004), mounted at /bridge/: named workflows with admin-chosen
// inputs, uploads, generation from a workflow alias, {status, details} WebSocket messages, paged
// history. A thin adapter: a workflow becomes a ComfyUI graph, the graph ONE StudioService job
// (queue:true, the shared lane). Unlike the original there is no 60 s WebSocket limit and results
// stay readable (history + result URLs) instead of being deleted after one read.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import multipart from '@fastify/multipart';
import type { WebSocket } from 'ws';
import { AppError, BusyError } from '../../core/errors';
import { isActive } from '../../core/jobs';
import type { JobEvent, JobRecord, StudioService } from '../../core/service';
import type { AppConfig } from '../../config';
import { writeFileAtomic } from '../../imaging/atomic-write';
import { DEFAULT_MAX_PIXELS } from '../../imaging/codec';
import { checkUploadedImage } from '../../service/submit';
import { serverLimits, websocketOptions, type DeepPartial, type RequestLimits } from '../limits';
import { QueueGate } from '../queue-gate';
import { nameErrorOf, publicMessage } from '../redact';
import { applyInputs, declaredInputs, loadWorkflows, SAMPLE_PRODUCT, samplePng, type Workflow } from './bridge-workflows';
import { comfyDirs, isFile, isSafeFileName, listInputImages } from './comfy/files';
import { GraphError, translateGraph } from './comfy/graph';
import { requestFromPlan } from './comfy/plan-request';

export const BRIDGE_CLIENT = 'bridge';
/** Prefix of stored upload names (the original bridge's marker for "uploaded through the bridge"). */
export const UPLOAD_PREFIX = 'bridge_server_comfyui_';

export interface BridgeFamilyOptions {
  service: StudioService;
  config: Pick<AppConfig, 'dataDir' | 'bodyLimit'> &
    Partial<Pick<AppConfig, 'maxPixels'>> & {
      /** Queue, graph, JSON and WebSocket bounds (config.limits); defaults where left out. */
      limits?: DeepPartial<RequestLimits>;
    };
  maxUploadBytes?: number;
  /** How often an idle socket is told `listening` (default 1000 ms, as the original). */
  listenIntervalMs?: number;
}

type Msg = { status: 'connected' | 'listening' | 'progress' | 'closed' | 'error'; details: string };

interface RunRecord {
  id: string;
  clientId: string;
  workflow: string;
  created_at: number;
}

interface BridgeState {
  generation_count: number;
  runs: RunRecord[];
}

class BridgeError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

const IMAGE_EXT: Record<string, string> = { png: '.png', jpeg: '.jpg', webp: '.webp', gif: '.gif', avif: '.avif', tiff: '.tiff', heif: '.avif' };
/** Most file parts one POST /upload may carry; more and the whole upload is refused, nothing stored. */
const MAX_UPLOAD_FILES = 10;

export async function bridgeFamily(app: FastifyInstance, opts: BridgeFamilyOptions): Promise<void> {
  const { service } = opts;
  const dataDir = opts.config.dataDir;
  const maxUpload = opts.maxUploadBytes ?? opts.config.bodyLimit;
  const maxPixels = opts.config.maxPixels ?? DEFAULT_MAX_PIXELS;
  const limits = serverLimits(opts.config.limits);
  const gate = new QueueGate(service, BRIDGE_CLIENT, limits.queue.bridge);
  const inputDir = comfyDirs(dataDir).input;
  const stateFile = join(dataDir, 'bridge', 'state.json');
  const workflowDir = join(dataDir, 'bridge', 'workflows');
  await mkdir(inputDir, { recursive: true });
  await mkdir(workflowDir, { recursive: true });
  if (!(await isFile(join(inputDir, SAMPLE_PRODUCT)))) await writeFile(join(inputDir, SAMPLE_PRODUCT), await samplePng());
  if (!app.hasDecorator('websocketServer')) await app.register(websocket, websocketOptions(limits));
  if (!app.hasContentTypeParser('multipart/form-data')) await app.register(multipart);

  let state: BridgeState = { generation_count: 0, runs: [] };
  try {
    state = JSON.parse(await readFile(stateFile, 'utf8')) as BridgeState;
  } catch {
    // First start (or an unreadable file): start counting from zero.
  }
  let saving = Promise.resolve();
  const save = () => {
    saving = saving.then(() => writeFileAtomic(stateFile, JSON.stringify(state))).catch(() => undefined);
    return saving;
  };

  const sockets = new Map<string, { socket: WebSocket; lastSent: number }>();
  const latest = new Map<string, Msg>();
  const prefix = app.prefix;

  const send = (clientId: string, msg: Msg, close = false) => {
    latest.set(clientId, msg);
    const s = sockets.get(clientId);
    if (!s || s.socket.readyState !== 1) return;
    s.lastSent = Date.now();
    s.socket.send(JSON.stringify(msg));
    if (close) s.socket.close(1000, msg.status);
  };

  const recordOf = (jobId: string) => state.runs.find((r) => r.id === jobId);
  const unsubscribe = service.onEvent((ev: JobEvent) => {
    if (ev.type === 'deleted') return;
    const job = ev.job;
    if (job.client !== BRIDGE_CLIENT) return;
    const rec = recordOf(job.job_id);
    if (!rec) return;
    if (ev.type === 'progress' || ev.type === 'started' || ev.type === 'step-result') {
      send(rec.clientId, { status: 'progress', details: `${job.progress_percent.toFixed(2)}%` });
    } else if (ev.type === 'finished') {
      if (job.status === 'completed') send(rec.clientId, { status: 'closed', details: 'Execution is done' }, true);
      else if (job.status === 'stopped') send(rec.clientId, { status: 'error', details: 'Execution was interrupted' }, true);
      else send(rec.clientId, { status: 'error', details: job.error ?? 'Execution failed' }, true);
    }
  });
  const ticker = setInterval(
    () => {
      const now = Date.now();
      const every = opts.listenIntervalMs ?? 1000;
      for (const s of sockets.values()) {
        if (now - s.lastSent < every || s.socket.readyState !== 1) continue;
        s.lastSent = now;
        s.socket.send(JSON.stringify({ status: 'listening', details: 'server is listening' }));
      }
    },
    Math.max(100, Math.floor((opts.listenIntervalMs ?? 1000) / 2)),
  );
  ticker.unref();
  app.addHook('onClose', async () => {
    clearInterval(ticker);
    unsubscribe();
    gate.close();
    for (const s of sockets.values()) s.socket.close(1001, 'server shutting down');
    await saving;
  });

  app.setErrorHandler((err: unknown, _request, reply) => {
    if (err instanceof BridgeError) return reply.code(err.status).send({ detail: err.detail, ...err.extra });
    if (err instanceof BusyError) {
      const n = Math.max(1, Math.ceil(err.retryAfterSeconds));
      return reply.code(503).header('Retry-After', String(n)).send({ detail: err.detail, retry_after: n });
    }
    if (err instanceof AppError) return reply.code(err.status).send({ detail: err.detail });
    const nameError = nameErrorOf(err);
    if (nameError) return reply.code(nameError.status).send({ detail: nameError.detail });
    const status = (err as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return reply.code(status).send({ detail: publicMessage((err as Error).message) });
    return reply.code(500).send({ detail: `Internal server error: ${publicMessage((err as Error).message)}` });
  });

  const clientIdOf = (request: FastifyRequest, required: boolean): string => {
    const id = (request.query as Record<string, string | undefined>).clientId;
    if (!id) {
      if (required) throw new BridgeError(400, 'clientId query parameter is required');
      return '';
    }
    if (id.length > 200) throw new BridgeError(400, 'clientId is too long');
    return id;
  };
  const workflows = () => loadWorkflows(workflowDir);
  const findWorkflow = async (alias: unknown): Promise<Workflow> => {
    if (typeof alias !== 'string' || !alias) throw new BridgeError(400, 'workflow is required (an alias from GET workflow-list)');
    const wf = (await workflows()).find((w) => w.alias === alias);
    if (!wf) throw new BridgeError(400, `unknown workflow "${alias}"`);
    return wf;
  };
  const activeJobsOf = (clientId: string): JobRecord[] =>
    state.runs
      .filter((r) => r.clientId === clientId)
      .map((r) => service.get(r.id))
      .filter((j): j is JobRecord => !!j && isActive(j.status));

  // ---------------------------------------------------------------- core API

  // Without a clientId the upgrade is refused with a plain HTTP 400 {detail}, before any socket exists.
  const requireClientId = async (request: FastifyRequest, reply: FastifyReply) => {
    const id = (request.query as Record<string, string | undefined>).clientId;
    if (!id) return reply.code(400).send({ detail: 'clientId query parameter is required' });
    if (id.length > 200) return reply.code(400).send({ detail: 'clientId is too long (at most 200 characters)' });
  };
  app.get('/ws', { websocket: true, preValidation: requireClientId }, (socket, request) => {
    const clientId = (request.query as Record<string, string | undefined>).clientId as string;
    const entry = { socket, lastSent: Date.now() };
    sockets.set(clientId, entry);
    socket.on('close', () => {
      if (sockets.get(clientId) !== entry) return;
      sockets.delete(clientId);
      // As the bridge does: a client that hangs up no longer wants its result.
      for (const job of activeJobsOf(clientId)) void service.stop(job.job_id).catch(() => undefined);
    });
    socket.on('error', () => undefined);
    send(clientId, { status: 'connected', details: 'server connected' });
  });

  app.get('/workflow-list', async () =>
    (await workflows()).map((w) => ({ alias: w.alias, description: w.description, inputs: Object.keys(declaredInputs(w)) })),
  );

  app.get('/workflow-info', async (request) => declaredInputs(await findWorkflow((request.query as Record<string, unknown>).workflow)));

  app.post('/upload', async (request) => {
    clientIdOf(request, false);
    if (!request.isMultipart()) throw new BridgeError(400, 'send the images as multipart/form-data file parts');
    // All or nothing: every part is read and checked first (bounded by the multipart limits), then
    // all are written; a failure at any point leaves no file behind.
    const parts: { original: string; bytes: Buffer }[] = [];
    try {
      for await (const part of request.parts({
        preservePath: true,
        limits: { fileSize: maxUpload, files: MAX_UPLOAD_FILES, fields: 10, parts: MAX_UPLOAD_FILES + 10 },
      })) {
        if (part.type !== 'file') continue;
        const bytes = await part.toBuffer();
        parts.push({ original: part.filename ?? '', bytes });
      }
    } catch (err) {
      if (err instanceof BridgeError) throw err;
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw new BridgeError(413, `file too large: the limit is ${maxUpload} bytes`);
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
        throw new BridgeError(400, `too many parts: at most ${MAX_UPLOAD_FILES} files per upload; nothing was stored`);
      }
      throw new BridgeError(400, `malformed multipart body: ${publicMessage((err as Error).message)}`);
    }
    if (parts.length === 0) throw new BridgeError(400, 'no file parts in the upload');
    const planned: { original: string; name: string; bytes: Buffer }[] = [];
    for (const { original, bytes } of parts) {
      if (!isSafeFileName(original))
        throw new BridgeError(400, `file name ${JSON.stringify(original.slice(0, 255))}: must be a plain name of at most 255 bytes without "/", "\\" or ".."`);
      let ext: string | undefined;
      try {
        ext = IMAGE_EXT[(await checkUploadedImage(bytes, original, maxPixels)).format];
      } catch (err) {
        if (err instanceof AppError) throw new BridgeError(err.status === 413 ? 413 : 400, err.detail);
        throw err;
      }
      if (!ext) throw new BridgeError(400, `${original}: not an image (PNG, JPEG, WebP, GIF, AVIF or TIFF)`);
      planned.push({ original, name: `${UPLOAD_PREFIX}${randomUUID().replace(/-/g, '').slice(0, 16)}${ext}`, bytes });
    }
    const written: string[] = [];
    try {
      for (const p of planned) {
        await writeFileAtomic(join(inputDir, p.name), p.bytes);
        written.push(p.name);
      }
    } catch (err) {
      await Promise.all(written.map((name) => rm(join(inputDir, name), { force: true })));
      throw err;
    }
    return Object.fromEntries(planned.map((p) => [p.original, p.name]));
  });

  app.post('/generate-based-workflow', async (request) => {
    const clientId = clientIdOf(request, true);
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new BridgeError(400, 'body must be a JSON object {"workflow": alias, "<node>/<input>": value, ...}');
    const { workflow, ...values } = body as Record<string, unknown>;
    const wf = await findWorkflow(workflow);
    const applied = applyInputs(wf, values);
    if ('error' in applied) throw new BridgeError(400, applied.error);
    let plan;
    try {
      plan = translateGraph(
        applied.graph,
        { inputFiles: await listInputImages(inputDir), fonts: service.fonts().map((f) => f.name) },
        { limits: limits.graph },
      );
    } catch (err) {
      if (err instanceof GraphError) {
        const lines = Object.entries(err.body.node_errors).flatMap(([id, n]) => n.errors.map((e) => `${id}: ${e.message}: ${e.details}`));
        throw new BridgeError(400, [err.body.error.message, ...lines].join('; '));
      }
      throw err;
    }
    const job = await gate.admit(async () => service.submit(await requestFromPlan(plan, inputDir), { queue: true, client: BRIDGE_CLIENT }));
    state.generation_count++;
    state.runs.push({ id: job.job_id, clientId, workflow: wf.alias, created_at: job.created_at });
    await save();
    // The job may already have progressed before it was recorded: report where it is now.
    const now = service.get(job.job_id);
    if (now && now.status === 'running') send(clientId, { status: 'progress', details: `${now.progress_percent.toFixed(2)}%` });
    return { detail: `queued / ${service.counts().active_jobs}`, prompt_id: job.job_id };
  });

  const statusWord = (j: JobRecord | undefined) => (j ? (j.status === 'stopped' ? 'interrupted' : j.status) : 'deleted');

  app.get('/history', async (request) => {
    const q = request.query as Record<string, string | undefined>;
    // The seed shows an absolute result_url that a client fetches as it is.
    const origin = `${request.protocol}://${request.headers.host ?? '127.0.0.1'}`;
    const int = (v: string | undefined, name: string, def: number, min: number, max: number) => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) throw new BridgeError(400, `${name} must be an integer ${min}-${max}`, { error: `invalid ${name}` });
      return n;
    };
    const limit = int(q.limit, 'limit', 10, 1, 100);
    const offset = int(q.offset, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const runs = state.runs.filter((r) => !q.clientId || r.clientId === q.clientId).filter((r) => service.get(r.id));
    const items = runs
      .slice()
      .reverse()
      .slice(offset, offset + limit)
      .map((r) => {
        const j = service.get(r.id);
        const item: Record<string, unknown> = { id: r.id, timestamp: new Date(r.created_at * 1000).toISOString(), workflow: r.workflow, status: statusWord(j) };
        if (j?.status === 'completed') item.result_url = `${origin}${prefix}/result/${r.id}`;
        if (j?.status === 'failed') item.error_message = j.error ?? 'failed';
        return item;
      });
    return { history: items, total_count: runs.length, page: Math.floor(offset / limit) + 1, page_size: limit };
  });

  app.get('/result/:id', async (request, reply: FastifyReply) => {
    const { id } = request.params as { id: string };
    const path = recordOf(id) ? service.artifactPath(id, 'final') : undefined;
    if (!path) throw new BridgeError(404, 'no result for this id (unknown, not a bridge job, or not finished)');
    return reply
      .type('image/png')
      .header('Content-Disposition', `inline; filename="${id}${extname(path)}"`)
      .send(createReadStream(path));
  });

  // ---------------------------------------------------------------- util API

  app.get('/execution-info', async (request) => {
    const clientId = clientIdOf(request, true);
    const msg = latest.get(clientId);
    if (!msg) throw new BridgeError(400, `unknown clientId "${clientId}"`);
    return msg;
  });

  app.get('/generation-count', async () => state.generation_count);

  // Releases the pipeline's resident diffusion engine (GPU memory) once the job in flight is done.
  app.post('/free', async () => {
    const { released } = await service.freeEngines();
    return { detail: released.length ? `released ${released.join(', ')}` : 'nothing was loaded', released };
  });

  app.post('/interrupt', async (request) => {
    const clientId = clientIdOf(request, true);
    const active = activeJobsOf(clientId);
    if (!state.runs.some((r) => r.clientId === clientId)) throw new BridgeError(400, `unknown clientId "${clientId}"`);
    await Promise.all(active.map((j) => service.stop(j.job_id)));
    return { detail: active.length > 0 ? `interrupted ${active.length} job(s)` : 'nothing running for this clientId' };
  });
}
