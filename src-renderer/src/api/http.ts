// The StudioApi over HTTP + WebSocket, for the browser studio served by `npm run serve` (locally or
// from a remote GPU workstation): each contract method over the studio family's /api route.
// Same-origin only; the API key, when the server wants one, comes from ?token= in the page URL
// once and is then kept in localStorage.
import type { JobEvent, StudioApi, StudioResult } from '../../../src-preload/contract';
import { ApiError } from './errors';

const TOKEN_KEY = 'adforge.apiKey';

export function readToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    window.localStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return window.localStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string | null): void {
  if (token) window.localStorage.setItem(TOKEN_KEY, token);
  else window.localStorage.removeItem(TOKEN_KEY);
}

interface DetailBody {
  detail?: unknown;
  field?: unknown;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: DetailBody;
  try {
    body = (await res.json()) as DetailBody;
  } catch {
    body = {};
  }
  const detail = typeof body.detail === 'string' ? body.detail : `${res.status} ${res.statusText}`;
  return new ApiError(res.status, detail, typeof body.field === 'string' ? body.field : undefined);
}

/**
 * `satisfies` rather than a return type, so each method's own signature stays visible to the type
 * test (contract.test-d.ts): a method that drops an argument the contract has fails there.
 */
export function createHttpApi(base = '') {
  const token = () => readToken();
  const headers = (json: boolean): Record<string, string> => {
    const h: Record<string, string> = {};
    if (json) h['content-type'] = 'application/json';
    const t = token();
    if (t) h['x-api-key'] = t;
    return h;
  };
  async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await fetch(base + path, {
      method,
      headers: headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await toApiError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  // One WebSocket shared by all listeners, reconnecting with backoff while anyone listens.
  const listeners = new Set<(e: JobEvent) => void>();
  let socket: WebSocket | null = null;
  let retry = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const connect = () => {
    if (socket || listeners.size === 0) return;
    const url = new URL(base + '/api/events', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const t = token();
    if (t) url.searchParams.set('token', t);
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retry = 0;
    };
    ws.onmessage = (m) => {
      if (typeof m.data !== 'string') return;
      const event = JSON.parse(m.data) as JobEvent;
      for (const l of listeners) l(event);
    };
    ws.onclose = () => {
      socket = null;
      if (listeners.size === 0) return;
      retry = Math.min(retry + 1, 6);
      retryTimer = setTimeout(connect, 250 * 2 ** retry);
    };
  };

  const job = (jobId: string) => `/api/jobs/${encodeURIComponent(jobId)}`;

  return {
    shell: 'browser',
    submit: (request) => call<StudioResult<'submit'>>('POST', '/api/jobs', request),
    getJob: (jobId) => call<StudioResult<'getJob'>>('GET', job(jobId)),
    listJobs: (q) => {
      const p = new URLSearchParams();
      if (q.status) p.set('status', q.status);
      if (q.search) p.set('search', q.search);
      if (q.limit !== undefined) p.set('limit', String(q.limit));
      if (q.offset !== undefined) p.set('offset', String(q.offset));
      return call<StudioResult<'listJobs'>>('GET', `/api/jobs?${p.toString()}`);
    },
    stopJob: (jobId) => call<StudioResult<'stopJob'>>('POST', `${job(jobId)}/stop`),
    deleteJob: (jobId) => call<StudioResult<'deleteJob'>>('DELETE', job(jobId)),
    fonts: () => call<StudioResult<'fonts'>>('GET', '/api/fonts'),
    health: () => call<StudioResult<'health'>>('GET', '/api/health'),
    settings: () => call<StudioResult<'settings'>>('GET', '/api/settings'),
    updateSettings: (update) => call<StudioResult<'updateSettings'>>('PUT', '/api/settings', update),
    previewPlacement: (jobId, position, mode) =>
      call<StudioResult<'previewPlacement'>>('GET', `${job(jobId)}/placement?${new URLSearchParams({ position, mode }).toString()}`),
    models: () => call<StudioResult<'models'>>('GET', '/api/models'),
    installModel: (id) => call<StudioResult<'installModel'>>('POST', `/api/models/${encodeURIComponent(id)}/install`),
    cancelModelInstall: (id) => call<StudioResult<'cancelModelInstall'>>('POST', `/api/models/${encodeURIComponent(id)}/cancel`),
    removeModel: (id) => call<StudioResult<'removeModel'>>('DELETE', `/api/models/${encodeURIComponent(id)}`),
    freeEngines: () => call<StudioResult<'freeEngines'>>('POST', '/api/free'),
    async exportZip(jobIds, onProgress?): Promise<StudioResult<'exportZip'>> {
      const res = await fetch(base + '/api/export', { method: 'POST', headers: headers(true), body: JSON.stringify({ job_ids: jobIds }) });
      if (!res.ok || !res.body) throw await toApiError(res);
      const estimate = Number(res.headers.get('x-export-bytes-estimate') ?? 0);
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'adforge-export.zip';
      // Read the stream ourselves so the UI can show bytes as they arrive.
      const reader = res.body.getReader();
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let done = 0;
      for (;;) {
        const r = await reader.read();
        if (r.done) break;
        chunks.push(r.value);
        done += r.value.length;
        onProgress?.({ bytesDone: done, bytesTotal: Math.max(estimate, done) });
      }
      onProgress?.({ bytesDone: done, bytesTotal: done });
      const url = URL.createObjectURL(new Blob(chunks, { type: 'application/zip' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return { fileName: name, bytes: done, saved: true };
    },
    onEvent(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          if (retryTimer) clearTimeout(retryTimer);
          socket?.close();
          socket = null;
        }
      };
    },
    // The browser has no application menu.
    onMenu: () => () => undefined,
    assetUrl(path) {
      const t = token();
      if (!t) return base + path;
      return `${base}${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(t)}`;
    },
    async openExternal(url) {
      window.open(url, '_blank', 'noopener,noreferrer');
    },
  } satisfies StudioApi;
}
