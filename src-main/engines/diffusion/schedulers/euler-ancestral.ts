// Euler-ancestral sampling for SD-Turbo / SDXL-Turbo, as diffusers' EulerAncestralDiscreteScheduler
// computes it (scaled-linear betas, "trailing" spacing by default, epsilon or v prediction).
// Pure maths on Float32Arrays; the noise comes from the caller so the seed owns every random draw.

export type TimestepSpacing = 'trailing' | 'leading' | 'linspace';
export type PredictionType = 'epsilon' | 'v_prediction';

export interface EulerAncestralConfig {
  numTrainTimesteps: number;
  betaStart: number;
  betaEnd: number;
  betaSchedule: 'scaled_linear' | 'linear';
  timestepSpacing: TimestepSpacing;
  stepsOffset: number;
  predictionType: PredictionType;
}

/** SD 2.x / SD-Turbo / SDXL-Turbo scheduler_config.json values. */
export const TURBO_EULER_CONFIG: EulerAncestralConfig = {
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  betaSchedule: 'scaled_linear',
  timestepSpacing: 'trailing',
  stepsOffset: 1,
  predictionType: 'epsilon',
};

/** Reads the fields we use from a diffusers scheduler_config.json (unknown fields ignored). */
export function eulerConfigFromJson(json: Record<string, unknown> | null, base: EulerAncestralConfig = TURBO_EULER_CONFIG): EulerAncestralConfig {
  if (!json) return base;
  const num = (k: string, d: number) => (typeof json[k] === 'number' ? (json[k] as number) : d);
  const schedule = json.beta_schedule === 'linear' || json.beta_schedule === 'scaled_linear' ? json.beta_schedule : base.betaSchedule;
  const spacing =
    json.timestep_spacing === 'leading' || json.timestep_spacing === 'linspace' || json.timestep_spacing === 'trailing'
      ? json.timestep_spacing
      : base.timestepSpacing;
  const prediction = json.prediction_type === 'v_prediction' || json.prediction_type === 'epsilon' ? json.prediction_type : base.predictionType;
  return {
    numTrainTimesteps: num('num_train_timesteps', base.numTrainTimesteps),
    betaStart: num('beta_start', base.betaStart),
    betaEnd: num('beta_end', base.betaEnd),
    betaSchedule: schedule,
    timestepSpacing: spacing,
    stepsOffset: num('steps_offset', base.stepsOffset),
    predictionType: prediction,
  };
}

/** ᾱ_t for t = 0..T-1 (float64, as numpy computes it). */
export function alphasCumprod(cfg: EulerAncestralConfig = TURBO_EULER_CONFIG): Float64Array {
  const T = cfg.numTrainTimesteps;
  const out = new Float64Array(T);
  let prod = 1;
  for (let i = 0; i < T; i++) {
    const f = T === 1 ? 0 : i / (T - 1);
    const beta =
      cfg.betaSchedule === 'scaled_linear'
        ? (Math.sqrt(cfg.betaStart) + f * (Math.sqrt(cfg.betaEnd) - Math.sqrt(cfg.betaStart))) ** 2
        : cfg.betaStart + f * (cfg.betaEnd - cfg.betaStart);
    prod *= 1 - beta;
    out[i] = prod;
  }
  return out;
}

/** σ_t = sqrt((1 − ᾱ_t) / ᾱ_t) for every training timestep. */
export function trainSigmas(cfg: EulerAncestralConfig = TURBO_EULER_CONFIG): Float64Array {
  const ac = alphasCumprod(cfg);
  return ac.map((a) => Math.sqrt((1 - a) / a));
}

/** numpy's round(): halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The N inference timesteps (descending) for the configured spacing. */
export function spacedTimesteps(steps: number, cfg: EulerAncestralConfig = TURBO_EULER_CONFIG): number[] {
  const T = cfg.numTrainTimesteps;
  if (!Number.isInteger(steps) || steps < 1 || steps > T) throw new Error(`steps must be an integer in 1..${T}, got ${steps}`);
  const out: number[] = [];
  if (cfg.timestepSpacing === 'trailing') {
    const ratio = T / steps;
    for (let i = 0; i < steps; i++) out.push(roundHalfEven(T - i * ratio) - 1);
  } else if (cfg.timestepSpacing === 'leading') {
    const ratio = Math.floor(T / steps);
    for (let i = steps - 1; i >= 0; i--) out.push(roundHalfEven(i * ratio) + cfg.stepsOffset);
  } else {
    for (let i = steps - 1; i >= 0; i--) out.push(steps === 1 ? 0 : (i * (T - 1)) / (steps - 1));
  }
  return out;
}

