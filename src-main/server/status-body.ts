// The GET /status/{job_id} body, field for field as nanoCocoa documents it, plus our extensions.
// Built as a Buffer: the cached base64 images (megabytes) are spliced in as bytes instead of being
// copied into a JS string and escaped again by JSON.stringify on every poll.
import { ARTIFACTS, type ArtifactName } from '../core/jobs';
import type { JobRecord, SystemMetrics } from '../core/service';

export const IMAGE_RESULT_FIELDS = [
  ['step1_result', 'step1'],
  ['step2_result', 'step2'],
  ['final_result', 'final'],
] as const satisfies readonly (readonly [string, ArtifactName])[];

export type ResultImages = Partial<Record<'step1' | 'step2' | 'final', Buffer | null>>;

export function fileUrl(jobId: string, name: ArtifactName): string {
  return `/files/${encodeURIComponent(jobId)}/${ARTIFACTS[name]}`;
}

const urlIfPresent = (job: JobRecord, name: ArtifactName) => (job.artifacts.includes(name) ? fileUrl(job.job_id, name) : null);

/** Seed fields before the images (order as documented). */
export function statusHead(job: JobRecord, metrics: SystemMetrics): Record<string, unknown> {
  return {
    job_id: job.job_id,
    status: job.status,
    progress_percent: job.progress_percent,
    current_step: job.current_step,
    sub_step: job.sub_step,
    message: job.message,
    elapsed_sec: Math.round(job.elapsed_sec * 10) / 10,
    eta_seconds: job.eta_seconds === null ? null : Math.round(job.eta_seconds),
    step_eta_seconds: job.step_eta_seconds === null ? null : Math.round(job.step_eta_seconds),
    system_metrics: metrics,
    parameters: job.parameters,
  };
}

/** `error` (seed, on failure) and the documented extensions after the images. */
export function statusTail(job: JobRecord): Record<string, unknown> {
  return {
    ...(job.status === 'failed' || job.error ? { error: job.error ?? job.message } : {}),
    step1_url: urlIfPresent(job, 'step1'),
    step2_url: urlIfPresent(job, 'step2'),
    final_url: urlIfPresent(job, 'final'),
    engines: job.engines,
    engine_reports: job.engine_reports,
    execution_provider: job.execution_provider,
    reused_steps: job.reused_steps,
    start_step: job.start_step,
    stop_step: job.stop_step,
    created_at: job.created_at,
    start_time: job.start_time,
    finished_at: job.finished_at,
    client: job.client,
    timings: job.timings,
  };
}

/** Serializes head + images + tail into one JSON document. */
export function statusBody(job: JobRecord, metrics: SystemMetrics, images: ResultImages): Buffer {
  const head = JSON.stringify(statusHead(job, metrics));
  const tail = JSON.stringify(statusTail(job));
  const parts: Buffer[] = [Buffer.from(head.slice(0, -1), 'utf8')];
  for (const [field, name] of IMAGE_RESULT_FIELDS) {
    const b64 = images[name as 'step1' | 'step2' | 'final'];
    // base64 uses only [A-Za-z0-9+/=]: safe inside a JSON string without escaping.
    if (b64) parts.push(Buffer.from(`,"${field}":"`), b64, Buffer.from('"'));
    else parts.push(Buffer.from(`,"${field}":null`));
  }
  parts.push(Buffer.from(tail.length > 2 ? `,${tail.slice(1)}` : '}', 'utf8'));
  return Buffer.concat(parts);
}
