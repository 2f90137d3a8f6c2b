// ComfyUI's /ws clients by clientId. A reconnect with the same clientId replaces the entry, and
// the old socket's close only removes the entry while it still points at that old socket (the bug
// in ComfyUI that drops the new socket). Idle sockets get a `status` heartbeat: SDK clients treat
// 10 s of silence as a dead connection and fail the prompt they are waiting on.
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';

export interface ComfyClient {
  id: string;
  socket: WebSocket;
  /** The user it authenticated as (API key digest from ?token=), or null. */
  owner: string | null;
  /** Negotiated with a first `feature_flags` message: previews then carry metadata (event 4). */
  previewMetadata: boolean;
  lastSent: number;
}

export interface SocketHooks {
  /** Messages sent right after the on-connect `status` (e.g. `executing` for its running prompt). */
  onConnect(client: ComfyClient): void;
  statusData(): Record<string, unknown>;
  features(): Record<string, unknown>;
}

const OPEN = 1;

export class ComfySockets {
  private clients = new Map<string, ComfyClient>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private hooks: SocketHooks,
    private heartbeatMs = 5000,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  has(id: string): boolean {
    return this.clients.has(id);
  }

  attach(socket: WebSocket, requestedId: string | undefined, owner: string | null = null): ComfyClient {
    const id = requestedId && requestedId.length <= 200 ? requestedId : randomUUID().replace(/-/g, '');
    const client: ComfyClient = { id, socket, owner, previewMetadata: false, lastSent: Date.now() };
    this.clients.set(id, client);
    let first = true;
    socket.on('message', (data, isBinary) => {
      if (!first || isBinary) return;
      first = false;
      try {
        const msg = JSON.parse(data.toString()) as { type?: unknown; data?: { supports_preview_metadata?: unknown } };
        if (msg.type === 'feature_flags') {
          client.previewMetadata = msg.data?.supports_preview_metadata === true;
          this.sendTo(client, { type: 'feature_flags', data: this.hooks.features() });
        }
      } catch {
        // ComfyUI ignores anything but a feature_flags first message.
      }
    });
    socket.on('close', () => {
      if (this.clients.get(id) === client) this.clients.delete(id);
    });
    socket.on('error', () => undefined);
    this.sendTo(client, { type: 'status', data: { ...this.hooks.statusData(), sid: id } });
    this.hooks.onConnect(client);
    this.ensureTimer();
    return client;
  }

  private ensureTimer(): void {
    if (this.timer || this.heartbeatMs <= 0) return;
    this.timer = setInterval(
      () => {
        const now = Date.now();
        for (const c of this.clients.values()) {
          if (now - c.lastSent >= this.heartbeatMs) this.sendTo(c, { type: 'status', data: this.hooks.statusData() });
        }
      },
      Math.max(250, Math.floor(this.heartbeatMs / 4)),
    );
    this.timer.unref();
  }

  sendTo(client: ComfyClient, message: Record<string, unknown>): void {
    if (client.socket.readyState !== OPEN) return;
    client.lastSent = Date.now();
    client.socket.send(JSON.stringify(message));
  }

  /** To one client id; false when it has no open socket. */
  send(id: string, message: Record<string, unknown>): boolean {
    const c = this.clients.get(id);
    if (!c) return false;
    this.sendTo(c, message);
    return true;
  }

  /** To every socket of one user (prompts submitted without client_id, Comfy Cloud style). */
  sendToOwner(owner: string, message: Record<string, unknown>): void {
    for (const c of this.clients.values()) if (c.owner === owner) this.sendTo(c, message);
  }

  broadcast(message: Record<string, unknown>): void {
    for (const c of this.clients.values()) this.sendTo(c, message);
  }

  sendBinary(id: string, frame: (client: ComfyClient) => Buffer): void {
    const c = this.clients.get(id);
    if (!c || c.socket.readyState !== OPEN) return;
    c.lastSent = Date.now();
    c.socket.send(frame(c), { binary: true });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const c of this.clients.values()) c.socket.close(1001, 'server shutting down');
    this.clients.clear();
  }
}
