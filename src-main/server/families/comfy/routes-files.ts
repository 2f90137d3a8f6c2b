// GET /view and POST /upload/{image,mask} (reference §4.1, §4.2): names resolved inside the
// input/output/temp folders only, uploads fully decoded under the pixel limit before they are
// stored (a truncated file or a pixel bomb is a 4xx at upload, not a 500 or 1.7 GB later), a mask's
// alpha painted onto its original, ComfyUI's rename-on-clash, and /view's preview/channel
// re-encoding (under the same pixel limit). Under /api, /view answers Comfy Cloud's 302 to a
// signed, expiring URL (signed-url.ts) that serves the bytes without the API key.
import { createReadStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { AppError } from '../../../core/errors';
import { writeFileAtomic } from '../../../imaging/atomic-write';
import { DEFAULT_MAX_PIXELS } from '../../../imaging/codec';
import { checkUploadedImage } from '../../../service/submit';
import { hasValidSignature, signedPath } from '../../signed-url';
import type { ComfyCore } from './core';
import { CONTENT_TYPES, isFile, isSafeSubfolder, resolveUpload, resolveView, uploadTarget, type ComfyDirs } from './files';
import { bad, obj, type Json } from './http';

/** Reads a file part and the form fields of a ComfyUI upload. */
async function readUpload(request: FastifyRequest, maxBytes: number): Promise<{ file: Buffer | null; filename: string; fields: Record<string, string> }> {
  if (!request.isMultipart()) throw bad(400, 'invalid_upload', 'Expected multipart/form-data with an "image" file part');
  let file: Buffer | null = null;
  let filename = '';
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ preservePath: true, limits: { fileSize: maxBytes, files: 4, fields: 20, fieldSize: 1024 * 1024 } })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'image' && file === null) {
          file = bytes;
          filename = part.filename ?? '';
        }
      } else fields[part.fieldname] = String(part.value);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw bad(413, 'upload_too_large', `File too large: the limit is ${maxBytes} bytes`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw bad(400, 'invalid_upload', 'Too many parts in the upload');
    throw bad(400, 'invalid_upload', `Malformed multipart body: ${(err as Error).message}`);
  }
  return { file, filename, fields };
}

/** Decodes the whole upload under the pixel limit: 400 not an image / truncated, 413 too many pixels. */
async function assertImage(bytes: Buffer, maxPixels: number): Promise<void> {
  try {
    await checkUploadedImage(bytes, 'image', maxPixels);
  } catch (err) {
    if (err instanceof AppError) throw bad(err.status === 413 ? 413 : 400, err.status === 413 ? 'image_too_large' : 'invalid_upload', err.detail);
    throw err;
  }
}

async function handleUpload(dirs: ComfyDirs, request: FastifyRequest, maxBytes: number, maxPixels: number, isMask: boolean): Promise<Json> {
  const { file, filename, fields } = await readUpload(request, maxBytes);
  if (!file || !filename) throw bad(400, 'invalid_upload', 'No "image" file part, or it has no file name');
  const subfolder = fields.subfolder ?? '';
  if (!isSafeSubfolder(subfolder))
    throw bad(400, 'invalid_upload', 'subfolder must be plain folder names of at most 255 bytes each, 1 KiB in all', subfolder.slice(0, 100));
  const target = resolveUpload(dirs, { filename, subfolder, type: fields.type || 'input' });
  if (!target.ok) throw bad(400, 'invalid_upload', target.reason, filename.slice(0, 255));
  await assertImage(file, maxPixels);
  let bytes = file;
  if (isMask) {
    // comfy-ui-client sends "originalRef"; ComfyUI reads "original_ref".
    const refText = fields.original_ref ?? fields.originalRef;
    let ref: Json;
    try {
      ref = obj(JSON.parse(refText ?? ''));
    } catch {
      throw bad(400, 'invalid_upload', 'original_ref must be JSON {"filename","subfolder","type"}');
    }
    const orig = resolveView(dirs, { filename: String(ref.filename ?? ''), subfolder: String(ref.subfolder ?? ''), type: String(ref.type ?? 'output') });
    if (!orig.ok) throw bad(orig.status === 404 ? 400 : orig.status, 'invalid_upload', `original_ref: ${orig.reason}`);
    if (!(await isFile(orig.path))) return { name: target.name, subfolder, type: target.type };
    // The mask's alpha becomes the original's alpha (ComfyUI's "paint a mask in the editor").
    const base = sharp(await readFile(orig.path), { limitInputPixels: maxPixels }).removeAlpha();
    const { width, height } = await base.metadata();
    const alpha = await sharp(file).ensureAlpha().extractChannel(3).resize(width, height, { fit: 'fill' }).raw().toBuffer();
    bytes = await base
      .joinChannel(alpha, { raw: { width: width ?? 1, height: height ?? 1, channels: 1 } })
      .png()
      .toBuffer();
  }
  await mkdir(dirname(target.path), { recursive: true });
  const overwrite = fields.overwrite === 'true' || fields.overwrite === '1';
  const { name, write } = await uploadTarget(dirname(target.path), target.name, bytes, overwrite || isMask);
  // Temp name, then rename: a failed or interrupted write never leaves half an image behind.
  if (write) await writeFileAtomic(join(dirname(target.path), name), bytes);
  return { name, subfolder, type: target.type };
}

