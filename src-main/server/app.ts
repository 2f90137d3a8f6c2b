// Fastify app factory: the guard, the error handlers, the API docs and one plugin per API family,
// all over one StudioService. Listening is the caller's job (CLI, Electron main, tests).
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import multipart from '@fastify/multipart';
import type { StudioService } from '../core/service';
import type { AppConfig } from '../config';
import { installErrorHandlers } from './error-handler';
import { installGuard } from './guard';
import { installJsonParser } from './json-body';
import { nanoCocoaFamily } from './families/nanococoa';
import { studioFamily } from './families/studio';
import { comfyFamily } from './families/comfy';
import { bridgeFamily } from './families/bridge';
import { adgenFamily } from './families/adgen';
import { openApiDocument } from './openapi';
import { serverLimits, websocketOptions } from './limits';
import { registerPages } from './pages';
import { redactUrl } from './redact';

export type ServerConfig = Pick<AppConfig, 'host' | 'apiKey' | 'bodyLimit'> &
  Partial<Pick<AppConfig, 'port' | 'dataDir' | 'modelsDir' | 'fontDirs' | 'maxPixels'>> & {
    /** Queue, graph, JSON and WebSocket bounds (config.limits); any part left out takes its default. */
    limits?: Partial<AppConfig['limits']>;
    logger?: boolean;
    extraHosts?: string[];
    /** Built studio UI; default <app root>/out/renderer. */
    rendererDir?: string;
    /** Which families to mount besides nanoCocoa (default: all; interop needs dataDir). */
    families?: { studio?: boolean; interop?: boolean };
    /** Test knobs for the interop families. */
    interop?: { maxUploadBytes?: number; heartbeatMs?: number; bridgeListenMs?: number };
  };

export async function buildServer(service: StudioService, config: ServerConfig): Promise<FastifyInstance> {
  const limits = serverLimits(config.limits);
  const app = Fastify({
    bodyLimit: config.bodyLimit,
    // Logged requests never carry the key (?token= on WebSocket URLs).
    logger: config.logger ? { level: 'warn', serializers: { req: (req) => ({ method: req.method, url: redactUrl(req.url) }) } } : false,
    // Job ids and names are short; refuse absurd URLs before routing.
    routerOptions: { maxParamLength: 200 },
    forceCloseConnections: true,
  });

  // Time spent in this process per request, so slow responses can be told apart from a starved CPU.
  const started = new WeakMap<object, number>();
  app.addHook('onRequest', async (request) => {
    started.set(request, performance.now());
  });
  app.addHook('onSend', async (request, reply) => {
    const t0 = started.get(request);
    if (t0 !== undefined) reply.header('Server-Timing', `app;dur=${(performance.now() - t0).toFixed(2)}`);
  });
  installErrorHandlers(app, config.bodyLimit);
  installJsonParser(app, limits.jsonDepth);
  installGuard(app, {
    host: config.host,
    apiKey: config.apiKey,
    extraHosts: config.extraHosts,
  });

  await app.register(swagger, { mode: 'static', specification: { document: openApiDocument() as never } });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', async () => app.swagger());
  // nanoCocoa §7: ReDoc (offline, from the redoc package) and the developer dashboard.
  registerPages(app);

  // One WebSocket and one multipart plugin at the root, shared by every family below. Clients
  // send small messages only: a big frame closes the socket (1009) instead of being buffered.
  await app.register(websocket, websocketOptions(limits));
  await app.register(multipart);
  await app.register(nanoCocoaFamily, { service });
  if (config.families?.studio !== false) await app.register(studioFamily, { service, config: { ...config, limits } });
  if (config.families?.interop !== false && config.dataDir) {
    const c = { dataDir: config.dataDir, bodyLimit: config.bodyLimit, maxPixels: config.maxPixels, limits, apiKey: config.apiKey };
    const knobs = config.interop ?? {};
    await app.register(comfyFamily, { prefix: '/comfy', service, config: c, maxUploadBytes: knobs.maxUploadBytes, heartbeatMs: knobs.heartbeatMs });
    await app.register(bridgeFamily, { prefix: '/bridge', service, config: c, maxUploadBytes: knobs.maxUploadBytes, listenIntervalMs: knobs.bridgeListenMs });
    await app.register(adgenFamily, { prefix: '/adgen', service, config: c });
  }

  const apiIndex = {
    name: 'AdForge Studio',
    api: 'nanoCocoa-compatible REST API',
    endpoints: [
      'POST /generate',
      'GET /status/{job_id}',
      'GET /files/{job_id}/{name}',
      'POST /stop/{job_id}',
      'GET /jobs',
      'DELETE /jobs/{job_id}',
      'GET /fonts',
      'GET /health',
      'GET /help',
      'GET /help/parameters',
    ],
    studio: '/studio/',
    dashboard: '/example_generation',
    redoc: '/redoc',
    families: { comfyui: '/comfy/ (and its own port, default 8188)', bridge: '/bridge/', adgen: '/adgen/' },
    docs: '/docs',
    openapi: '/openapi.json',
  };

  // A browser opening the root gets the studio; API clients get the index.
  app.get('/', async (request, reply) => {
    if (config.families?.studio !== false && String(request.headers.accept ?? '').includes('text/html')) return reply.redirect('/studio/');
    return apiIndex;
  });

  return app;
}