function interp(x: number, table: Float64Array): number {
  if (x <= 0) return table[0];
  if (x >= table.length - 1) return table[table.length - 1];
  const i = Math.floor(x);
  const f = x - i;
  return table[i] * (1 - f) + table[i + 1] * f;
}

export interface EulerSchedule {
  /** Model timesteps of the steps actually run (after img2img strength), descending. */
  timesteps: number[];
  /** σ of each step run, plus a final 0: length timesteps.length + 1. */
  sigmas: number[];
  /** Standard deviation of the starting noise for text-to-image. */
  initNoiseSigma: number;
}

/**
 * The schedule for `steps` inference steps. With `strength` < 1 (img2img) only the last
 * ⌊steps·strength⌋ steps run (at least one), exactly as diffusers' img2img `get_timesteps`.
 */
export function eulerAncestralSchedule(steps: number, cfg: EulerAncestralConfig = TURBO_EULER_CONFIG, strength = 1): EulerSchedule {
  const table = trainSigmas(cfg);
  const ts = spacedTimesteps(steps, cfg);
  const sig = ts.map((t) => interp(t, table));
  const maxSigma = Math.max(...sig);
  const initNoiseSigma = cfg.timestepSpacing === 'leading' ? Math.sqrt(maxSigma * maxSigma + 1) : maxSigma;
  const run = strength >= 1 ? steps : Math.max(1, Math.min(steps, Math.floor(steps * strength)));
  const start = steps - run;
  return { timesteps: ts.slice(start), sigmas: [...sig.slice(start), 0], initNoiseSigma };
}

/** scale_model_input: x / sqrt(σ² + 1). */
export function scaleModelInput(x: Float32Array, sigma: number): Float32Array {
  const k = 1 / Math.sqrt(sigma * sigma + 1);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * k;
  return out;
}

/** The ancestral split of a step σf → σt into the deterministic part σ_down and fresh noise σ_up. */
export function ancestralSigmas(sigmaFrom: number, sigmaTo: number): { up: number; down: number } {
  if (sigmaTo <= 0) return { up: 0, down: 0 };
  const up = Math.sqrt((sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo)) / (sigmaFrom * sigmaFrom));
  const down = Math.sqrt(sigmaTo * sigmaTo - up * up);
  return { up, down };
}

/**
 * One Euler-ancestral step from σf to σt. `noise` (N(0,1), same length as x) is needed only when
 * σt > 0. Returns the new sample; `denoised` is the model's x0 estimate.
 */
export function eulerAncestralStep(
  x: Float32Array,
  modelOutput: Float32Array,
  sigmaFrom: number,
  sigmaTo: number,
  noise: Float32Array | null,
  prediction: PredictionType = 'epsilon',
): { sample: Float32Array; denoised: Float32Array } {
  const n = x.length;
  const denoised = new Float32Array(n);
  if (prediction === 'epsilon') {
    for (let i = 0; i < n; i++) denoised[i] = x[i] - sigmaFrom * modelOutput[i];
  } else {
    const s2 = sigmaFrom * sigmaFrom + 1;
    const a = -sigmaFrom / Math.sqrt(s2);
    for (let i = 0; i < n; i++) denoised[i] = modelOutput[i] * a + x[i] / s2;
  }
  const { up, down } = ancestralSigmas(sigmaFrom, sigmaTo);
  const dt = down - sigmaFrom;
  const sample = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const derivative = (x[i] - denoised[i]) / sigmaFrom;
    sample[i] = x[i] + derivative * dt + (up > 0 && noise ? noise[i] * up : 0);
  }
  return { sample, denoised };
}

/** Euler add_noise: x0 + noise · σ (img2img start, and the kept region of a masked repaint). */
export function eulerAddNoise(x0: Float32Array, noise: Float32Array, sigma: number): Float32Array {
  const out = new Float32Array(x0.length);
  for (let i = 0; i < x0.length; i++) out[i] = x0[i] + noise[i] * sigma;
  return out;
}