async function sendView(dirs: ComfyDirs, request: FastifyRequest, reply: FastifyReply, maxPixels: number, signed: boolean): Promise<FastifyReply> {
  const q = request.query as Record<string, string | undefined>;
  if (typeof q.subfolder === 'string' && !isSafeSubfolder(q.subfolder)) return reply.code(400).type('text/plain; charset=utf-8').send('invalid subfolder');
  const r = resolveView(dirs, q);
  if (!r.ok) return reply.code(r.status).type('text/plain; charset=utf-8').send(r.reason);
  if (!(await isFile(r.path))) return reply.code(404).header('Cache-Control', 'public, max-age=3600').type('text/plain; charset=utf-8').send('file not found');
  if (signed && !hasValidSignature(request.url)) {
    // Comfy Cloud: 302 to a signed, expiring URL the client fetches as it is (absolute: fetch() needs one).
    const path = request.url.split('?')[0];
    const location = `${request.protocol}://${request.headers.host ?? '127.0.0.1'}${signedPath(path, q)}`;
    return reply.code(302).header('Location', location).header('Cache-Control', 'no-store').send();
  }
  reply.header('Cache-Control', 'public, max-age=86400').header('X-Content-Type-Options', 'nosniff');
  const channel = q.channel ?? 'rgba';
  const preview = q.preview;
  if (preview || channel !== 'rgba') {
    const meta = await sharp(r.path)
      .metadata()
      .catch(() => null);
    if (!meta?.width || !meta.height) return reply.code(415).type('text/plain; charset=utf-8').send('not an image');
    if (meta.width * meta.height > maxPixels) return reply.code(413).type('text/plain; charset=utf-8').send(`image over the ${maxPixels}-pixel limit`);
    let img = sharp(await readFile(r.path), { limitInputPixels: maxPixels });
    if (channel === 'rgb') img = img.removeAlpha();
    else if (channel === 'a') {
      const { width, height } = await img.metadata();
      const alpha = await img.clone().ensureAlpha().extractChannel(3).raw().toBuffer();
      img = sharp({ create: { width: width ?? 1, height: height ?? 1, channels: 3, background: { r: 0, g: 0, b: 0 } } }).joinChannel(alpha, {
        raw: { width: width ?? 1, height: height ?? 1, channels: 1 },
      });
    }
    if (preview) {
      const [fmt, qs] = preview.split(';');
      const quality = Math.min(100, Math.max(1, Number(qs) || 90));
      if (fmt === 'jpeg' && channel !== 'a')
        return reply
          .type('image/jpeg')
          .header('Content-Disposition', `filename="${r.name}"`)
          .send(await img.jpeg({ quality }).toBuffer());
      return reply
        .type('image/webp')
        .header('Content-Disposition', `filename="${r.name}"`)
        .send(await img.webp({ quality }).toBuffer());
    }
    return reply
      .type('image/png')
      .header('Content-Disposition', `filename="${r.name}"`)
      .send(await img.png().toBuffer());
  }
  const type = CONTENT_TYPES[extname(r.name).toLowerCase()] ?? 'application/octet-stream';
  return reply
    .type(type)
    .header('Content-Disposition', `filename="${r.name.replace(/"/g, '')}"`)
    .send(createReadStream(r.path));
}

/** /view, /upload/image, /upload/mask on `app` (registered under both `/` and `/api/`; `signed`: the /api copy, with Comfy Cloud's 302). */
export function fileRoutes(app: FastifyInstance, core: ComfyCore, maxUpload: number, signed: boolean): void {
  const dirs = core.dirs;
  const maxPixels = core.maxPixels ?? DEFAULT_MAX_PIXELS;
  app.get('/view', async (request, reply) => sendView(dirs, request, reply, maxPixels, signed));
  app.post('/upload/image', async (request) => handleUpload(dirs, request, maxUpload, maxPixels, false));
  app.post('/upload/mask', async (request) => handleUpload(dirs, request, maxUpload, maxPixels, true));
}
