// Talking to the Hugging Face Hub: what a file at a pinned revision is (size, LFS sha256, URL) comes
// from @huggingface/hub's fileDownloadInfo, so the Hub protocol (xet file-info, Content-Range, the
// ETag rules) stays the maintained client's job. Only the byte transfer is ours, because it must
// resume from a `.part` file with a Range request, report progress and never leave a short file
// looking complete. Every hop of every request is checked: https only, http only on loopback.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, truncate } from 'node:fs/promises';
import { fileDownloadInfo, HubApiError } from '@huggingface/hub';
import { ModelError } from './errors';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Throws unless the URL is https, or http to this machine (the tests' model host). */
export function assertAllowedUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ModelError('UNSAFE_URL', `not a URL: ${String(raw)}`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
  throw new ModelError('UNSAFE_URL', `refusing to download from ${url.origin}: only https (or http to 127.0.0.1/localhost) is allowed`);
}

/** The Hub's LFS headers, which it puts on the redirect to the CDN rather than on the CDN's answer. */
const LINKED_HEADERS = ['x-linked-etag', 'x-linked-size', 'x-repo-commit'];

/**
 * A fetch that follows redirects itself so that (1) each hop is checked by assertAllowedUrl,
 * (2) the Authorization header never leaves the origin it was meant for, and (3) the Hub's
 * X-Linked-* headers from the redirect hop survive into the final response, where
 * fileDownloadInfo looks for the LFS sha256 (a CDN's own ETag is not the file's hash).
 */
export function createHubFetch(base: typeof fetch = fetch, maxRedirects = 5): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let url = assertAllowedUrl(typeof input === 'string' || input instanceof URL ? input : input.url);
    const firstOrigin = url.origin;
    const linked = new Headers();
    for (let hop = 0; ; hop++) {
      const headers = new Headers(init?.headers);
      if (url.origin !== firstOrigin) headers.delete('authorization');
      const res = await base(url, { ...init, headers, redirect: 'manual' });
      for (const h of LINKED_HEADERS) {
        const v = res.headers.get(h);
        if (v !== null && !linked.has(h)) linked.set(h, v);
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel().catch(() => {});
        if (hop >= maxRedirects) throw new ModelError('UNSAFE_URL', `too many redirects fetching ${url.origin}${url.pathname}`);
        url = assertAllowedUrl(new URL(location, url));
        continue;
      }
      if (hop === 0) return res;
      const merged = new Headers(res.headers);
      for (const [k, v] of linked) if (!merged.has(k)) merged.set(k, v);
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers: merged });
    }
  };
}

/** Error codes that mean "no route to the host at all", as opposed to a transfer that broke off. */
const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'EADDRNOTAVAIL']);
/** Codes of a connection that was there and then went away mid-transfer. */
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** The first errno-style code found along an error's `cause` chain (fetch wraps them twice). */
export function networkErrorCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (OFFLINE_CODES.has(code) || DROPPED_CODES.has(code))) return code;
    // AggregateError (happy-eyeballs tried several addresses): look at the first one.
    const inner = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.length > 0) {
      const c = networkErrorCode(inner[0]);
      if (c) return c;
    }
    e = (e as { cause?: unknown }).cause;
  }
  // undici reports a body cut mid-way as TypeError('terminated') with a socket cause (handled above)
  // or without one: treat it as a dropped connection too.
  if (err instanceof TypeError && /terminated|fetch failed/i.test(err.message)) return 'ECONNRESET';
  return null;
}

export function isOfflineCode(code: string | null): boolean {
  return code !== null && OFFLINE_CODES.has(code);
}

export interface HubFileRef {
  hubUrl: string;
  repo: string;
  revision: string;
  path: string;
  accessToken?: string;
  /** Defaults to createHubFetch(): tests inject failures here. */
  fetch?: typeof fetch;
}

