// Takes a product photo in the page before anything is sent: a file that is not an image (a .txt,
// a renamed file, an empty one) is refused at once with a message in the UI language; a photo too
// large for the server is scaled down, and one so small it will be enlarged is flagged.
import type { MessageKey } from '../i18n';

/** The product photo the designer picked, as the studio keeps it. */
export interface ProductPhoto {
  dataUrl: string;
  name: string;
  width?: number;
  height?: number;
  /** The job whose cut-out is of this photo (null for a photo not run yet). */
  jobId?: string | null;
}

export interface PhotoNote {
  key: MessageKey;
  vars?: Record<string, string | number>;
}

export class PhotoError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly vars: Record<string, string | number>,
  ) {
    super(key);
    this.name = 'PhotoError';
  }
}

/** Long edge the studio sends at most: well under the server's pixel limit, far above what the pipeline uses. */
export const MAX_SEND_EDGE = 4096;
/** Height a product photo is drawn at on a 1024 ad at the default scale: smaller photos are enlarged. */
const DRAWN_HEIGHT = 1024 * 0.55;

const IMAGE_NAME = /\.(png|jpe?g|webp|avif|tiff?|gif|bmp)$/i;

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(blob);
  });
}

export async function takePhoto(file: File, productScale = 0.55): Promise<{ product: ProductPhoto; note: PhotoNote | null }> {
  const name = file.name || 'photo';
  if (!file.type.startsWith('image/') && !IMAGE_NAME.test(name)) throw new PhotoError('photoNotImage', { name });
  if (file.size === 0) throw new PhotoError('photoEmpty', { name });
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new PhotoError('photoUnreadable', { name });
  }
  const { width, height } = bitmap;
  const long = Math.max(width, height);
  try {
    if (long > MAX_SEND_EDGE) {
      const k = MAX_SEND_EDGE / long;
      const w = Math.round(width * k);
      const h = Math.round(height * k);
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new PhotoError('photoUnreadable', { name });
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bitmap, 0, 0, w, h);
      // PNG keeps a cut-out's transparency; a photo goes as a high-quality JPEG (a fraction of the bytes).
      const png = file.type === 'image/png' || file.type === 'image/webp' || file.type === 'image/gif';
      const dataUrl = canvas.toDataURL(png ? 'image/png' : 'image/jpeg', 0.92);
      return { product: { dataUrl, name, width: w, height: h, jobId: null }, note: { key: 'photoScaled', vars: { w: width, h: height, nw: w, nh: h } } };
    }
    const dataUrl = await readAsDataUrl(file);
    const factor = (DRAWN_HEIGHT * (productScale / 0.55)) / height;
    const note: PhotoNote | null = factor >= 3 ? { key: 'photoSmall', vars: { w: width, h: height, k: Math.round(factor) } } : null;
    return { product: { dataUrl, name, width, height, jobId: null }, note };
  } finally {
    bitmap.close();
  }
}

/** Emoji and pictographs the lettering fonts cannot draw (empty boxes); ©, ® and ™ are in the fonts. */
const EMOJI = /(?![\u00A9\u00AE\u2122])\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|[\u{1F3FB}-\u{1F3FF}]|\u{FE0F}|\u{20E3}|\u{200D}/gu;

export function findEmoji(text: string): string[] {
  return [...new Set(text.match(EMOJI) ?? [])].filter((c) => /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]/u.test(c));
}

export function stripEmoji(text: string): string {
  return text
    .replace(EMOJI, '')
    .split('\n')
    .map((line) => line.replace(/[ \t]{2,}/g, ' ').trim())
    .join('\n');
}
