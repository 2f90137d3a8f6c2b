// Comfy Cloud's GET /api/view answers 302 to a signed, expiring URL that a client fetches as it is,
// without its API key (seed 002: `fetch(signedUrl)`). Here the signed URL is /api/view itself with
// `expires` and `signature` added: an HMAC (per-process secret) over the path and every other query
// parameter, so the guard can let exactly that file, for that long, through without a key.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET = randomBytes(32);

/** How long a signed /api/view URL stays valid. */
export const SIGNED_URL_TTL_SECONDS = 300;

function canonical(pathname: string, params: URLSearchParams): string {
  const pairs = [...params.entries()].filter(([k]) => k !== 'signature').sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)));
  return `${pathname}\n${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

const mac = (text: string) => createHmac('sha256', SECRET).update(text).digest('base64url');

/** `pathname?query&expires=…&signature=…` for the given query (token/signature/expires dropped). */
export function signedPath(pathname: string, query: Record<string, string | undefined>, nowSeconds = Date.now() / 1000, ttl = SIGNED_URL_TTL_SECONDS): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && k !== 'token' && k !== 'signature' && k !== 'expires') params.set(k, v);
  params.set('expires', String(Math.floor(nowSeconds + ttl)));
  params.set('signature', mac(canonical(pathname, params)));
  return `${pathname}?${params.toString()}`;
}

/** True when `url` (path + query, as the request line has it) carries a valid, unexpired signature. */
export function hasValidSignature(url: string, nowSeconds = Date.now() / 1000): boolean {
  let u: URL;
  try {
    u = new URL(url, 'http://signed.invalid');
  } catch {
    return false;
  }
  const signature = u.searchParams.get('signature');
  const expires = Number(u.searchParams.get('expires'));
  if (!signature || !Number.isFinite(expires) || expires < nowSeconds) return false;
  const expected = Buffer.from(mac(canonical(u.pathname, u.searchParams)));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A GET of /api/view (any mount) with a valid signature: the guard lets it through without a key. */
export function isSignedViewRequest(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split('?')[0];
  return path.endsWith('/api/view') && hasValidSignature(url);
}
