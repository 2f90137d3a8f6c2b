// GET /system_stats (reference §4.4): ComfyUI's system and device shape, filled from the service's
// health (GPUs seen by the pipeline) and this host. Pure given a HostInfo; hostInfo() reads the host.
import os from 'node:os';
import type { HealthInfo } from '../../../core/service';
import { redactArgv } from '../../redact';

/** The ComfyUI version whose wire behaviour we follow (reference: comfyui-protocol.md). */
export const COMFYUI_VERSION = '0.3.64';

export interface HostInfo {
  platform: NodeJS.Platform;
  ramTotal: number;
  ramFree: number;
  /** process.argv without the Node binary. */
  argv: string[];
  nodeVersion: string;
}

export function hostInfo(): HostInfo {
  return { platform: process.platform, ramTotal: os.totalmem(), ramFree: os.freemem(), argv: process.argv.slice(1), nodeVersion: process.versions.node };
}

/**
 * `health` null: the service could not say (devices then show the CPU only). The command line is
 * shown as ComfyUI does, but without secrets: values of key/token flags and any of `secrets`.
 */
export function systemStats(health: HealthInfo | null, host: HostInfo, secrets: string[] = []): Record<string, unknown> {
  const gpus = health?.system_metrics.gpu_info ?? [];
  const devices =
    gpus.length > 0
      ? gpus.map((g) => ({
          name: `${health?.execution_provider ?? 'cuda'}:${g.index} ${g.name}`,
          type: 'cuda',
          index: g.index,
          vram_total: Math.round(g.vram_total_gb * 1024 ** 3),
          vram_free: Math.round((g.vram_total_gb - g.vram_used_gb) * 1024 ** 3),
          torch_vram_total: 0,
          torch_vram_free: 0,
        }))
      : [{ name: 'cpu', type: 'cpu', index: null, vram_total: host.ramTotal, vram_free: host.ramFree, torch_vram_total: 0, torch_vram_free: 0 }];
  return {
    system: {
      // SDKs use os only to encode model paths; "posix" is what they expect from Linux/macOS servers.
      os: host.platform === 'win32' ? 'nt' : 'posix',
      ram_total: host.ramTotal,
      ram_free: host.ramFree,
      comfyui_version: COMFYUI_VERSION,
      python_version: `AdForge Studio ${health?.version ?? ''} on Node ${host.nodeVersion}`.trim(),
      pytorch_version: 'none (onnxruntime)',
      embedded_python: false,
      argv: redactArgv(host.argv, secrets),
    },
    devices,
  };
}
