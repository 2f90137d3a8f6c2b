// Request guard run before any body is read: Host check (DNS rebinding: a hostile page whose name
// resolves to 127.0.0.1 sends its own Host), Origin check for state-changing requests and WS
// upgrades (cross-site POST from a browser), and the API key when one is configured.
import { createHash, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLoopbackHost } from '../core/net';
import { PUBLIC_PAGE_PATHS } from './pages';
import { isSignedViewRequest } from './signed-url';

export interface GuardOptions {
  host: string;
  apiKey: string | null;
  /** Extra host names accepted in the Host header (ADFORGE_ALLOWED_HOSTS). */
  extraHosts?: string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Host part of a Host header or URL authority, lower-cased, without port or IPv6 brackets. */
export function hostnameOf(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']') > 0 ? a.indexOf(']') : undefined);
  const colon = a.lastIndexOf(':');
  return colon >= 0 && a.indexOf(':') === colon ? a.slice(0, colon) : a;
}

const isWildcard = (h: string) => h === '0.0.0.0' || h === '::' || h === '[::]';

/** Names a legitimate client may put in Host: loopback, the bound host, and this machine's own names when bound to all interfaces. */
export function allowedHostnames(opts: GuardOptions): (name: string) => boolean {
  const allowed = new Set<string>((opts.extraHosts ?? []).map((h) => h.toLowerCase()));
  const bound = hostnameOf(opts.host);
  if (!isWildcard(bound)) allowed.add(bound);
  else {
    allowed.add(os.hostname().toLowerCase());
    for (const list of Object.values(os.networkInterfaces())) for (const ni of list ?? []) allowed.add(ni.address.toLowerCase());
  }
  return (name) => isLoopbackHost(name) || allowed.has(name);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function keyMatches(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** The key from X-API-Key, Authorization: Bearer, or ?token= (browsers cannot set headers on WS). */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  const token = query?.token;
  return typeof token === 'string' && token ? token : undefined;
}

/**
 * Who a request is, for routing messages between one user's connections: a digest of the API key it
 * presented (header or ?token=), never the key itself; null when it presented none.
 */
export function keyOwner(request: FastifyRequest): string | null {
  const key = presentedKey(request);
  return key ? createHash('sha256').update(`adforge-owner:${key}`).digest('hex').slice(0, 32) : null;
}

/** Same origin: the page was served by this server (same host:port as the request targets). */
export function isSameOrigin(origin: string, hostHeader: string): boolean {
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host.toLowerCase() === hostHeader.toLowerCase();
  } catch {
    return false; // "null" and other opaque origins
  }
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; detail: string };

export function checkRequest(request: FastifyRequest, opts: GuardOptions, isAllowed: (name: string) => boolean): GuardVerdict {
  const hostHeader = request.headers.host;
  if (!hostHeader || !isAllowed(hostnameOf(hostHeader))) {
    return { ok: false, status: 403, detail: `Host "${hostHeader ?? ''}" is not allowed: use http://127.0.0.1:PORT or the configured host` };
  }
  const origin = request.headers.origin;
  const isUpgrade = typeof request.headers.upgrade === 'string' && request.headers.upgrade.toLowerCase() === 'websocket';
  if (origin !== undefined && (isUpgrade || !SAFE_METHODS.has(request.method))) {
    if (!isSameOrigin(origin, hostHeader)) return { ok: false, status: 403, detail: `Cross-origin request refused: Origin "${origin}" is not this server` };
  }
  // The studio page, /redoc, /example_generation and their static assets are public code
  // (browsers fetch them without a key); every API call the pages then make carries the key.
  const pathOnly = request.url.split('?')[0];
  const publicAsset =
    SAFE_METHODS.has(request.method) && (request.url === '/studio' || request.url.startsWith('/studio/') || PUBLIC_PAGE_PATHS.includes(pathOnly));
  // A signed /api/view URL (Comfy Cloud's 302 target) is its own authorization, for one file, briefly.
  if (opts.apiKey && !publicAsset && !keyMatches(presentedKey(request), opts.apiKey) && !isSignedViewRequest(request.method, request.url)) {
    return { ok: false, status: 401, detail: 'Missing or wrong API key: send X-API-Key, Authorization: Bearer KEY, or ?token=KEY' };
  }
  return { ok: true };
}

export function installGuard(app: FastifyInstance, opts: GuardOptions): void {
  const isAllowed = allowedHostnames(opts);
  app.addHook('onRequest', async (request, reply) => {
    const verdict = checkRequest(request, opts, isAllowed);
    if (!verdict.ok) {
      if (verdict.status === 401) reply.header('WWW-Authenticate', 'Bearer');
      return reply.code(verdict.status).send({ detail: verdict.detail });
    }
  });
}
