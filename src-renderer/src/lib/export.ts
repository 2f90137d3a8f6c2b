// Export of a finished ad as the designer asked: PNG, JPEG or WebP (with quality) at a long edge,
// or the product's transparent cut-out; files get names a person can read (date, headline, scene
// words, size) instead of a job id. Encoding runs in the page (canvas), so no server round trip.
import { artifactPath, type JobRecord } from '../../../src-preload/contract';
import { api } from '../api';

export type ExportFormat = 'png' | 'jpeg' | 'webp';

export interface ExportOptions {
  what: 'final' | 'cutout';
  format: ExportFormat;
  /** 0..1, for JPEG and WebP. */
  quality: number;
  /** Output long edge in pixels. */
  longEdge: number;
}

export const EXPORT_SIZES = [1024, 2048] as const;
/** The schema's limit for long_edge: the largest ad the pipeline renders. */
export const MAX_LONG_EDGE = 2048;
export const MIN_LONG_EDGE = 256;

const MIME: Record<ExportFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };
const EXT: Record<ExportFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/** A few words of a text as a file-name part: letters (Hangul too) and digits, joined by '-'. */
export function slugWords(text: string | null | undefined, words = 3): string {
  if (!text) return '';
  return text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, words)
    .join('-');
}

/** adforge-2026-12-01-fresh-roast-oak-table-2048x2048.jpg */
export function exportName(job: JobRecord, opts: { what: 'final' | 'cutout'; ext: string; width?: number; height?: number }): string {
  const d = new Date(job.created_at * 1000);
  const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const parts = ['adforge', date, slugWords(job.parameters.text_content), slugWords(job.parameters.bg_prompt, 2)];
  if (opts.what === 'cutout') parts.push('cutout');
  if (opts.width && opts.height) parts.push(`${opts.width}x${opts.height}`);
  return `${parts.filter(Boolean).join('-')}.${opts.ext}`;
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function loadImage(url: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

/** The job's final (or cut-out) encoded as asked; resolves with the file name it was saved under. */
export async function downloadJob(job: JobRecord, o: ExportOptions): Promise<string> {
  const url = api.assetUrl(artifactPath(job.job_id, o.what));
  const img = await loadImage(url);
  const long = Math.max(img.naturalWidth, img.naturalHeight);
  // Never enlarged here: a larger ad is rendered by the pipeline before it gets here.
  const k = o.what === 'final' ? Math.min(1, o.longEdge / long) : 1;
  const width = Math.round(img.naturalWidth * k);
  const height = Math.round(img.naturalHeight * k);
  // The cut-out keeps its transparency, so it is always a PNG (or WebP, which has alpha too).
  const format: ExportFormat = o.what === 'cutout' && o.format === 'jpeg' ? 'png' : o.format;
  const name = exportName(job, { what: o.what, ext: EXT[format], width, height });
  if (format === 'png' && k === 1) {
    const res = await fetch(url);
    if (res.ok) {
      saveBlob(await res.blob(), name);
      return name;
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas unavailable');
  if (format === 'jpeg') {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
  }
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(img, 0, 0, width, height);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(`could not encode ${format}`))), MIME[format], format === 'png' ? undefined : o.quality),
  );
  saveBlob(blob, name);
  return name;
}
