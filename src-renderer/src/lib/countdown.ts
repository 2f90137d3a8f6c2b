// The ETA shown to the user counts down smoothly between progress events instead of jumping: the
// last reported remaining time minus the time since it was reported, never below zero.

export interface EtaSample {
  /** Seconds remaining as reported by the job. */
  seconds: number;
  /** performance.now() (ms) when the report arrived. */
  at: number;
}

export function remainingSeconds(sample: EtaSample | null, nowMs: number): number | null {
  if (!sample) return null;
  return Math.max(0, sample.seconds - (nowMs - sample.at) / 1000);
}

/** "3 s", "1 min 05 s"; under a second reads as "<1 s" so the user never sees a frozen 0. */
export function formatEta(seconds: number, units: { s: string; min: string }): string {
  if (seconds < 1) return `<1 ${units.s}`;
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole} ${units.s}`;
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return `${m} ${units.min} ${String(s).padStart(2, '0')} ${units.s}`;
}
