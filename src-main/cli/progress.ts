// The live progress line of `adforge generate`: percent, sub-step label and an ETA that counts
// down. Pure formatting so it can be tested without a terminal.
import { SUB_STEPS, STEP_IDS, type SubStepId } from '../core/jobs';
import type { JobRecord } from '../core/service';

const LABELS = new Map<string, string>(STEP_IDS.flatMap((s) => SUB_STEPS[s].map((x) => [x.id, x.label] as [string, string])));

export function progressLabel(id: SubStepId | null): string {
  return id ? (LABELS.get(id) ?? id) : 'Waiting for the lane';
}

function formatSeconds(s: number): string {
  const n = Math.max(0, Math.ceil(s));
  return n >= 60 ? `${Math.floor(n / 60)}m${String(n % 60).padStart(2, '0')}s` : `${n}s`;
}

/** One status line, padded to `width` so a shorter line fully overwrites the previous one after \r. */
export function progressLine(job: Pick<JobRecord, 'status' | 'progress_percent' | 'sub_step' | 'eta_seconds' | 'elapsed_sec'>, width = 72): string {
  const pct = String(Math.round(job.progress_percent)).padStart(3);
  const eta = job.eta_seconds === null ? '' : ` · ETA ${formatSeconds(job.eta_seconds)}`;
  const FINAL: Partial<Record<JobRecord['status'], string>> = { completed: 'Done', failed: 'Failed', stopped: 'Stopped', pending: 'Waiting for the lane' };
  const label = FINAL[job.status] ?? progressLabel(job.sub_step);
  const line = `[${pct}%] ${label}${eta} · ${formatSeconds(job.elapsed_sec)} elapsed`;
  return line.length >= width ? line : line.padEnd(width);
}
