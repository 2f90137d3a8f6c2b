// What the studio UI needs beyond nanoCocoa, written once over StudioService so the HTTP family
// (browser studio) and the Electron IPC handlers / adforge:// protocol (desktop) behave the same.
// No Electron, no Fastify: plain functions that return data or throw AppError.
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { AppError, badRequest, notFound } from '../../core/errors';
import { ARTIFACTS, JOB_STATUSES } from '../../core/jobs';
import { COMPOSITION_MODES, TEXT_POSITIONS, type CompositionMode, type TextPosition } from '../../core/params';
import type { StudioService } from '../../core/service';
import { layerLuma } from '../../imaging/layer';
import { placeText } from '../../pipeline/layout';
import type { GrayImage, RgbaImage } from '../../imaging/types';
import type { ZipJobSource } from '../../store/zip-export';
import { artifactOfFile, type JobsPage, type JobsQuery, type ModelFileInfo, type PlacementPreview } from '../../../src-preload/contract';

export const JobIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'job ids are letters, digits, - and _');

export const JobsQuerySchema = z
  .object({
    status: z.enum(JOB_STATUSES).optional(),
    search: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .strict();

export const PlacementQuerySchema = z.object({
  position: z.enum(TEXT_POSITIONS).default('auto'),
  mode: z.enum(COMPOSITION_MODES).default('overlay'),
});

export const ExportRequestSchema = z.object({ job_ids: z.array(JobIdSchema).min(1).max(1000) });

/** Thumbnail widths are clamped so a client cannot ask the server to upscale or allocate wildly. */
export const THUMB_MIN = 16;
export const THUMB_MAX = 1024;

export function jobsPage(service: StudioService, query: JobsQuery): JobsPage {
  const filter = { status: query.status, search: query.search?.trim() || undefined };
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  return {
    jobs: service.list({ ...filter, limit, offset }),
    total: service.list(filter).length,
    counts: service.counts(),
  };
}

export function requireJob(service: StudioService, jobId: string) {
  const job = service.get(jobId);
  if (!job) throw notFound(`Job ${jobId} not found`);
  return job;
}

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.webp': 'image/webp',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttc': 'font/collection',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface FileBody {
  body: Buffer;
  contentType: string;
}

/** Thumbnails are cheap to keep and costly to redo on every gallery scroll: a small LRU by path+mtime+width. */
const thumbCache = new Map<string, Buffer>();
const THUMB_CACHE_ENTRIES = 300;

/** An artifact by file name ("final.png"), optionally as a thumbnail `width` px wide (WebP). */
export async function artifactFile(service: StudioService, jobId: string, fileName: string, width?: number): Promise<FileBody> {
  const artifact = artifactOfFile(fileName);
  if (!artifact) throw badRequest(`Unknown artifact "${fileName}": use one of ${Object.values(ARTIFACTS).join(', ')}`, 'artifact');
  requireJob(service, jobId);
  const path = service.artifactPath(jobId, artifact);
  if (!path) throw notFound(`Job ${jobId} has no ${fileName} (yet)`);
  if (width === undefined || !fileName.endsWith('.png')) return { body: await readFile(path), contentType: contentTypeOf(path) };
  const w = Math.max(THUMB_MIN, Math.min(THUMB_MAX, Math.round(width)));
  const st = await stat(path);
  const key = `${path}|${st.mtimeMs}|${w}`;
  let body = thumbCache.get(key);
  if (body) thumbCache.delete(key);
  else body = await sharp(path).resize({ width: w, withoutEnlargement: true }).webp({ quality: 82, alphaQuality: 90 }).toBuffer();
  thumbCache.set(key, body);
  if (thumbCache.size > THUMB_CACHE_ENTRIES) thumbCache.delete(thumbCache.keys().next().value as string);
  return { body, contentType: 'image/webp' };
}

/** Font bytes for @font-face previews; the name is resolved (and confined) by the service. */
export async function fontFile(service: StudioService, name: string): Promise<FileBody> {
  if (!name) throw badRequest('name is required: a font name as listed by GET /api/fonts', 'name');
  const path = service.resolveFont(name);
  return { body: await readFile(path), contentType: contentTypeOf(path) };
}

async function readRgba(path: string): Promise<RgbaImage> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

async function readGray(path: string): Promise<GrayImage> {
  const { data, info } = await sharp(path).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

/**
 * Where step 3 would put the job's headline for `position`: the same placeText call with the same
 * inputs step 3 uses, so what the studio shows for `auto` is what Apply would render.
 */
export async function placementPreview(
  service: StudioService,
  jobId: string,
  position: TextPosition,
  mode: CompositionMode,
): Promise<PlacementPreview> {
  requireJob(service, jobId);
  // A job's step images never change once written, so a preview is computed once: the scoring
  // (Sobel + 765 candidate boxes, tens of ms) runs on this event loop, not in the pipeline worker.
  const key = `${jobId}|${position}|${mode === 'behind' ? 'behind' : 'avoid'}`;
  const cached = previewCache.get(key);
  if (cached) return cached;
  const preview = await computePreview(service, jobId, position, mode);
  previewCache.set(key, preview);
  if (previewCache.size > PREVIEW_CACHE_SIZE) previewCache.delete(previewCache.keys().next().value as string);
  return preview;
}

const PREVIEW_CACHE_SIZE = 64;
const previewCache = new Map<string, PlacementPreview>();

async function computePreview(service: StudioService, jobId: string, position: TextPosition, mode: CompositionMode): Promise<PlacementPreview> {
  const step1Path = service.artifactPath(jobId, 'step1');
  const step2Path = service.artifactPath(jobId, 'step2');
  if (!step1Path || !step2Path) throw new AppError(409, `Job ${jobId} has no scene and text layer yet: run steps 1 and 2 first`);
  const maskPath = service.artifactPath(jobId, 'mask');
  const [background, layer, mask] = await Promise.all([readRgba(step1Path), readRgba(step2Path), maskPath ? readGray(maskPath) : null]);
  const usableMask = mask && mask.width === background.width && mask.height === background.height ? mask : null;
  const p = placeText({
    canvas: { width: background.width, height: background.height },
    layer: { width: layer.width, height: layer.height },
    position,
    box: null,
    productMask: usableMask,
    background,
    layerLuma: layerLuma(layer),
    avoidProduct: mode !== 'behind',
  });
  return {
    x: p.x,
    y: p.y,
    width: p.width,
    height: p.height,
    rotation: p.rotation,
    canvas: { width: background.width, height: background.height },
    layer: { width: layer.width, height: layer.height },
  };
}

const MODEL_EXTENSIONS = new Set(['.onnx', '.json', '.bin', '.safetensors', '.txt', '.model']);

/** Model files found under models/ (two levels deep), for the settings page. */
export async function listModelFiles(modelsDir: string): Promise<ModelFileInfo[]> {
  const out: ModelFileInfo[] = [];
  const walk = async (dir: string, depth: number) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory() && depth < 2) await walk(full, depth + 1);
      else if (e.isFile() && MODEL_EXTENSIONS.has(extname(e.name).toLowerCase())) {
        const st = await stat(full);
        out.push({ name: relative(modelsDir, full).split(sep).join('/'), bytes: st.size });
      }
    }
  };
  await walk(modelsDir, 0);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A file of the built studio UI, confined to `root`. Unknown paths that look like app routes get
 * index.html (the UI is a single page); missing assets are 404.
 */
export async function staticFile(root: string, urlPath: string): Promise<FileBody> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0]).replace(/^\/+/, '');
  } catch {
    throw badRequest('Malformed path');
  }
  if (rel === '') rel = 'index.html';
  const full = resolve(root, rel);
  if (full !== root && !full.startsWith(root + sep)) throw notFound('Not found');
  const st = await stat(full).catch(() => null);
  if (st?.isFile()) return { body: await readFile(full), contentType: contentTypeOf(full) };
  if (!extname(rel)) {
    const index = join(root, 'index.html');
    const ist = await stat(index).catch(() => null);
    if (ist?.isFile()) return { body: await readFile(index), contentType: contentTypeOf(index) };
    throw notFound(`The studio UI is not built (${index} is missing): run npm run build:renderer`);
  }
  throw notFound(`Not found: ${urlPath}`);
}

/** The run folders of the jobs to export, and their total size (the ZIP is about that big: PNGs are stored). */
export async function exportSources(service: StudioService, ids: string[]): Promise<{ sources: ZipJobSource[]; estimate: number }> {
  const sources: ZipJobSource[] = [];
  let estimate = 0;
  for (const id of [...new Set(ids)]) {
    const job = requireJob(service, id);
    const first = job.artifacts.map((a) => service.artifactPath(id, a)).find((p): p is string => !!p);
    if (!first) continue;
    for (const a of job.artifacts) {
      const p = service.artifactPath(id, a);
      if (p) estimate += (await stat(p).catch(() => null))?.size ?? 0;
    }
    sources.push({
      jobId: id,
      dir: dirname(first),
      artifacts: job.artifacts,
      status: job.status,
      createdAt: job.created_at,
      headline: job.parameters.text_content ?? null,
    });
  }
  if (sources.length === 0) throw new AppError(404, 'None of these jobs has files to export');
  return { sources, estimate };
}

