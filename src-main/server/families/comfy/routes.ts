// The ComfyUI routes (reference §2), registered under both `/` and `/api/` like ComfyUI's alias
// loop. Thin adapters: each reads its request and calls ComfyCore, the registry or a view.
import type { FastifyInstance } from 'fastify';
import { keyOwner } from '../../guard';
import type { ComfyCore } from './core';
import { intQuery, obj, okEmpty } from './http';
import { NODE_BY_NAME, nodeInfo, objectInfo } from './nodes';
import { cloudRoutes } from './routes-cloud';
import { fileRoutes } from './routes-files';

/** A Fastify plugin with every aliased route; `withCloud` adds the 0.38 / Comfy Cloud job routes. */
export function comfyRoutes(core: ComfyCore, maxUpload: number, withCloud: boolean) {
  return async (app: FastifyInstance) => {
    app.get('/ws', { websocket: true }, (socket, request) => {
      const q = request.query as Record<string, string | undefined>;
      core.sockets.attach(socket, q.clientId || undefined, keyOwner(request));
    });

    app.get('/prompt', async () => ({ exec_info: { queue_remaining: core.queueRemaining() } }));
    app.post('/prompt', async (request) => core.submitPrompt(request.body, keyOwner(request)));

    app.get('/queue', async () => core.queueView());
    app.post('/queue', async (request, reply) => {
      const b = obj(request.body);
      await core.editQueue(b.clear === true, Array.isArray(b.delete) ? b.delete.map(String) : []);
      return okEmpty(reply);
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
      return okEmpty(reply);
    });

    fileRoutes(app, core, maxUpload, withCloud);

    app.get('/object_info', async () => objectInfo(await core.nodeContext()));
    app.get('/object_info/:cls', async (request) => {
      const { cls } = request.params as { cls: string };
      const def = NODE_BY_NAME.get(cls);
      return def ? { [cls]: nodeInfo(def, await core.nodeContext()) } : {};
    });

    app.post('/interrupt', async (request, reply) => {
      const id = obj(request.body).prompt_id;
      await core.interrupt(typeof id === 'string' ? id : undefined);
      return okEmpty(reply);
    });
    // As ComfyUI: accepted at once (200, empty), acted on after the current job.
    app.post('/free', async (request, reply) => {
      const b = obj(request.body);
      if (b.unload_models === true || b.free_memory === true) core.freeEngines();
      return okEmpty(reply);
    });

    app.get('/system_stats', async () => core.systemStats());
    app.get('/features', async () => core.features());
    app.get('/embeddings', async () => []);
    app.get('/extensions', async () => []);
    app.get('/models', async () => []);
    app.get('/models/:folder', async (_request, reply) => reply.code(404).send(''));
    app.get('/users', async () => ({ storage: 'server', migrated: true }));

    if (withCloud) cloudRoutes(app, core);
  };
}

/** Not aliased under /api upstream; SDKs call them at init. */
export function internalRoutes(app: FastifyInstance): void {
  app.patch('/internal/logs/subscribe', async (_request, reply) => okEmpty(reply));
  app.get('/internal/logs/raw', async () => ({ entries: [], size: { cols: 80, rows: 24 } }));
}
