// Loads each listed font once as a FontFace so the picker can render the user's own headline in
// it; families are namespaced so they never clash with system fonts of the same name.
import type { FontEntry } from '../../../src-preload/contract';
import { fontPath } from '../../../src-preload/contract';
import { api } from '../api';

const loaded = new Map<string, Promise<string>>();
let list: Promise<FontEntry[]> | null = null;

/** The server's font list, asked for once per page (the picker and the second line both need it). */
export function fontList(): Promise<FontEntry[]> {
  list ??= api.fonts().catch((err: unknown) => {
    list = null; // a failed answer is not kept: the next caller asks again
    throw err;
  });
  return list;
}

export function previewFamily(font: FontEntry): string {
  return `adf-${font.name.replace(/[^A-Za-z0-9]/g, '-')}`;
}

/**
 * The font without the tables browsers refuse: Chromium's font sanitiser (OTS) rejects a whole
 * font for one empty table, and NanumGothic ships zero-length VTT source tables (TSI0–TSI5) that
 * only the hinting editor reads. The directory is rewritten in place with those tables left out;
 * the other tables keep their offsets, so nothing else moves.
 */
export function dropRejectedTables(buf: ArrayBuffer): ArrayBuffer {
  const src = new DataView(buf);
  if (buf.byteLength < 12) return buf;
  const tag = src.getUint32(0);
  // TrueType (0x00010000), 'OTTO', 'true'; collections and WOFF are left alone.
  if (tag !== 0x00010000 && tag !== 0x4f54544f && tag !== 0x74727565) return buf;
  const n = src.getUint16(4);
  if (12 + n * 16 > buf.byteLength) return buf;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const rec = 12 + i * 16;
    const name = String.fromCharCode(src.getUint8(rec), src.getUint8(rec + 1), src.getUint8(rec + 2), src.getUint8(rec + 3));
    const length = src.getUint32(rec + 12);
    if (length === 0 || /^TSI[0-9]$/.test(name)) continue;
    keep.push(rec);
  }
  if (keep.length === n) return buf;
  const out = buf.slice(0);
  const dst = new DataView(out);
  const bytes = new Uint8Array(out);
  keep.forEach((rec, i) => bytes.set(new Uint8Array(buf, rec, 16), 12 + i * 16));
  bytes.fill(0, 12 + keep.length * 16, 12 + n * 16);
  const pow = 2 ** Math.floor(Math.log2(keep.length));
  dst.setUint16(4, keep.length);
  dst.setUint16(6, pow * 16);
  dst.setUint16(8, Math.log2(pow));
  dst.setUint16(10, keep.length * 16 - pow * 16);
  return out;
}

async function fontSource(font: FontEntry): Promise<ArrayBuffer | string> {
  const url = api.assetUrl(fontPath(font.name));
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(String(res.status));
    return dropRejectedTables(await res.arrayBuffer());
  } catch {
    return `url("${url}")`;
  }
}

/** Resolves to the CSS family name once the font can be drawn (also on failure: the fallback shows). */
export function loadFont(font: FontEntry): Promise<string> {
  let p = loaded.get(font.name);
  if (!p) {
    const family = previewFamily(font);
    p = fontSource(font)
      .then((source) => new FontFace(family, source).load())
      .then((f) => {
        document.fonts.add(f);
        return family;
      })
      .catch(() => family);
    loaded.set(font.name, p);
  }
  return p;
}
