// Comfy Cloud / ComfyUI 0.38 job routes (only under /api, as upstream declares them): status
// polling, job detail, the filtered listing, and cancel (a pending job is dequeued, a running one
// interrupted). Thin: the views are cloud-views.ts, the queue actions ComfyCore's.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CLOUD_STATUSES, cloudJob, cloudStatus, listCloudJobs } from './cloud-views';
import type { ComfyCore } from './core';
import { intQuery, obj } from './http';

export function cloudRoutes(app: FastifyInstance, core: ComfyCore): void {
  const { registry } = core;
  const notFound = (reply: FastifyReply) => reply.code(404).send({ error: 'Job not found' });
  /** Dequeues or interrupts; true when there was something to cancel. */
  const cancel = async (id: string): Promise<boolean> => {
    const s = cloudStatus(registry, id);
    // A pending job then reads `cancelled` (not 404): it is kept in history as cancelled.
    if (s === 'pending') return core.cancelPending(id);
    if (s === 'in_progress') await core.interrupt(id);
    return s === 'in_progress';
  };

  // Comfy Cloud's first call (seed 002): who the key belongs to. One local user, always active.
  app.get('/user', async () => ({ status: 'active' }));

  app.get('/job/:id/status', async (request, reply) => {
    const s = cloudStatus(registry, (request.params as { id: string }).id);
    return s ? { status: s } : notFound(reply);
  });
  app.get('/jobs/:id', async (request, reply) => cloudJob(registry, (request.params as { id: string }).id, true) ?? notFound(reply));
  app.post('/jobs/:id/cancel', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    if (!cloudStatus(registry, id)) return notFound(reply);
    return { cancelled: await cancel(id) };
  });
  app.get('/jobs', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const statuses = q.status ? q.status.split(',') : null;
    if (statuses?.some((s) => !(CLOUD_STATUSES as readonly string[]).includes(s)))
      return reply.code(400).send({ error: `status must be among ${CLOUD_STATUSES.join(', ')}` });
    let limit: number | undefined;
    let offset: number;
    try {
      limit = intQuery(q.limit, 'limit');
      offset = intQuery(q.offset, 'offset') ?? 0;
    } catch (err) {
      return reply.code(400).send({ error: (err as Error).message });
    }
    return listCloudJobs(registry, { statuses, workflowId: q.workflow_id, sortBy: q.sort_by, sortOrder: q.sort_order, limit, offset });
  });
  app.post('/jobs/cancel', async (request, reply) => {
    const ids = obj(request.body).job_ids;
    if (!Array.isArray(ids)) return reply.code(400).send({ error: 'job_ids must be a list' });
    const invalid = ids.filter((id) => typeof id !== 'string' || !cloudStatus(registry, id));
    if (invalid.length > 0) return reply.code(400).send({ error: 'job_ids contains invalid id(s)', invalid_ids: invalid });
    let cancelled = false;
    for (const id of ids as string[]) cancelled = (await cancel(id)) || cancelled;
    return { cancelled };
  });
}
