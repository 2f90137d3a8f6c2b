// Files served as they are: the content type of a path, and the built studio UI confined to its
// folder. Shared by the HTTP studio family and the desktop's adforge:// protocol.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { badRequest, notFound } from '../core/errors';
import type { FileBody } from '../core/service';

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

/** A file read whole, with its content type. */
export async function fileBody(path: string): Promise<FileBody> {
  return { body: await readFile(path), contentType: contentTypeOf(path) };
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
  if (st?.isFile()) return fileBody(full);
  if (!extname(rel)) {
    const index = join(root, 'index.html');
    const ist = await stat(index).catch(() => null);
    if (ist?.isFile()) return fileBody(index);
    throw notFound(`The studio UI is not built (${index} is missing): run npm run build:renderer`);
  }
  throw notFound(`Not found: ${urlPath}`);
}
