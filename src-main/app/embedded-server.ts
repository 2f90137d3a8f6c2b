// The HTTP/WS server that starts with the desktop app (same StudioService as the UI, so other
// tools and a browser can use the running app), driven by the desktop settings: on or off, and on
// which port, changed at run time. The servers themselves come from runtime/. No Electron import.
import type { AppConfig } from '../config';
import type { StudioService } from '../core/service';
import type { ServerSettings } from '../core/studio-api';
import { createEmbeddedServers } from '../runtime/runtime';
import type { DesktopSettings } from './desktop-settings';

export interface EmbeddedServer {
  /** Applies the settings: stops a running server, then starts one when enabled. */
  apply(settings: DesktopSettings): Promise<ServerSettings>;
  status(): ServerSettings;
  stop(): Promise<void>;
}

export function createEmbeddedServer(service: StudioService, config: AppConfig): EmbeddedServer {
  const servers = createEmbeddedServers(service, config);
  return {
    apply: (settings) => servers.apply({ enabled: settings.serverEnabled, port: settings.port }),
    status: () => servers.status(),
    stop: () => servers.stop(),
  };
}