export interface HubFileInfo {
  /** URL to GET the bytes from (the resolve URL; it redirects to the CDN). */
  url: string;
  size: number;
  /** sha256 of the content when the file is stored with LFS/xet (the Hub's X-Linked-Etag). */
  lfsSha256: string | null;
  /** Git blob id of a small file kept in git itself (its ETag); lets us check those too. */
  gitOid: string | null;
}

function stripEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
}

/** Size, hash and URL of one file at a pinned revision, through @huggingface/hub. */
export async function resolveHubFile(ref: HubFileRef): Promise<HubFileInfo> {
  assertAllowedUrl(ref.hubUrl);
  let info: Awaited<ReturnType<typeof fileDownloadInfo>>;
  try {
    info = await fileDownloadInfo({
      repo: { type: 'model', name: ref.repo },
      path: ref.path,
      revision: ref.revision,
      hubUrl: ref.hubUrl.replace(/\/+$/, ''),
      fetch: ref.fetch ?? createHubFetch(),
      ...(ref.accessToken ? { accessToken: ref.accessToken } : {}),
    });
  } catch (err) {
    if (err instanceof HubApiError) {
      if (err.statusCode === 401 || err.statusCode === 403) {
        throw new ModelError('AUTH', `${ref.repo} refused access to ${ref.path} (HTTP ${err.statusCode}): the repository is gated or private. Accept its licence on the Hub, then set HF_TOKEN to a token of that account.`);
      }
      if (err.statusCode === 404) throw notFound(ref);
    }
    throw err;
  }
  if (!info) throw notFound(ref);
  const tag = stripEtag(info.etag);
  return {
    url: info.url,
    size: info.size,
    lfsSha256: /^[0-9a-f]{64}$/.test(tag) ? tag : null,
    gitOid: /^[0-9a-f]{40}$/.test(tag) ? tag : null,
  };
}

function notFound(ref: HubFileRef): ModelError {
  return new ModelError('NOT_FOUND', `${ref.repo} has no file "${ref.path}" at revision ${ref.revision}: the manifest and the repository disagree`);
}

export interface RangedDownload {
  url: string;
  partPath: string;
  /** Exact final size (from the Hub); the transfer is checked against it. */
  size: number;
  accessToken?: string;
  fetch?: typeof fetch;
  /** Called with the bytes now in the .part file (including what an earlier run left). */
  onBytes?: (done: number) => void;
  signal?: AbortSignal;
  /** A connection that sends nothing for this long is dropped (and resumed by the caller). */
  idleTimeoutMs?: number;
}

function parseContentRange(v: string | null): { start: number; total: number | null } | null {
  const m = v && /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(v.trim());
  return m ? { start: Number(m[1]), total: m[2] === '*' ? null : Number(m[2]) } : null;
}

/**
 * Appends the rest of the file to `partPath`, asking only for the bytes after what is already
 * there (Range: bytes=N-). The .part file is flushed to disk (fsync) before returning, and is kept
 * on any failure so the next attempt resumes instead of starting over. Throws INTERRUPTED when
 * the connection breaks off; the caller decides whether to retry.
 */
