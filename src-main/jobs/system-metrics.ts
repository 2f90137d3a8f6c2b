// CPU, RAM and GPU figures for /status and /health. Sampled at most every ~2 s and shared by all
// callers: a hundred pollers must not spawn a hundred nvidia-smi processes.
import { execFile } from 'node:child_process';
import os from 'node:os';
import type { GpuInfo, SystemMetrics } from '../core/service';

const GB = 1024 ** 3;
const round1 = (v: number) => Math.round(v * 10) / 10;
const round2 = (v: number) => Math.round(v * 100) / 100;

interface CpuSample {
  idle: number;
  total: number;
}

function cpuSample(): CpuSample {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    const t = c.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** Busy share between two samples, 0..100. */
export function cpuPercentBetween(a: CpuSample, b: CpuSample): number {
  const total = b.total - a.total;
  if (total <= 0) return 0;
  return round1(Math.min(100, Math.max(0, (100 * (total - (b.idle - a.idle))) / total)));
}

/** Parses `nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(csv: string): GpuInfo[] {
  const out: GpuInfo[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const parts = line.split(',').map((p) => p.trim());
    if (parts.length < 5) continue;
    const [index, name, util, usedMiB, totalMiB] = parts;
    const used = Number(usedMiB) / 1024;
    const total = Number(totalMiB) / 1024;
    if (!Number.isFinite(Number(index)) || !Number.isFinite(total)) continue;
    out.push({
      index: Number(index),
      name,
      gpu_util: Number.isFinite(Number(util)) ? Number(util) : 0,
      vram_used_gb: round2(Number.isFinite(used) ? used : 0),
      vram_total_gb: round2(total),
      vram_percent: total > 0 && Number.isFinite(used) ? round1((100 * used) / total) : 0,
    });
  }
  return out;
}

/** GPUs, or `absent` when there is no nvidia-smi at all (then it is never spawned again). */
function queryGpus(command: string, timeoutMs: number): Promise<{ gpus: GpuInfo[]; absent: boolean }> {
  return new Promise((resolve) => {
    execFile(
      command,
      ['--query-gpu=index,name,utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'],
      { timeout: timeoutMs, windowsHide: true },
      (err, stdout) => resolve(err ? { gpus: [], absent: (err as NodeJS.ErrnoException).code === 'ENOENT' } : { gpus: parseNvidiaSmi(stdout), absent: false }),
    );
  });
}

export interface SystemMetricsOptions {
  /** nvidia-smi executable; default 'nvidia-smi' from PATH. */
  nvidiaSmi?: string;
  cacheMs?: number;
  timeoutMs?: number;
}

export interface SystemMetricsSource {
  get(): Promise<SystemMetrics>;
  /** Last value without waiting (zeros before the first sample). */
  latest(): SystemMetrics;
}

export function createSystemMetrics(options: SystemMetricsOptions = {}): SystemMetricsSource {
  const cacheMs = options.cacheMs ?? 2000;
  const timeoutMs = options.timeoutMs ?? 1500;
  const command = options.nvidiaSmi ?? 'nvidia-smi';
  let prevCpu = cpuSample();
  let gpuMissing = false;
  let cached: SystemMetrics = { cpu_percent: 0, ram_used_gb: 0, ram_total_gb: round2(os.totalmem() / GB), ram_percent: 0, gpu_info: [] };
  let cachedAt = -Infinity;
  let inflight: Promise<SystemMetrics> | null = null;

  const sample = async (): Promise<SystemMetrics> => {
    let gpus: GpuInfo[] = [];
    if (!gpuMissing) {
      const q = await queryGpus(command, timeoutMs);
      gpus = q.gpus;
      gpuMissing = q.absent;
    }
    const cpu = cpuSample();
    const total = os.totalmem();
    const used = total - os.freemem();
    const m: SystemMetrics = {
      cpu_percent: cpuPercentBetween(prevCpu, cpu),
      ram_used_gb: round2(used / GB),
      ram_total_gb: round2(total / GB),
      ram_percent: round1((100 * used) / total),
      gpu_info: gpus,
    };
    prevCpu = cpu;
    cached = m;
    cachedAt = Date.now();
    return m;
  };

  return {
    get() {
      if (Date.now() - cachedAt < cacheMs) return Promise.resolve(cached);
      if (!inflight) inflight = sample().finally(() => (inflight = null));
      return inflight;
    },
    latest: () => cached,
  };
}
