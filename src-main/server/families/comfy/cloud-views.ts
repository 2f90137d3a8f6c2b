// Comfy Cloud / ComfyUI 0.38 job views (reference §4.6): /api/job/{id}/status, /api/jobs/{id} and
// the /api/jobs listing, read from the prompt registry (live prompts) and its history. Pure reads.
import type { HistoryEntry } from './history';
import type { PromptRegistry } from './prompt-registry';

export type CloudStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled';
export const CLOUD_STATUSES: readonly CloudStatus[] = ['pending', 'in_progress', 'completed', 'failed', 'cancelled'];

type Json = Record<string, unknown>;

/** null: no such job (never submitted, cleared from the queue, or deleted from history). */
export function cloudStatus(registry: PromptRegistry, promptId: string): CloudStatus | null {
  const e = registry.get(promptId);
  if (e?.cancelled) return 'cancelled';
  if (e && !e.cleared) return e.run.state === 'pending' ? 'pending' : 'in_progress';
  const h = registry.history.get(promptId);
  if (!h) return null;
  if (h.status.status_str === 'success') return 'completed';
  return h.status.messages.some(([t]) => t === 'execution_interrupted') ? 'cancelled' : 'failed';
}

/** The Job object; `detail` adds outputs, execution_status and workflow (GET /api/jobs/{id}). */
export function cloudJob(registry: PromptRegistry, promptId: string, detail: boolean): Json | null {
  const status = cloudStatus(registry, promptId);
  if (!status) return null;
  const e = registry.get(promptId);
  const h = registry.history.get(promptId);
  const item = e ? registry.queueItem(e) : (h as HistoryEntry).prompt;
  const extra = item[3];
  const workflow = extra.extra_pnginfo as { workflow?: { id?: unknown } } | undefined;
  const job: Json = {
    id: promptId,
    status,
    priority: item[0],
    create_time: extra.create_time,
    outputs_count: 0,
    previewable_outputs_count: 0,
  };
  if (typeof workflow?.workflow?.id === 'string') job.workflow_id = workflow.workflow.id;
  if (h) {
    const at = (t: string) => h.status.messages.find(([m]) => m === t)?.[1].timestamp;
    const start = at('execution_start');
    const end = at('execution_success') ?? at('execution_error') ?? at('execution_interrupted');
    if (start !== undefined) job.execution_start_time = start;
    if (end !== undefined) job.execution_end_time = end;
    const err = h.status.messages.find(([m]) => m === 'execution_error');
    if (err) job.execution_error = err[1];
    const items = Object.entries(h.outputs).flatMap(([nodeId, o]) => o.images.map((img) => ({ ...img, nodeId, mediaType: 'images' })));
    job.outputs_count = items.length;
    job.previewable_outputs_count = items.length;
    if (items.length > 0) job.preview_output = items[items.length - 1];
    if (detail) {
      job.outputs = h.outputs;
      job.execution_status = h.status;
    }
  }
  if (detail) job.workflow = { prompt: item[2], extra_data: extra };
  return job;
}

export interface CloudJobsQuery {
  /** null: every status. */
  statuses: string[] | null;
  workflowId?: string;
  sortBy?: string;
  sortOrder?: string;
  limit?: number;
  offset: number;
}

/** GET /api/jobs: finished jobs in history order, then queued ones; filtered, sorted, one page. */
export function listCloudJobs(registry: PromptRegistry, q: CloudJobsQuery): { jobs: Json[]; pagination: Json } {
  const ids = [...registry.history.ids(), ...registry.live().map((e) => e.promptId)];
  let jobs = ids.map((id) => cloudJob(registry, id, false)).filter((j): j is Json => j !== null);
  jobs = jobs.filter((j) => !q.statuses || q.statuses.includes(String(j.status)));
  if (q.workflowId) jobs = jobs.filter((j) => j.workflow_id === q.workflowId);
  const key =
    q.sortBy === 'execution_duration'
      ? (j: Json) => Number(j.execution_end_time ?? 0) - Number(j.execution_start_time ?? 0)
      : (j: Json) => Number(j.create_time ?? 0);
  jobs.sort((a, b) => (q.sortOrder === 'asc' ? key(a) - key(b) : key(b) - key(a)));
  const { limit, offset } = q;
  const page = jobs.slice(offset, limit !== undefined ? offset + limit : undefined);
  return { jobs: page, pagination: { offset, limit: limit ?? null, total: jobs.length, has_more: offset + page.length < jobs.length } };
}
