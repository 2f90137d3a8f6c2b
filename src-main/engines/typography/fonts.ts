// Font folders: what GET /fonts lists, how a request's font_name becomes a file path (only ever
// inside the bundled or user font folder), and registration with @napi-rs/canvas for rendering.
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { badRequest } from '../../core/errors';
import type { FontEntry } from '../../core/service';

export interface FontDirs {
  /** The fonts/ folder shipped with the app. */
  bundled: string;
  /** The user's font folder in the data dir; may be null or not exist yet. */
  user: string | null;
}

/** Clients take fonts[0] as the default, so listFonts puts this first. */
export const DEFAULT_FONT = 'NanumSquare/NanumSquareB.ttf';

const FONT_EXT = /\.(ttf|otf|ttc)$/i;
/** Font folders are shallow; the limit stops symlink loops and giant trees from stalling GET /fonts. */
const MAX_DEPTH = 4;
const MAX_FILES = 2000;

const lookHint = 'see GET /fonts for the available names';

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realDir(dir: string | null): string | null {
  if (!dir) return null;
  try {
    const real = realpathSync(dir);
    return statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

/** Absolute real path of `rel` inside `root`, or null when absent or when it escapes the folder. */
function fileInside(root: string, rel: string): string | null {
  const joined = path.join(root, ...rel.split('/'));
  let real: string;
  try {
    real = realpathSync(joined);
  } catch {
    return null;
  }
  // A symlink may point anywhere; only targets that stay inside the font folder are served.
  if (!isInside(root, real)) return null;
  try {
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dirRel: string, depth: number) => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
    let names: string[];
    try {
      names = readdirSync(path.join(root, dirRel)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const rel = dirRel ? `${dirRel}/${name}` : name;
      let isDir: boolean;
      try {
        // lstat: a linked folder is not entered (it could lead outside or loop).
        isDir = lstatSync(path.join(root, rel)).isDirectory();
      } catch {
        continue;
      }
      if (isDir) visit(rel, depth + 1);
      else if (FONT_EXT.test(name) && fileInside(root, rel)) out.push(rel);
      if (out.length >= MAX_FILES) return;
    }
  };
  visit('', 0);
  return out;
}

const familyCache = new Map<string, { key: string; family: string }>();

/** Family name from the font's `name` table (typographic family, else family), else the file name. */
export function fontFamilyName(file: string): string {
  let key: string;
  try {
    const st = statSync(file);
    key = `${st.size}:${st.mtimeMs}`;
  } catch {
    return path.basename(file).replace(FONT_EXT, '');
  }
  const hit = familyCache.get(file);
  if (hit && hit.key === key) return hit.family;
  const family = readNameTable(file) ?? path.basename(file).replace(FONT_EXT, '');
  familyCache.set(file, { key, family });
  return family;
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, offset);
  return buf.subarray(0, n);
}

/** Reads only the table directory and the `name` table, so listing does not load whole fonts. */
function readNameTable(file: string): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    let base = 0;
    const head = readAt(fd, 0, 12);
    if (head.length < 12) return null;
    if (head.toString('latin1', 0, 4) === 'ttcf') base = readAt(fd, 12, 4).readUInt32BE(0); // first face of a collection
    const offTable = readAt(fd, base, 12);
    const numTables = offTable.readUInt16BE(4);
    const dir = readAt(fd, base + 12, numTables * 16);
    let nameOff = -1;
    let nameLen = 0;
    for (let i = 0; i < numTables && (i + 1) * 16 <= dir.length; i++) {
      if (dir.toString('latin1', i * 16, i * 16 + 4) === 'name') {
        nameOff = dir.readUInt32BE(i * 16 + 8);
        nameLen = dir.readUInt32BE(i * 16 + 12);
      }
    }
    if (nameOff < 0 || nameLen > 1 << 20) return null;
    const t = readAt(fd, nameOff, nameLen);
    const count = t.readUInt16BE(2);
    const strOff = t.readUInt16BE(4);
    const found = new Map<number, { score: number; text: string }>();
    for (let i = 0; i < count; i++) {
      const r = 6 + i * 12;
      if (r + 12 > t.length) break;
      const platform = t.readUInt16BE(r);
      const lang = t.readUInt16BE(r + 4);
      const nameId = t.readUInt16BE(r + 6);
      const len = t.readUInt16BE(r + 8);
      const off = strOff + t.readUInt16BE(r + 10);
      if ((nameId !== 1 && nameId !== 16) || off + len > t.length) continue;
      let text: string;
      let score: number;
      if (platform === 3 || platform === 0) {
        const be = t.subarray(off, off + len);
        const le = Buffer.alloc(be.length);
        for (let j = 0; j + 1 < be.length; j += 2) {
          le[j] = be[j + 1];
          le[j + 1] = be[j];
        }
        text = le.toString('utf16le');
        score = lang === 0x409 ? 3 : 2; // English names first: they are what designers search for
      } else if (platform === 1 && lang === 0) {
        text = t.toString('latin1', off, off + len);
        score = 1;
      } else continue;
      const prev = found.get(nameId);
      if (text.trim() && (!prev || prev.score < score)) found.set(nameId, { score, text: text.trim() });
    }
    return (found.get(16) ?? found.get(1))?.text ?? null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Bundled fonts first with DEFAULT_FONT at index 0, then user fonts; names use '/' separators. */
export function listFonts(dirs: FontDirs): FontEntry[] {
  const entries: FontEntry[] = [];
  const seen = new Set<string>();
  const sources: [string | null, FontEntry['source']][] = [
    [realDir(dirs.bundled), 'bundled'],
    [realDir(dirs.user), 'user'],
  ];
  for (const [root, source] of sources) {
    if (!root) continue;
    const names = walk(root);
    if (source === 'bundled' && names.includes(DEFAULT_FONT)) {
      names.splice(names.indexOf(DEFAULT_FONT), 1);
      names.unshift(DEFAULT_FONT);
    }
    for (const name of names) {
      if (seen.has(name)) continue; // resolveFont prefers the bundled copy, so list that one only
      seen.add(name);
      entries.push({ name, family: fontFamilyName(path.join(root, name)), source });
    }
  }
  return entries;
}

/**
 * Absolute path of a font_name (null or empty: the default). Rejects anything that could leave the
 * font folders (absolute paths, '..', backslashes, NUL, symlinks pointing out) and unknown names
 * with a 400 that names font_name.
 */
export function resolveFont(name: string | null, dirs: FontDirs): string {
  const wanted = name === null || name.trim() === '' ? DEFAULT_FONT : name;
  const reject = (why: string) => badRequest(`font_name ${JSON.stringify(wanted.slice(0, 120))} ${why}; ${lookHint}`, 'font_name');
  if (wanted.includes('\0')) throw reject('contains a NUL character');
  if (wanted.includes('\\')) throw reject("must use '/' separators");
  if (wanted.startsWith('/') || /^[A-Za-z]:/.test(wanted) || path.isAbsolute(wanted)) throw reject('must be relative to the font folder');
  const segments = wanted.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) throw reject("must not contain '.', '..' or empty path segments");
  if (!FONT_EXT.test(wanted)) throw reject('is not a .ttf, .otf or .ttc font');
  for (const dir of [dirs.bundled, dirs.user]) {
    const root = realDir(dir);
    if (!root) continue;
    const file = fileInside(root, wanted);
    if (file) return file;
  }
  throw reject('is not an available font');
}

const registered = new Map<string, string>();

/** Registers the font file with @napi-rs/canvas once and returns the family alias to draw with. */
export function registerFont(file: string): string {
  const known = registered.get(file);
  if (known) return known;
  // A private alias per file: the family name from the file may clash with a system font of another
  // weight (fontconfig also sees /usr/share/fonts), and canvas would then pick the wrong face.
  const alias = `AdForge ${createHash('sha1').update(file).digest('hex').slice(0, 10)}`;
  if (!GlobalFonts.registerFromPath(file, alias)) {
    throw badRequest(`font_name: ${path.basename(file)} could not be loaded as a font; ${lookHint}`, 'font_name');
  }
  registered.set(file, alias);
  return alias;
}
