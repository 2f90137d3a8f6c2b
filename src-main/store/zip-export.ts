// Streams a ZIP of one or many jobs (final image, intermediates, params.json) plus a README.txt
// that says what each entry is. Files are read lazily one at a time, so exporting hundreds of
// jobs holds one file handle and little memory. PNGs are stored, not deflated: they are already
// compressed and deflating them only costs CPU.
//
// Damaged files are never shipped silently: those found damaged before the export (the service
// checks them against their recorded SHA-256) are left out and named in README.txt; each file is
// hashed again as it streams, and one whose bytes differ from the recorded digest (changed without
// its size or mtime changing, or while the export ran) is named in a DAMAGED.txt added at the end.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { ARTIFACTS, type ArtifactDigests, type ArtifactName, type JobStatus } from '../core/jobs';

export interface ZipJobSource {
  jobId: string;
  /** Run folder of the job. */
  dir: string;
  artifacts: ArtifactName[];
  status: JobStatus;
  /** Unix seconds. */
  createdAt: number;
  headline: string | null;
  /** Recorded digests: each file is checked against its own as it streams. */
  digests?: ArtifactDigests;
  /** Artifacts found damaged before the export: left out, named in README.txt. */
  damaged?: { artifact: ArtifactName; reason: string }[];
}

export interface ZipResult {
  /** Bytes written to the output. */
  bytes: number;
  entries: string[];
  /** Entries whose bytes did not match their recorded SHA-256 as they streamed (named in DAMAGED.txt). */
  damaged: { entry: string; reason: string }[];
}

export type ZipProgress = (bytesDone: number, bytesTotal: number) => void;

/** What each artifact is, for README.txt. */
const ARTIFACT_DESCRIPTIONS: Record<ArtifactName, string> = {
  input: 'the product photo as uploaded (orientation applied)',
  cutout: 'the product cut out of its photo (RGBA, trimmed to the product)',
  mask: 'where the product sits on the final canvas (greyscale mask)',
  step1: 'step 1: the product placed in the generated scene with its shadow',
  step2: 'step 2: the headline as a transparent 3D lettering layer (RGBA)',
  final: 'the finished ad: step 1 with the headline composited',
  scene: 'scene analysis: light direction and colour, palette, ground line, product box',
  params: 'the request parameters of the job (images excluded), including the seed to reproduce it',
};

// Final first: it is what most people open the ZIP for.
const ORDER: ArtifactName[] = ['final', 'step1', 'step2', 'input', 'cutout', 'mask', 'scene', 'params'];

function readme(jobs: ZipJobSource[]): string {
  const lines = [
    'AdForge Studio export',
    `Created ${new Date().toISOString()} with ${jobs.length} job${jobs.length === 1 ? '' : 's'}.`,
    '',
    'Each folder is one job, named by its job id. Files in a folder:',
    ...ORDER.map((a) => `  ${ARTIFACTS[a].padEnd(12)} ${ARTIFACT_DESCRIPTIONS[a]}`),
    'A job holds only the files of the steps it ran (a background-only job has no step2.png).',
    '',
    'Jobs:',
    ...jobs.map(
      (j) => `  ${j.jobId}  ${j.status.padEnd(9)} ${new Date(j.createdAt * 1000).toISOString()}  ${j.headline ? JSON.stringify(j.headline) : '(no headline)'}`,
    ),
    '',
  ];
  const damaged = jobs.flatMap((j) => (j.damaged ?? []).map((d) => `  ${j.jobId}/${ARTIFACTS[d.artifact]}  ${d.reason}`));
  if (damaged.length) {
    lines.push('Damaged files, left out of this export (truncated or altered since they were written):', ...damaged, '');
  }
  return lines.join('\n');
}

/** Writes the ZIP to `out` and resolves when the last byte has been handed to it. */
export async function writeJobsZip(jobs: ZipJobSource[], out: Writable, onProgress?: ZipProgress): Promise<ZipResult> {
  const files: { path: string; entry: string; size: number; mtime: Date; png: boolean; sha256: string | null }[] = [];
  for (const job of jobs) {
    const left = new Set((job.damaged ?? []).map((d) => d.artifact));
    for (const name of ORDER) {
      if (!job.artifacts.includes(name) || left.has(name)) continue;
      const path = join(job.dir, ARTIFACTS[name]);
      const st = await stat(path).catch(() => null);
      if (!st?.isFile()) continue; // removed since it was listed: skip rather than fail the export
      files.push({
        path,
        entry: `${job.jobId}/${ARTIFACTS[name]}`,
        size: st.size,
        mtime: st.mtime,
        png: ARTIFACTS[name].endsWith('.png'),
        sha256: job.digests?.[name]?.sha256 ?? null,
      });
    }
  }
  const readmeBytes = Buffer.from(readme(jobs), 'utf8');
  const total = readmeBytes.length + files.reduce((a, f) => a + f.size, 0);
  let done = 0;
  const report = (n: number) => {
    done += n;
    onProgress?.(done, total);
  };

  const zip = new ZipFile();
  zip.addBuffer(readmeBytes, 'README.txt', { compress: true });
  report(readmeBytes.length);
  const damaged: ZipResult['damaged'] = [];
  let pending = files.length;
  let allRead!: () => void;
  const read = new Promise<void>((resolve) => (allRead = resolve));
  if (pending === 0) allRead();
  for (const f of files) {
    zip.addReadStreamLazy(f.entry, { size: f.size, mtime: f.mtime, compress: !f.png }, (cb) => {
      const hash = createHash('sha256');
      let seen = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, next) {
          hash.update(chunk);
          seen += chunk.length;
          report(chunk.length);
          next(null, chunk);
        },
        flush(done) {
          const sha = hash.digest('hex');
          if (f.sha256 && sha !== f.sha256) {
            damaged.push({
              entry: f.entry,
              reason:
                seen < f.size
                  ? `truncated while exported: ${seen} of ${f.size} bytes`
                  : 'altered: its SHA-256 differs from the one recorded when it was written',
            });
          }
          if (--pending === 0) allRead();
          done();
        },
      });
      const src = createReadStream(f.path);
      src.on('error', (err) => counter.destroy(err));
      cb(null, src.pipe(counter));
    });
  }
  // yazl streams entries as they are added; the ZIP is closed only after every file has been read,
  // so a file found damaged on the way is still named in the archive itself.
  const finish = read.then(() => {
    if (damaged.length) {
      const text = [
        'These files of this export do not match the SHA-256 recorded when AdForge wrote them:',
        'they were truncated or altered on disk. Do not use them; rerun the jobs.',
        '',
        ...damaged.map((d) => `  ${d.entry}  ${d.reason}`),
        '',
      ].join('\n');
      const bytes = Buffer.from(text, 'utf8');
      zip.addBuffer(bytes, 'DAMAGED.txt', { compress: true });
      report(bytes.length);
    }
    zip.end();
  });

  let bytes = 0;
  const countOut = new Transform({
    transform(chunk: Buffer, _enc, next) {
      bytes += chunk.length;
      next(null, chunk);
    },
  });
  await Promise.all([pipeline(zip.outputStream, countOut, out), finish]);
  return { bytes, entries: ['README.txt', ...files.map((f) => f.entry), ...(damaged.length ? ['DAMAGED.txt'] : [])], damaged };
}
