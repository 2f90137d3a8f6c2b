// The HTTP/WS server that starts with the desktop app (same StudioService as the UI, so other
// tools and a browser can use the running app). It can be turned off or moved to another port at
// run time. No Electron import.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config';
import type { StudioService } from '../core/service';
import { buildServer } from '../server/app';
import { studioFamily } from '../server/families/studio';
import type { ServerSettings } from '../../src-preload/contract';
import type { DesktopSettings } from './desktop-settings';

export interface EmbeddedServer {
  /** Applies the settings: stops a running server, then starts one when enabled. */
  apply(settings: DesktopSettings): Promise<ServerSettings>;
  status(): ServerSettings;
  stop(): Promise<void>;
}

export function createEmbeddedServer(service: StudioService, config: AppConfig): EmbeddedServer {
  let app: FastifyInstance | null = null;
  let state: ServerSettings = { enabled: false, host: config.host, port: config.port, url: null, apiKeySet: !!config.apiKey, error: null };

  const stop = async () => {
    const running = app;
    app = null;
    if (running) await running.close();
  };

  return {
    async apply(settings) {
      await stop();
      state = { enabled: settings.serverEnabled, host: config.host, port: settings.port, url: null, apiKeySet: !!config.apiKey, error: null };
      if (!settings.serverEnabled) return state;
      try {
        const server = await buildServer(service, config);
        // The lead's app factory may already include the studio family; never register it twice.
        if (!server.hasRoute({ method: 'GET', url: '/api/jobs' })) await server.register(studioFamily, { service, config });
        await server.listen({ port: settings.port, host: config.host });
        const address = server.server.address();
        const port = typeof address === 'object' && address ? address.port : settings.port;
        app = server;
        state = { ...state, url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}` };
      } catch (err) {
        // A taken port must not stop the desktop app: it keeps working over IPC and says why.
        state = { ...state, error: `The local server could not start on port ${settings.port}: ${err instanceof Error ? err.message : String(err)}` };
      }
      return state;
    },
    status: () => state,
    stop,
  };
}
