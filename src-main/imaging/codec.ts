// Image bytes in and out: the one decoder, prober and PNG encoder of the code base. The server
// probes uploads cheaply (header only) to answer 400/413 before queueing; the worker decodes
// fully to 8-bit sRGB RGBA with EXIF orientation applied. PNG writes go to a temp name and are renamed so a crash never leaves half a file.
import sharp, { type Metadata } from 'sharp';
import { writeFileAtomic } from './atomic-write';
import { AppError, badRequest, tooLarge } from '../core/errors';
import { DEFAULT_MAX_PIXELS } from '../core/limits';
import type { GrayImage, RgbaImage } from './types';

export { DEFAULT_MAX_PIXELS };

export type ImageType = 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff' | 'gif';

const SUPPORTED = 'PNG, JPEG, WebP, AVIF, TIFF, GIF';

const ascii = (bytes: Buffer, start: number, text: string) =>
  bytes.length >= start + text.length && bytes.toString('latin1', start, start + text.length) === text;

/** Image type from magic bytes; null for anything else (the extension or MIME type is not trusted). */
export function sniffImageType(bytes: Buffer): ImageType | null {
  if (bytes.length < 12) return null;
  if (bytes[0] === 0x89 && ascii(bytes, 1, 'PNG\r\n\x1a\n')) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'webp';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'gif';
  if (
    (bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0x00) ||
    (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0x00 && bytes[3] === 0x2a)
  ) {
    return 'tiff';
  }
  // ISO-BMFF: 'ftyp' box with an AVIF brand (major or compatible).
  if (ascii(bytes, 4, 'ftyp')) {
    const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length, 256);
    for (let o = 8; o + 4 <= boxSize; o += 4) {
      const brand = bytes.toString('latin1', o, o + 4);
      if (brand === 'avif' || brand === 'avis') return 'avif';
    }
  }
  return null;
}

const BASE64_BODY = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Raw base64 or a data URL → bytes; 400 naming the field when it is not base64. */
export function decodeBase64Image(value: string, field: string): Buffer {
  if (typeof value !== 'string' || value.length === 0) throw badRequest(`${field}: empty image`, field);
  let body = value.trim();
  if (body.startsWith('data:')) {
    const comma = body.indexOf(',');
    if (comma < 0 || !/;base64$/i.test(body.slice(0, comma))) throw badRequest(`${field}: data URL must be base64-encoded`, field);
    body = body.slice(comma + 1);
  }
  body = body.replace(/\s+/g, '');
  if (body.length === 0 || !BASE64_BODY.test(body) || body.length % 4 === 1) throw badRequest(`${field}: not valid base64`, field);
  const bytes = Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64');
  if (bytes.length === 0) throw badRequest(`${field}: not valid base64`, field);
  return bytes;
}

export interface ProbeResult {
  format: ImageType;
  width: number;
  height: number;
  hasAlpha: boolean;
}

const notSupported = (field: string) => badRequest(`${field}: not a supported image (${SUPPORTED})`, field);

/** Header-only check: type, displayed size (after EXIF rotation), alpha. 400 / 413 on failure. */
export async function probeImage(bytes: Buffer, field: string, maxPixels = DEFAULT_MAX_PIXELS): Promise<ProbeResult> {
  const format = sniffImageType(bytes);
  if (!format) throw notSupported(field);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata();
  } catch {
    throw notSupported(field);
  }
  if (!meta.width || !meta.height) throw notSupported(field);
  // Animated GIF/WebP: metadata height can be the whole strip; the first frame is pageHeight tall.
  const frameHeight = meta.pageHeight && meta.pages && meta.pages > 1 ? meta.pageHeight : meta.height;
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? frameHeight : meta.width;
  const height = swap ? meta.width : frameHeight;
  if (width * height > maxPixels) {
    throw tooLarge(`${field}: ${width}x${height} is ${((width * height) / 1e6).toFixed(1)} MP; the limit is ${(maxPixels / 1e6).toFixed(0)} MP`, field);
  }
  return { format, width, height, hasAlpha: Boolean(meta.hasAlpha) };
}

export interface DecodedImage {
  image: RgbaImage;
  hasAlpha: boolean;
  format: string;
}

/** Full decode to 8-bit sRGB RGBA: EXIF orientation applied, first frame only, 16-bit and CMYK/grey converted. */
export async function decodeImage(bytes: Buffer, field: string, maxPixels = DEFAULT_MAX_PIXELS): Promise<DecodedImage> {
  const probe = await probeImage(bytes, field, maxPixels);
  try {
    const { data, info } = await sharp(bytes, { pages: 1, page: 0, limitInputPixels: maxPixels, failOn: 'truncated' })
      .autoOrient()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4 || data.length !== info.width * info.height * 4) throw new Error(`decoded to ${info.channels} channels`);
    return { image: { width: info.width, height: info.height, data }, hasAlpha: probe.hasAlpha, format: probe.format };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw notSupported(field);
  }
}

/** PNG bytes of an RGBA image or a single-channel mask. */
export function encodePng(image: RgbaImage | GrayImage): Promise<Buffer> {
  const channels = image.data.length === image.width * image.height ? 1 : 4;
  if (image.data.length !== image.width * image.height * channels) throw new Error('image buffer size does not match its dimensions');
  // Fast zlib level: these are working files, re-read by the next step, not final deliverables.
  const img = sharp(image.data, { raw: { width: image.width, height: image.height, channels } });
  // Without 'b-w' sharp would widen a mask to three identical sRGB channels.
  return (channels === 1 ? img.toColourspace('b-w') : img).png({ compressionLevel: 3 }).toBuffer();
}

export async function writePngAtomic(path: string, image: RgbaImage | GrayImage): Promise<void> {
  await writeFileAtomic(path, await encodePng(image));
}

/** First channel of an image file as a gray image (stored masks). */
export async function readGray(path: string): Promise<GrayImage> {
  const { data, info } = await sharp(path).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}