export async function downloadRanged(d: RangedDownload): Promise<void> {
  const doFetch = d.fetch ?? createHubFetch();
  let offset = (await stat(d.partPath).catch(() => null))?.size ?? 0;
  if (offset > d.size) {
    // Longer than the file can be: not a prefix of it, so start again.
    await truncate(d.partPath, 0);
    offset = 0;
  }
  d.onBytes?.(offset);
  if (offset === d.size) return;

  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort(d.signal?.reason);
  d.signal?.addEventListener('abort', onAbort, { once: true });
  let idle: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => ctrl.abort(new Error('idle timeout')), d.idleTimeoutMs ?? 60_000);
  };
  try {
    armIdle();
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
    if (offset > 0) headers.Range = `bytes=${offset}-`;
    if (d.accessToken) headers.Authorization = `Bearer ${d.accessToken}`;
    let res: Response;
    try {
      res = await doFetch(d.url, { headers, signal: ctrl.signal });
    } catch (err) {
      throw transferError(err, d, offset);
    }
    if (res.status === 416) {
      // The server says our offset is past the end: our prefix is not trustworthy, start over.
      await res.body?.cancel().catch(() => {});
      await truncate(d.partPath, 0);
      throw new ModelError('INTERRUPTED', `server rejected the resume offset ${offset} for ${d.partPath}; restarting that file`);
    }
    if (res.status === 401 || res.status === 403) throw new ModelError('AUTH', `download refused (HTTP ${res.status}); set HF_TOKEN to a token that may read this repository`);
    if (res.status === 404) throw new ModelError('NOT_FOUND', `download URL answered 404: ${d.url}`);
    if (res.status !== 200 && res.status !== 206) throw new ModelError('INTERRUPTED', `download answered HTTP ${res.status} ${res.statusText}`);
    if (!res.body) throw new ModelError('INTERRUPTED', 'download answered without a body');

    let flags = 'a';
    if (res.status === 206) {
      const range = parseContentRange(res.headers.get('content-range'));
      if (!range || range.start !== offset) {
        await res.body.cancel().catch(() => {});
        throw new ModelError('INTERRUPTED', `server answered range ${res.headers.get('content-range')} for a request from byte ${offset}`);
      }
      if (range.total !== null && range.total !== d.size) {
        await res.body.cancel().catch(() => {});
        throw new ModelError('SIZE', `server says the file has ${range.total} bytes, the Hub said ${d.size}`);
      }
    } else if (offset > 0) {
      // 200 to a Range request: the server sends the whole file, so write it from the start.
      flags = 'w';
      offset = 0;
      d.onBytes?.(0);
    }

    const fh = await open(d.partPath, flags);
    let written = offset;
    try {
      const reader = res.body.getReader();
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          throw transferError(err, d, written);
        }
        if (chunk.done) break;
        armIdle();
        if (written + chunk.value.byteLength > d.size) {
          await reader.cancel().catch(() => {});
          throw new ModelError('SIZE', `server sent more than the ${d.size} bytes the Hub announced for ${d.partPath}`);
        }
        // Write before counting: the .part length must never claim bytes that are not on disk.
        await fh.write(chunk.value);
        written += chunk.value.byteLength;
        d.onBytes?.(written);
      }
      // Flushed to the disk before anyone renames it into place.
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (written !== d.size) throw new ModelError('INTERRUPTED', `connection closed after ${written} of ${d.size} bytes`);
  } finally {
    clearTimeout(idle);
    d.signal?.removeEventListener('abort', onAbort);
  }
}

function transferError(err: unknown, d: RangedDownload, at: number): Error {
  if (err instanceof ModelError) return err;
  if (d.signal?.aborted) return err instanceof Error ? err : new Error(String(err));
  const code = networkErrorCode(err) ?? ((err as Error)?.message === 'idle timeout' || (err as { cause?: Error })?.cause?.message === 'idle timeout' ? 'ETIMEDOUT' : null);
  if (code) {
    const e = new ModelError(isOfflineCode(code) && at === 0 ? 'OFFLINE' : 'INTERRUPTED', `download interrupted at byte ${at} of ${d.size} (${code})`);
    (e as { cause?: unknown }).cause = err;
    return e;
  }
  return err instanceof Error ? err : new Error(String(err));
}

export interface FileHashes {
  sha256: string;
  /** Git blob id (sha1 of "blob <size>\0" + content), computed only when asked. */
  gitOid?: string;
  bytes: number;
}

/** Hashes a file from disk (streamed), reporting bytes read so verify can show progress. */
export async function hashFile(file: string, opts: { gitOid?: boolean; onBytes?: (n: number) => void } = {}): Promise<FileHashes> {
  const size = (await stat(file)).size;
  const sha = createHash('sha256');
  const git = opts.gitOid ? createHash('sha1').update(`blob ${size}\0`) : null;
  let n = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    sha.update(buf);
    git?.update(buf);
    n += buf.byteLength;
    opts.onBytes?.(n);
  }
  return { sha256: sha.digest('hex'), bytes: n, ...(git ? { gitOid: git.digest('hex') } : {}) };
}
