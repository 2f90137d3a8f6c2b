// ZIP exports: the jobs checked (404 for an unknown one), their run folders and size gathered, a
// download name chosen, and the ZIP streamed on demand by store/zip-export.ts. The HTTP family
// streams it to the browser, the desktop shell into the file the user picked.
//
// Each file is checked against the SHA-256 recorded when it was written before the export starts
// (re-hashed only when its size/mtime/inode changed): damaged ones are left out and named, in the
// ZIP's README.txt and in `damaged`; the ZIP writer hashes every file again as it streams.
import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { AppError } from '../core/errors';
import type { ArtifactDigests, ArtifactName } from '../core/jobs';
import type { ArtifactCheck, DamagedArtifact, ExportProgress, JobRecord, JobsExport } from '../core/service';
import { writeJobsZip, type ZipJobSource } from '../store/zip-export';

export interface ExportDeps {
  /** The job, or AppError 404. */
  requireJob(jobId: string): JobRecord;
  /** The artifact checked against its recorded digest; undefined when the file is absent. */
  artifactCheck(jobId: string, name: ArtifactName): ArtifactCheck | undefined;
  /** The digests recorded for the job's files. */
  digests?(jobId: string): ArtifactDigests | undefined;
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
  const damaged: DamagedArtifact[] = [];
  let estimate = 0;
  for (const id of [...new Set(ids)]) {
    const job = deps.requireJob(id);
    const checks = job.artifacts.map((a) => [a, deps.artifactCheck(id, a)] as const).filter((c): c is readonly [ArtifactName, ArtifactCheck] => !!c[1]);
    if (checks.length === 0) continue;
    const bad = checks.filter(([, c]) => c.state === 'damaged').map(([artifact, c]) => ({ artifact, reason: c.reason ?? 'damaged' }));
    for (const b of bad) damaged.push({ job_id: id, ...b });
    for (const [, c] of checks) if (c.state !== 'damaged') estimate += (await stat(c.path).catch(() => null))?.size ?? 0;
    sources.push({
      jobId: id,
      dir: deps.runDir(id),
      artifacts: job.artifacts,
      status: job.status,
      createdAt: job.created_at,
      headline: job.parameters.text_content ?? null,
      prompt: job.parameters.bg_prompt ?? null,
      digests: deps.digests?.(id),
      damaged: bad,
    });
  }
  if (sources.length === 0) throw new AppError(404, 'None of these jobs has files to export');
  const jobIds = sources.map((s) => s.jobId);
  return {
    fileName: exportFileName(jobIds, deps.now?.() ?? new Date()),
    estimate,
    jobIds,
    damaged,
    open(onProgress?: (progress: ExportProgress) => void) {
      const out = new PassThrough();
      const report = onProgress && ((bytesDone: number, bytesTotal: number) => onProgress({ bytesDone, bytesTotal }));
      writeJobsZip(sources, out, report).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
      return out;
    },
  };
}
