// The composition root: one StudioService over the configured data dir, and the servers that
// expose it (the main HTTP/WS server with every API family, and the dedicated ComfyUI port). The
// CLI's `serve` starts both at once (startRuntime); the desktop app starts the service, then turns
// its embedded server on, off or to another port from its settings (createEmbeddedServers). Only
// this folder wires server/ to a service, so app/ never imports server/.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config';
import type { StudioService } from '../core/service';
import type { ServerSettings } from '../core/studio-api';
import { buildServer } from '../server/app';
import { startComfyServer } from '../server/families/comfy';
import { closeComfyCore } from '../server/families/comfy/core';
import { createStudioService } from '../service/studio-service';

export interface Runtime {
  service: StudioService;
  /** Releases what the servers keep per service (ComfyUI sockets), then stops the service and its worker. */
  close(): Promise<void>;
}

/** The service of a process (headless server or desktop app). */
export async function createRuntime(config: AppConfig): Promise<Runtime> {
  const service = await createStudioService(config);
  let closed = false;
  return {
    service,
    async close() {
      if (closed) return;
      closed = true;
      closeComfyCore(service);
      await service.close();
    },
  };
}

const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

export interface Servers {
  /** Where the main server listens, e.g. http://127.0.0.1:8000. */
  url: string;
  /** The dedicated ComfyUI port's URL, or null when it is off or could not start. */
  comfyUrl: string | null;
  /** Why the ComfyUI port did not start (another ComfyUI holds it…); the API stays under /comfy/. */
  comfyError: string | null;
  close(): Promise<void>;
}

/**
 * Starts the main server on `port` and, unless `comfyPort` is 0, the ComfyUI port. A main port that
 * cannot be bound throws (nothing is left listening); a ComfyUI port that cannot is reported.
 */
async function startServers(service: StudioService, config: AppConfig, ports: { port: number; comfyPort: number }): Promise<Servers> {
  const app: FastifyInstance = await buildServer(service, config);
  try {
    await app.listen({ port: ports.port, host: config.host });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const url = urlOf(config.host, typeof address === 'object' && address ? address.port : ports.port);
  let comfy: { url: string; close(): Promise<void> } | null = null;
  let comfyError: string | null = null;
  if (ports.comfyPort !== 0) {
    try {
      comfy = await startComfyServer(service, config, { port: ports.comfyPort });
    } catch (err) {
      const code = (err as { code?: string }).code;
      comfyError = code ?? (err instanceof Error ? err.message : String(err));
    }
  }
  return {
    url,
    comfyUrl: comfy?.url ?? null,
    comfyError,
    async close() {
      await comfy?.close();
      await app.close();
    },
  };
}

export interface RunningRuntime extends Runtime {
  servers: Servers;
}

/** `adforge serve`: the service, the main server on config.port and the ComfyUI port on config.comfyPort. */
export async function startRuntime(config: AppConfig): Promise<RunningRuntime> {
  const runtime = await createRuntime(config);
  let servers: Servers;
  try {
    servers = await startServers(runtime.service, config, { port: config.port, comfyPort: config.comfyPort });
  } catch (err) {
    await runtime.close();
    throw err;
  }
  return {
    service: runtime.service,
    servers,
    async close() {
      await servers.close();
      await runtime.close();
    },
  };
}

export interface EmbeddedServers {
  /** Stops a running server, then starts one on `port` when `enabled`; a port that cannot be bound is reported in `error`. */
  apply(settings: { enabled: boolean; port: number }): Promise<ServerSettings>;
  status(): ServerSettings;
  stop(): Promise<void>;
}

/**
 * The desktop's embedded server over the app's service: off, on or moved at run time. The
 * ComfyUI API stays under /comfy/ on it; the desktop opens no separate ComfyUI port.
 */
export function createEmbeddedServers(service: StudioService, config: AppConfig): EmbeddedServers {
  let running: Servers | null = null;
  const base = { host: config.host, apiKeySet: !!config.apiKey };
  let state: ServerSettings = { ...base, enabled: false, port: config.port, url: null, error: null };

  const stop = async () => {
    const r = running;
    running = null;
    await r?.close();
  };

  return {
    async apply({ enabled, port }) {
      await stop();
      state = { ...base, enabled, port, url: null, error: null };
      if (!enabled) return state;
      try {
        running = await startServers(service, config, { port, comfyPort: 0 });
        state = { ...state, url: running.url };
      } catch (err) {
        // A taken port must not stop the desktop app: it keeps working over IPC and says why.
        state = { ...state, error: `The local server could not start on port ${port}: ${err instanceof Error ? err.message : String(err)}` };
      }
      return state;
    },
    status: () => state,
    stop,
  };
}
