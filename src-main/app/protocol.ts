// adforge://app/ : the desktop app serves its UI, job artifacts (with thumbnails) and font files
// from one privileged, same-origin scheme, so the page's CSP can stay at 'self' and no file://
// path is ever exposed to the renderer. A thin adapter: the same service calls as the HTTP family.
import { protocol } from 'electron';
import { AppError } from '../core/errors';
import type { FileBody, StudioService } from '../core/service';
import { STUDIO_CSP } from '../core/studio-api';
import { staticFile } from '../service/static-files';
import { APP_SCHEME } from '../../src-preload/contract';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

function respond(file: FileBody, extra: Record<string, string> = {}): Response {
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: { 'content-type': file.contentType, 'x-content-type-options': 'nosniff', ...extra },
  });
}

function errorResponse(err: unknown): Response {
  const status = err instanceof AppError ? err.status : 500;
  const detail = err instanceof AppError ? err.detail : err instanceof Error ? err.message : String(err);
  return new Response(JSON.stringify({ detail }), { status, headers: { 'content-type': 'application/json' } });
}

export function handleAppProtocol(service: StudioService, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    try {
      const url = new URL(request.url);
      if (url.host !== 'app') return errorResponse(new AppError(404, 'Unknown host'));
      const files = /^\/api\/jobs\/([^/]+)\/files\/([^/]+)$/.exec(url.pathname);
      if (files) {
        const w = Number(url.searchParams.get('w'));
        return respond(await service.artifactFile(decodeURIComponent(files[1]), decodeURIComponent(files[2]), w > 0 ? w : undefined));
      }
      if (url.pathname === '/api/fonts/file') return respond(await service.fontFile(url.searchParams.get('name') ?? ''));
      const file = await staticFile(rendererDir, url.pathname);
      return respond(file, file.contentType.startsWith('text/html') ? { 'content-security-policy': STUDIO_CSP } : {});
    } catch (err) {
      return errorResponse(err);
    }
  });
}
