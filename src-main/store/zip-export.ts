// Streams a ZIP of one or many jobs (final image, intermediates, params.json) plus a README.txt
// that says what each entry is. Files are read lazily one at a time, so exporting hundreds of
// jobs holds one file handle and little memory. PNGs are stored, not deflated: they are already
// compressed and deflating them only costs CPU.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { ARTIFACTS, type ArtifactName, type JobStatus } from '../core/jobs';

export interface ZipJobSource {
  jobId: string;
  /** Run folder of the job. */
  dir: string;
  artifacts: ArtifactName[];
  status: JobStatus;
  /** Unix seconds. */
  createdAt: number;
  headline: string | null;
}

export interface ZipResult {
  /** Bytes written to the output. */
  bytes: number;
  entries: string[];
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
      (j) =>
        `  ${j.jobId}  ${j.status.padEnd(9)} ${new Date(j.createdAt * 1000).toISOString()}  ${j.headline ? JSON.stringify(j.headline) : '(no headline)'}`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** Writes the ZIP to `out` and resolves when the last byte has been handed to it. */
export async function writeJobsZip(jobs: ZipJobSource[], out: Writable, onProgress?: ZipProgress): Promise<ZipResult> {
  const files: { path: string; entry: string; size: number; mtime: Date; png: boolean }[] = [];
  for (const job of jobs) {
    for (const name of ORDER) {
      if (!job.artifacts.includes(name)) continue;
      const path = join(job.dir, ARTIFACTS[name]);
      const st = await stat(path).catch(() => null);
      if (!st?.isFile()) continue; // removed since it was listed: skip rather than fail the export
      files.push({ path, entry: `${job.jobId}/${ARTIFACTS[name]}`, size: st.size, mtime: st.mtime, png: ARTIFACTS[name].endsWith('.png') });
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
  for (const f of files) {
    zip.addReadStreamLazy(f.entry, { size: f.size, mtime: f.mtime, compress: !f.png }, (cb) => {
      const counter = new Transform({
        transform(chunk: Buffer, _enc, next) {
          report(chunk.length);
          next(null, chunk);
        },
      });
      const src = createReadStream(f.path);
      src.on('error', (err) => counter.destroy(err));
      cb(null, src.pipe(counter));
    });
  }
  zip.end();

  let bytes = 0;
  const countOut = new Transform({
    transform(chunk: Buffer, _enc, next) {
      bytes += chunk.length;
      next(null, chunk);
    },
  });
  await pipeline(zip.outputStream, countOut, out);
  return { bytes, entries: ['README.txt', ...files.map((f) => f.entry)] };
}
