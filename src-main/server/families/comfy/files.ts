// The ComfyUI folders (input, output, temp) under <dataDir>/comfy, and the only ways a request may
// name a file in them: every client-supplied name or subfolder is resolved here and refused when
// it would leave its folder (ComfyUI's own checks: `..`/absolute names 400, escaping subfolders 403).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

export const FOLDER_TYPES = ['input', 'output', 'temp'] as const;
export type FolderType = (typeof FOLDER_TYPES)[number];

export type ComfyDirs = Record<FolderType, string>;

export function comfyDirs(dataDir: string): ComfyDirs {
  const root = join(dataDir, 'comfy');
  return { input: join(root, 'input'), output: join(root, 'output'), temp: join(root, 'temp') };
}

export const isFolderType = (t: string): t is FolderType => (FOLDER_TYPES as readonly string[]).includes(t);

/** A plain file name: no separators, no `..`, no control characters, not hidden-relative, at most 255 bytes (NAME_MAX). */
export function isSafeFileName(name: string): boolean {
  if (!name || Buffer.byteLength(name) > 255 || name === '.' || name === '..') return false;
  if (/[/\\]/.test(name) || name.includes('..')) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u001f\u007f]/.test(name);
}

/**
 * A subfolder a request may name: empty, or plain folder names ("a/b") of at most 255 bytes each,
 * 1 KiB in all. Anything longer would reach the file system as ENAMETOOLONG (a 500 quoting a server
 * path). `..` parts pass here: inside() decides whether they escape (403 / 400 as ComfyUI answers).
 */
export function isSafeSubfolder(subfolder: string): boolean {
  if (subfolder === '') return true;
  if (Buffer.byteLength(subfolder) > 1024) return false;
  return subfolder
    .split(/[/\\]/)
    .filter((p) => p !== '' && p !== '.' && p !== '..')
    .every((p) => isSafeFileName(p));
}

/** `base/sub` when it stays inside base, else null. */
export function inside(base: string, sub: string): string | null {
  const root = resolve(base);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000]/.test(sub)) return null;
  const full = resolve(root, sub);
  return full === root || full.startsWith(root + sep) ? full : null;
}

export type Resolved = { ok: true; path: string; name: string; type: FolderType } | { ok: false; status: 400 | 403 | 404; reason: string };

/** GET /view's rules, from ComfyUI server.py. */
export function resolveView(dirs: ComfyDirs, q: { filename?: string; subfolder?: string; type?: string }): Resolved {
  let filename = q.filename;
  if (!filename) return { ok: false, status: 404, reason: 'filename is required' };
  let type = q.type || 'output';
  const ann = / \[(input|output|temp)\]$/.exec(filename);
  if (ann) {
    type = ann[1];
    filename = filename.slice(0, ann.index);
  }
  if (filename.startsWith('/') || filename.includes('..')) return { ok: false, status: 400, reason: 'filename must not be absolute or contain ".."' };
  if (!isFolderType(type)) return { ok: false, status: 400, reason: `type must be one of ${FOLDER_TYPES.join(', ')}` };
  // ComfyUI keeps only the basename of filename.
  const name = filename.split(/[/\\]/).pop() ?? '';
  if (!isSafeFileName(name)) return { ok: false, status: 400, reason: 'invalid filename' };
  const dir = inside(dirs[type], q.subfolder ?? '');
  if (!dir) return { ok: false, status: 403, reason: 'subfolder escapes its folder' };
  const path = inside(dir, name);
  if (!path) return { ok: false, status: 403, reason: 'filename escapes its folder' };
  return { ok: true, path, name, type };
}

/** Where an upload goes; ComfyUI answers 400 when the name or subfolder would escape. */
export function resolveUpload(dirs: ComfyDirs, q: { filename: string; subfolder: string; type: string }): Resolved {
  if (!isFolderType(q.type)) return { ok: false, status: 400, reason: `type must be one of ${FOLDER_TYPES.join(', ')}` };
  if (!isSafeFileName(q.filename)) return { ok: false, status: 400, reason: 'file name must be a plain name without "/", "\\" or ".."' };
  const dir = inside(dirs[q.type], q.subfolder);
  if (!dir) return { ok: false, status: 400, reason: 'subfolder escapes the upload folder' };
  return { ok: true, path: join(dir, q.filename), name: q.filename, type: q.type };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * ComfyUI's clash rule: same bytes under the same name reuse it (nothing written); different bytes
 * get "name (1).ext", "name (2).ext", ... unless overwrite is set.
 */
export async function uploadTarget(dir: string, name: string, bytes: Buffer, overwrite: boolean): Promise<{ name: string; write: boolean }> {
  if (overwrite) return { name, write: true };
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  const digest = sha256(bytes);
  for (let i = 0; i < 10000; i++) {
    const candidate = i === 0 ? name : `${stem} (${i})${ext}`;
    const existing = await readFile(join(dir, candidate)).catch(() => null);
    if (!existing) return { name: candidate, write: true };
    if (sha256(existing) === digest) return { name: candidate, write: false };
  }
  throw new Error('too many files with the same name');
}

/** `<prefix>_<5-digit counter>_.png`, the counter continuing after the files already there. */
export async function nextOutputName(dir: string, prefix: string): Promise<string> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(\\d{5,})_\\.png$`);
  let max = 0;
  for (const n of names) {
    const m = re.exec(n);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `${prefix}_${String(max + 1).padStart(5, '0')}_.png`;
}

/** Splits a SaveImage prefix "ads/summer" into a safe subfolder and file prefix; null when unsafe. */
export function splitPrefix(prefix: string): { subfolder: string; prefix: string } | null {
  const parts = prefix.split('/').filter((p) => p !== '');
  const last = parts.pop() ?? 'AdForge';
  if (!isSafeFileName(last) || parts.some((p) => !isSafeFileName(p))) return null;
  return { subfolder: parts.join('/'), prefix: last };
}

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|avif|tiff?|bmp)$/i;

/** Image files in the input folder, "sub/name" for files one folder down, sorted (LoadImage's list). */
export async function listInputImages(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.isFile() && IMAGE_EXT.test(e.name)) out.push(e.name);
    else if (e.isDirectory()) {
      const sub = await readdir(join(dir, e.name), { withFileTypes: true }).catch(() => []);
      for (const f of sub) if (f.isFile() && IMAGE_EXT.test(f.name)) out.push(`${e.name}/${f.name}`);
    }
  }
  return out.sort();
}

export async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

export const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
  '.json': 'application/json',
};
