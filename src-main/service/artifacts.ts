// A job's artifact files: their paths (only for real job ids and known artifact names) and their
// bytes, whole or as a WebP thumbnail of a clamped width kept in a small LRU (gallery scrolls ask
// for the same thumbnails again and again).
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import sharp from 'sharp';
import { badRequest, notFound } from '../core/errors';
import { ARTIFACTS, isJobId, type ArtifactName } from '../core/jobs';
import type { FileBody } from '../core/service';
import { artifactOfFile } from '../core/studio-api';
import type { RunFolders } from '../store/run-folders';
import { fileBody } from './static-files';

/** Thumbnail widths are clamped so a client cannot ask the server to upscale or allocate wildly. */
const THUMB_MIN = 16;
const THUMB_MAX = 1024;
const THUMB_CACHE_ENTRIES = 300;

/** Absolute path of an artifact, or undefined when the id, the name or the file does not exist. */
export function artifactPathOf(folders: RunFolders, jobId: string, name: ArtifactName): string | undefined {
  if (!isJobId(jobId) || !(name in ARTIFACTS)) return undefined;
  const p = folders.fileOf(jobId, name);
  return existsSync(p) ? p : undefined;
}

export class ArtifactFiles {
  /** Thumbnails by path + mtime + width, least recently used first. */
  private readonly thumbs = new Map<string, Buffer>();

  constructor(private readonly folders: RunFolders) {}

  /** An artifact by file name ("final.png"); `width` asks for a WebP thumbnail that wide. The job must exist (checked by the caller). */
  async file(jobId: string, fileName: string, width?: number): Promise<FileBody> {
    const artifact = artifactOfFile(fileName);
    if (!artifact) throw badRequest(`Unknown artifact "${fileName}": use one of ${Object.values(ARTIFACTS).join(', ')}`, 'artifact');
    const path = artifactPathOf(this.folders, jobId, artifact);
    if (!path) throw notFound(`Job ${jobId} has no ${fileName} (yet)`);
    if (width === undefined || !fileName.endsWith('.png')) return fileBody(path);
    return { body: await this.thumbnail(path, width), contentType: 'image/webp' };
  }

  private async thumbnail(path: string, width: number): Promise<Buffer> {
    const w = Math.max(THUMB_MIN, Math.min(THUMB_MAX, Math.round(width)));
    const st = await stat(path);
    const key = `${path}|${st.mtimeMs}|${w}`;
    let body = this.thumbs.get(key);
    if (body) this.thumbs.delete(key);
    else body = await sharp(path).resize({ width: w, withoutEnlargement: true }).webp({ quality: 82, alphaQuality: 90 }).toBuffer();
    this.thumbs.set(key, body);
    if (this.thumbs.size > THUMB_CACHE_ENTRIES) this.thumbs.delete(this.thumbs.keys().next().value as string);
    return body;
  }
}
