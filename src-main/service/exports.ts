// ZIP exports: the jobs checked (404 for an unknown one), their run folders and size gathered, a
// download name chosen, and the ZIP streamed on demand by store/zip-export.ts. The HTTP family
// streams it to the browser, the desktop shell into the file the user picked.
import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { AppError } from '../core/errors';
import type { ExportProgress, JobRecord, JobsExport } from '../core/service';
import { writeJobsZip, type ZipJobSource } from '../store/zip-export';

export interface ExportDeps {
  /** The job, or AppError 404. */
  requireJob(jobId: string): JobRecord;
  artifactPath(jobId: string, name: JobRecord['artifacts'][number]): string | undefined;
  runDir(jobId: string): string;
  now?: () => Date;
}

/** adforge-<job id or N-jobs>-<UTC time>.zip */
function exportFileName(jobIds: string[], now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return `adforge-${jobIds.length === 1 ? jobIds[0] : `${jobIds.length}-jobs`}-${stamp}.zip`;
}

export async function exportJobs(deps: ExportDeps, ids: string[]): Promise<JobsExport> {
  const sources: ZipJobSource[] = [];
  let estimate = 0;
  for (const id of [...new Set(ids)]) {
    const job = deps.requireJob(id);
    const paths = job.artifacts.map((a) => deps.artifactPath(id, a)).filter((p): p is string => !!p);
    if (paths.length === 0) continue;
    for (const p of paths) estimate += (await stat(p).catch(() => null))?.size ?? 0;
    sources.push({
      jobId: id,
      dir: deps.runDir(id),
      artifacts: job.artifacts,
      status: job.status,
      createdAt: job.created_at,
      headline: job.parameters.text_content ?? null,
    });
  }
  if (sources.length === 0) throw new AppError(404, 'None of these jobs has files to export');
  const jobIds = sources.map((s) => s.jobId);
  return {
    fileName: exportFileName(jobIds, deps.now?.() ?? new Date()),
    estimate,
    jobIds,
    open(onProgress?: (progress: ExportProgress) => void) {
      const out = new PassThrough();
      const report = onProgress && ((bytesDone: number, bytesTotal: number) => onProgress({ bytesDone, bytesTotal }));
      writeJobsZip(sources, out, report).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
      return out;
    },
  };
}
