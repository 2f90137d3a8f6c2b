// A stored job row as adapters see it (JobRecord), with the live progress of a running job laid
// over it. Pure: the row, the runner's live status and the clock in, the record out.
import type { JobRecord } from '../core/service';
import type { LiveStatus } from '../jobs/job-runner';
import type { JobRow } from '../store/db';

export function recordOf(row: JobRow, live: LiveStatus | undefined, now: number): JobRecord {
  const elapsed = row.startedAt === null ? 0 : Math.max(0, (row.finishedAt ?? (row.status === 'running' ? now : row.startedAt)) - row.startedAt);
  return {
    job_id: row.id,
    status: row.status,
    start_step: row.startStep,
    stop_step: row.stopStep,
    progress_percent: live ? Math.max(live.progress_percent, row.progress) : row.progress,
    current_step: live?.current_step ?? row.currentStep,
    sub_step: live ? live.sub_step : row.subStep,
    message: row.message,
    error: row.error,
    created_at: row.createdAt,
    start_time: row.startedAt,
    finished_at: row.finishedAt,
    elapsed_sec: Math.round(elapsed * 10) / 10,
    eta_seconds: live ? live.eta_seconds : null,
    step_eta_seconds: live ? live.step_eta_seconds : null,
    parameters: row.params,
    engines: row.engines,
    engine_reports: row.engineReports ?? {},
    execution_provider: row.provider,
    artifacts: row.artifacts,
    reused_steps: row.reusedSteps,
    client: row.client,
    timings: row.timings,
  };
}
