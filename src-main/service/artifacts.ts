// A job's artifact files: their paths (only for real job ids and known artifact names) and their
// bytes, whole or as a WebP thumbnail of a clamped width kept in a small LRU (gallery scrolls ask
// for the same thumbnails again and again).
//
// Every read is checked against the SHA-256 recorded when the file was written (integrity.ts): a
// damaged file (truncated, altered) is answered with a 409 that says so, never served as if whole,
// and a file that cannot be decoded for a thumbnail is a 409 too, not a 500.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { AppError, badRequest, notFound } from '../core/errors';
import { ARTIFACTS, isJobId, type ArtifactName } from '../core/jobs';
import type { FileBody } from '../core/service';
import { artifactOfFile } from '../core/studio-api';
import { identityOf } from '../store/artifact-digest';
import type { RunFolders } from '../store/run-folders';
import type { ArtifactIntegrity } from './integrity';
import { contentTypeOf } from './static-files';

/** Thumbnail widths are clamped so a client cannot ask the server to upscale or allocate wildly. */
const THUMB_MIN = 16;
const THUMB_MAX = 1024;
const THUMB_CACHE_ENTRIES = 300;

/** Absolute path of an artifact, or undefined when the id, the name or the file does not exist, or the file is damaged. */
export function artifactPathOf(integrity: ArtifactIntegrity, jobId: string, name: ArtifactName): string | undefined {
  if (!isJobId(jobId) || !(name in ARTIFACTS)) return undefined;
  const check = integrity.check(jobId, name);
  return check && check.state !== 'damaged' ? check.path : undefined;
}

export function damagedError(jobId: string, fileName: string, reason: string | null): AppError {
  return new AppError(
    409,
    `${fileName} of job ${jobId} is damaged (${reason ?? 'it does not match the file written'}); it is not served. Run the job again or delete it.`,
    'artifact',
  );
}

export class ArtifactFiles {
  /** Thumbnails by path + file identity + width, least recently used first. */
  private readonly thumbs = new Map<string, Buffer>();

  constructor(
    private readonly folders: RunFolders,
    private readonly integrity: ArtifactIntegrity,
  ) {}

  /** An artifact by file name ("final.png"); `width` asks for a WebP thumbnail that wide. The job must exist (checked by the caller). */
  async file(jobId: string, fileName: string, width?: number): Promise<FileBody> {
    const artifact = artifactOfFile(fileName);
    if (!artifact) throw badRequest(`Unknown artifact "${fileName}": use one of ${Object.values(ARTIFACTS).join(', ')}`, 'artifact');
    const check = this.integrity.check(jobId, artifact);
    if (!check) throw notFound(`Job ${jobId} has no ${fileName} (yet)`);
    if (check.state === 'damaged') throw damagedError(jobId, fileName, check.reason);
    const thumb = width !== undefined && fileName.endsWith('.png');
    const w = thumb ? Math.max(THUMB_MIN, Math.min(THUMB_MAX, Math.round(width))) : 0;
    const key = `${check.path}|${check.identity}|${w}`;
    if (thumb) {
      const hit = this.thumbs.get(key);
      if (hit) {
        this.thumbs.delete(key);
        this.thumbs.set(key, hit);
        return { body: hit, contentType: 'image/webp' };
      }
    }
    const bytes = await this.read(jobId, artifact, fileName, check.path);
    if (!thumb) return { body: bytes, contentType: contentTypeOf(check.path) };
    let body: Buffer;
    try {
      body = await sharp(bytes).resize({ width: w, withoutEnlargement: true }).webp({ quality: 82, alphaQuality: 90 }).toBuffer();
    } catch (err) {
      throw damagedError(jobId, fileName, `it cannot be decoded: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.thumbs.set(key, body);
    if (this.thumbs.size > THUMB_CACHE_ENTRIES) this.thumbs.delete(this.thumbs.keys().next().value as string);
    return { body, contentType: 'image/webp' };
  }

  /** The file's bytes, checked against its digest (catches changes that kept size and mtime). */
  private async read(jobId: string, artifact: ArtifactName, fileName: string, path: string): Promise<Buffer> {
    let bytes: Buffer;
    let identity: string;
    try {
      identity = identityOf(statSync(path));
      bytes = await readFile(path);
    } catch {
      throw notFound(`Job ${jobId} has no ${fileName} (yet)`);
    }
    const verdict = this.integrity.checkBytes(jobId, artifact, bytes, identity);
    if (verdict.state === 'damaged') throw damagedError(jobId, fileName, verdict.reason);
    return bytes;
  }
}
