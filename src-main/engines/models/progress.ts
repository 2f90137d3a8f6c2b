// Download progress as people read it: bytes done of total, percent, a smoothed speed and an ETA.
// Pure (the clock is injected) so the CLI line and the Settings progress bar share one tested rule.
import { formatBytes } from '../../core/format';

export interface ProgressSnapshot {
  done: number;
  total: number;
  /** 0..100, or null while the total is unknown. */
  percent: number | null;
  /** Smoothed bytes per second; 0 until two samples are far enough apart. */
  bytesPerSec: number;
  /** Seconds left at the current speed, or null when unknown. */
  etaSec: number | null;
}

export interface ProgressTracker {
  update(done: number, total?: number): ProgressSnapshot;
  snapshot(): ProgressSnapshot;
}

/**
 * Speed is an exponential moving average over samples at least `minIntervalMs` apart: raw
 * per-chunk rates jump around with TCP windows and would make the ETA flicker.
 */
export function createProgressTracker(total: number, opts: { now?: () => number; minIntervalMs?: number; smoothing?: number } = {}): ProgressTracker {
  const now = opts.now ?? (() => performance.now());
  const minInterval = opts.minIntervalMs ?? 500;
  const alpha = opts.smoothing ?? 0.3;
  let tot = total;
  let done = 0;
  let speed = 0;
  let lastT = now();
  let lastDone = 0;

  const snap = (): ProgressSnapshot => ({
    done,
    total: tot,
    percent: tot > 0 ? Math.min(100, (done / tot) * 100) : null,
    bytesPerSec: speed,
    etaSec: tot > 0 && speed > 0 ? Math.max(0, (tot - done) / speed) : null,
  });

  return {
    update(d, t) {
      if (t !== undefined) tot = t;
      // A resumed file starts above zero; a restarted one may go backwards: never count that as speed.
      if (d < lastDone) lastDone = d;
      done = d;
      const tNow = now();
      const dt = tNow - lastT;
      if (dt >= minInterval) {
        const rate = ((done - lastDone) * 1000) / dt;
        speed = speed === 0 ? rate : alpha * rate + (1 - alpha) * speed;
        lastT = tNow;
        lastDone = done;
      }
      return snap();
    },
    snapshot: snap,
  };
}


export function formatDuration(sec: number): string {
  const s = Math.max(0, Math.ceil(sec));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** "1.2 GiB / 4.0 GiB  30%  12.5 MiB/s  ETA 3m45s" — the CLI's live line (without the label). */
export function formatProgress(p: ProgressSnapshot): string {
  const pct = p.percent === null ? '' : `  ${p.percent.toFixed(0).padStart(3)}%`;
  const speed = p.bytesPerSec > 0 ? `  ${formatBytes(Math.round(p.bytesPerSec))}/s` : '';
  const eta = p.etaSec === null ? '' : `  ETA ${formatDuration(p.etaSec)}`;
  return `${formatBytes(p.done)}${p.total > 0 ? ` / ${formatBytes(p.total)}` : ''}${pct}${speed}${eta}`;
}
