// Streams a ZIP of one or many jobs plus a README.txt that says what each entry is. Each job gets a
// folder a person can read: its date, headline and a few words of its scene prompt
// (2026-12-01_0915_fresh-roast_white-marble-countertop/). The images a designer opens sit directly
// in it (final.png, background.png, headline-layer.png, cutout.png); the product photo, the mask
// and the JSON go under extras/. README.txt maps each folder back to its job id.
//
// Folder names are built from user text (headlines, prompts), so they pass one filter: Unicode
// letters, marks and digits (Hangul stays readable) are kept, everything else becomes '-'; no path
// separator, dot, control or format character survives, each part is capped in characters and in
// UTF-8 bytes, and every entry name is checked once more before it is added.
//
// Files are read lazily one at a time, so exporting hundreds of jobs holds one file handle and
// little memory. PNGs are stored, not deflated: they are already compressed and deflating them only
// costs CPU.
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
import { mismatch } from './artifact-digest';

export interface ZipJobSource {
  jobId: string;
  /** Run folder of the job. */
  dir: string;
  artifacts: ArtifactName[];
  status: JobStatus;
  /** Unix seconds. */
  createdAt: number;
  headline: string | null;
  /** The background prompt: its first words name the job's folder. */
  prompt: string | null;
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
  /** Folder of each job in the ZIP, by job id. */
  folders: Record<string, string>;
}

export type ZipProgress = (bytesDone: number, bytesTotal: number) => void;

/** Where each artifact goes inside its job's folder: the images a designer wants on top, the rest in extras/. */
export const ZIP_LAYOUT: Record<ArtifactName, string> = {
  final: 'final.png',
  step1: 'background.png',
  step2: 'headline-layer.png',
  cutout: 'cutout.png',
  input: 'extras/product-photo.png',
  mask: 'extras/mask.png',
  scene: 'extras/scene.json',
  params: 'extras/params.json',
};

/** What each artifact is, for README.txt. */
const ARTIFACT_DESCRIPTIONS: Record<ArtifactName, string> = {
  final: 'the finished ad: the scene with the headline composited',
  step1: 'step 1: the product placed in the generated scene with its shadow',
  step2: 'step 2: the headline as a transparent 3D lettering layer (RGBA)',
  cutout: 'the product cut out of its photo (RGBA, trimmed to the product)',
  input: 'the product photo as uploaded (orientation applied)',
  mask: 'where the product sits on the final canvas (greyscale mask)',
  scene: 'scene analysis: light direction and colour, palette, ground line, product box',
  params: 'the request parameters of the job (images excluded), including the seed to reproduce it',
};

// Final first: it is what most people open the ZIP for.
const ORDER: ArtifactName[] = ['final', 'step1', 'step2', 'cutout', 'input', 'mask', 'scene', 'params'];

/** Longest headline part of a folder name, in characters and in UTF-8 bytes (Hangul is 3 bytes a character). */
const HEADLINE_CHARS = 60;
const HEADLINE_BYTES = 100;
/** The prompt part: its first clause, at most this many words, characters and bytes. */
const PROMPT_WORDS = 3;
const PROMPT_CHARS = 40;
const PROMPT_BYTES = 80;

/**
 * A file-name part from user text: NFKC (full-width forms folded, Hangul composed), lower case,
 * Unicode letters, marks and digits kept, every other run of characters one '-', no '-' at either
 * end, cut to `maxChars` characters and `maxBytes` UTF-8 bytes. The result never holds a path
 * separator, a dot, a control or format character, or whitespace; it may be ''.
 */
export function nameSlug(text: string | null | undefined, maxChars = HEADLINE_CHARS, maxBytes = HEADLINE_BYTES): string {
  if (!text) return '';
  const slug = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    // A combining mark with no letter before it would sit on the separator.
    .replace(/(^|-)\p{M}+/gu, '$1')
    .replace(/-{2,}/g, '-');
  let out = '';
  let chars = 0;
  let bytes = 0;
  for (const ch of slug) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (chars + 1 > maxChars || bytes + b > maxBytes) break;
    out += ch;
    chars += 1;
    bytes += b;
  }
  return out.replace(/^-+|-+$/g, '');
}

/** A few words of the first clause of a prompt ('white marble countertop, soft light' → 'white-marble-countertop'). */
export function promptSlug(prompt: string | null | undefined): string {
  if (!prompt) return '';
  // Clauses end at commas, semicolons, line breaks and sentence ends ('. '), not inside 'f/1.8'.
  for (const clause of prompt.split(/[,;!?\n\r|]+|\.(?:\s+|$)/)) {
    const words = nameSlug(clause, Infinity, Infinity).split('-').filter(Boolean).slice(0, PROMPT_WORDS);
    const slug = nameSlug(words.join('-'), PROMPT_CHARS, PROMPT_BYTES);
    if (slug) return slug;
  }
  return '';
}

