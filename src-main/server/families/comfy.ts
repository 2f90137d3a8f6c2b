// ComfyUI / Comfy Cloud family: the HTTP + WebSocket API of a ComfyUI server (0.3.64 wire format,
// plus 0.38's /api/jobs and Comfy Cloud's /api/job/{id}/status), served at `/` and `/api/` of its
// own port (default 8188) and under /comfy/ on the main port. A thin adapter: a graph becomes ONE
// StudioService job submitted with queue:true. The parts live in comfy/: prompt-registry (the
// queue and history), event-translator (job events → ComfyUI messages, pure), core (wires them to
// the service and the sockets), outputs, cloud-views, system-stats, and the routes*.ts adapters.
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import multipart from '@fastify/multipart';
import type { StudioService } from '../../core/service';
import type { AppConfig } from '../../config';
import { installGuard } from '../guard';
import { serverLimits, websocketOptions, type DeepPartial, type RequestLimits } from '../limits';
import { comfyCoreFor, type ComfyCore } from './comfy/core';
import { installComfyBodyParser, installComfyErrorHandler } from './comfy/http';
import { comfyRoutes, internalRoutes } from './comfy/routes';

export interface ComfyFamilyOptions {
  service: StudioService;
  config: Pick<AppConfig, 'dataDir' | 'bodyLimit'> &
    Partial<Pick<AppConfig, 'maxPixels' | 'apiKey'>> & {
      /** Queue, graph, JSON and WebSocket bounds (config.limits); defaults where left out. */
      limits?: DeepPartial<RequestLimits>;
    };
  /** Largest accepted upload (default: config.bodyLimit). */
  maxUploadBytes?: number;
  /** Keep-alive `status` after this much socket silence (default 5000 ms; SDKs give up after 10 s). */
  heartbeatMs?: number;
  /**
   * The core to serve (createComfyCore; the caller closes it). Default: the service's shared core
   * (comfyCoreFor, closed by closeComfyCore), created with the options above on first use.
   */
  core?: ComfyCore;
}

/**
 * The ComfyUI API as a Fastify plugin. Register it with Fastify's own `prefix` option for the main
 * port (`{ prefix: '/comfy' }`) or without one for the dedicated port.
 */
export async function comfyFamily(app: FastifyInstance, opts: ComfyFamilyOptions): Promise<void> {
  const maxUpload = opts.maxUploadBytes ?? opts.config.bodyLimit;
  const limits = serverLimits(opts.config.limits);
  const core =
    opts.core ??
    comfyCoreFor(opts.service, {
      dataDir: opts.config.dataDir,
      maxUploadBytes: maxUpload,
      heartbeatMs: opts.heartbeatMs,
      limits,
      maxPixels: opts.config.maxPixels,
      secrets: [opts.config.apiKey],
    });
  await core.whenReady();
  if (!app.hasDecorator('websocketServer')) await app.register(websocket, websocketOptions(limits));
  if (!app.hasContentTypeParser('multipart/form-data')) await app.register(multipart);
  installComfyBodyParser(app, limits.jsonDepth);
  installComfyErrorHandler(app);
  await app.register(comfyRoutes(core, maxUpload, false));
  await app.register(comfyRoutes(core, maxUpload, true), { prefix: '/api' });
  internalRoutes(app);
}

export interface ComfyServerConfig extends Pick<AppConfig, 'host' | 'apiKey' | 'dataDir' | 'bodyLimit' | 'comfyPort'>, Partial<Pick<AppConfig, 'maxPixels'>> {
  extraHosts?: string[];
  /** Queue, graph, JSON and WebSocket bounds (config.limits). */
  limits?: DeepPartial<RequestLimits>;
}

export interface ComfyServerOverrides {
  /** Listen here instead of config.comfyPort (0 = any free port, for tests). */
  port?: number;
  heartbeatMs?: number;
  maxUploadBytes?: number;
  /** See ComfyFamilyOptions.core. */
  core?: ComfyCore;
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
  await app.register(websocket, websocketOptions(serverLimits(config.limits)));
  await app.register(multipart);
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404: Not Found'));
  app.get('/', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send('AdForge Studio: ComfyUI-compatible API. Node classes: GET /object_info. WebSocket: /ws?clientId=.\n'),
  );
  const familyConfig = { dataDir: config.dataDir, bodyLimit: config.bodyLimit, maxPixels: config.maxPixels, apiKey: config.apiKey, limits: config.limits };
  await app.register(comfyFamily, { service, config: familyConfig, maxUploadBytes: maxUpload, heartbeatMs: overrides.heartbeatMs, core: overrides.core });
  await app.listen({ port, host: config.host });
  const addr = app.server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { port: actual, url: `http://${host}:${actual}`, close: () => app.close() };
}