/** YYYY-MM-DD_HHMM in the local time of the machine that runs the export; 'undated' for a bad time. */
export function dateStamp(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  if (!Number.isFinite(unixSeconds) || Number.isNaN(d.getTime()) || d.getFullYear() < 0 || d.getFullYear() > 9999) return 'undated';
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}`;
}

/** date_headline_prompt-words; without a headline the prompt words name it, without either 'ad'. */
export function folderBaseName(job: Pick<ZipJobSource, 'createdAt' | 'headline' | 'prompt'>): string {
  const words = [nameSlug(job.headline), promptSlug(job.prompt)].filter(Boolean);
  return [dateStamp(job.createdAt), ...(words.length ? words : ['ad'])].join('_');
}

/**
 * One folder name per job, in order: unique even on a case-insensitive disk (the second of two
 * alike gets '-2', the third '-3', …) and never one of the root files.
 */
export function jobFolderNames(jobs: Pick<ZipJobSource, 'createdAt' | 'headline' | 'prompt'>[]): string[] {
  const used = new Set(['readme.txt', 'damaged.txt']);
  return jobs.map((job) => {
    const base = folderBaseName(job);
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}-${i}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** Defence in depth: an entry name is relative, '/'-separated, and each part is a plain name. */
function checkedEntry(entry: string): string {
  const parts = entry.split('/');
  // eslint-disable-next-line no-control-regex
  const bad = /[\\:*?"<>|\u0000-\u001f\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/u;
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.') || bad.test(p) || Buffer.byteLength(p) > 255)) {
    throw new Error(`unsafe ZIP entry name ${JSON.stringify(entry)}`);
  }
  return entry;
}

/**
 * A quoted string for README.txt: JSON escapes, and escaped too what a text viewer would act on
 * (C1 controls, line separators, direction and other format characters; the joiners emoji and
 * Indic scripts need are kept).
 */
function quote(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => {
    if (c === '\u200c' || c === '\u200d') return c;
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function readme(jobs: ZipJobSource[], folders: string[]): string {
  const lines = [
    'AdForge Studio export',
    `Created ${new Date().toISOString()} with ${jobs.length} job${jobs.length === 1 ? '' : 's'}.`,
    '',
    'Each folder is one job, named by when it was created (YYYY-MM-DD_HHMM, local time), its headline',
    'and the first words of its background prompt. The list of jobs below gives each folder its job id.',
    'Files in a folder:',
    ...ORDER.map((a) => `  ${ZIP_LAYOUT[a].padEnd(26)} ${ARTIFACT_DESCRIPTIONS[a]}`),
    'A job holds only the files of the steps it ran (a background-only job has no headline-layer.png).',
    '',
    'Jobs:',
    ...jobs.flatMap((j, i) => [
      `  ${folders[i]}/`,
      `    job id:   ${j.jobId}`,
      `    status:   ${j.status}`,
      `    created:  ${Number.isFinite(j.createdAt) ? new Date(j.createdAt * 1000).toISOString() : 'unknown'}`,
      `    headline: ${j.headline ? quote(j.headline) : '(no headline)'}`,
      `    prompt:   ${j.prompt ? quote(j.prompt) : '(none)'}`,
    ]),
    '',
  ];
  const damaged = jobs.flatMap((j, i) =>
    (j.damaged ?? []).map((d) => `  ${folders[i]}/${ZIP_LAYOUT[d.artifact]}  (job ${j.jobId}, ${ARTIFACTS[d.artifact]})  ${d.reason}`),
  );
  if (damaged.length) {
    lines.push('Damaged files, left out of this export (truncated or altered since they were written):', ...damaged, '');
  }
  return lines.join('\n');
}

/** Writes the ZIP to `out` and resolves when the last byte has been handed to it. */
export async function writeJobsZip(jobs: ZipJobSource[], out: Writable, onProgress?: ZipProgress): Promise<ZipResult> {
  const folders = jobFolderNames(jobs);
  const files: { path: string; entry: string; size: number; mtime: Date; png: boolean; sha256: string | null }[] = [];
  for (const [i, job] of jobs.entries()) {
    const left = new Set((job.damaged ?? []).map((d) => d.artifact));
    for (const name of ORDER) {
      if (!job.artifacts.includes(name) || left.has(name)) continue;
      const path = join(job.dir, ARTIFACTS[name]);
      const st = await stat(path).catch(() => null);
      if (!st?.isFile()) continue; // removed since it was listed: skip rather than fail the export
      files.push({
        path,
        entry: checkedEntry(`${folders[i]}/${ZIP_LAYOUT[name]}`),
        size: st.size,
        mtime: st.mtime,
        png: ARTIFACTS[name].endsWith('.png'),
        sha256: job.digests?.[name]?.sha256 ?? null,
      });
    }
  }
  const readmeBytes = Buffer.from(readme(jobs, folders), 'utf8');
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
          const reason = f.sha256 ? mismatch({ sha256: f.sha256, size: f.size, mtimeMs: 0, ino: 0 }, { sha256: sha, size: seen, mtimeMs: 0, ino: 0 }) : null;
          if (reason) damaged.push({ entry: f.entry, reason: reason.startsWith('truncated') ? `${reason} (while exported)` : reason });
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
  return {
    bytes,
    entries: ['README.txt', ...files.map((f) => f.entry), ...(damaged.length ? ['DAMAGED.txt'] : [])],
    damaged,
    folders: Object.fromEntries(jobs.map((j, i) => [j.jobId, folders[i]])),
  };
}
