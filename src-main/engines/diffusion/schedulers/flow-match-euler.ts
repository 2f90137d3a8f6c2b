// Flow-matching Euler for FLUX.1 (diffusers FlowMatchEulerDiscreteScheduler with the pipeline's
// `sigmas = linspace(1, 1/N, N)`). schnell runs without shift (scheduler_config shift 1.0, no
// dynamic shifting); dev's resolution-dependent shift is available for completeness.

export interface FlowMatchOptions {
  /** Static shift s: σ' = s·σ / (1 + (s − 1)·σ). 1 = none (schnell). */
  shift?: number;
  /** Dynamic (resolution-dependent) shift μ, FLUX.1-dev style: σ' = e^μ / (e^μ + (1/σ − 1)). */
  mu?: number;
  /** img2img: run only the last part of the schedule (diffusers FluxImg2Img get_timesteps). */
  strength?: number;
  numTrainTimesteps?: number;
}

export interface FlowMatchSchedule {
  /** σ of each step run, then a final 0: length steps + 1. */
  sigmas: number[];
  /** σ·1000, what diffusers calls timesteps (the ONNX transformer takes σ, i.e. timestep/1000). */
  timesteps: number[];
}

export function flowMatchSchedule(steps: number, opts: FlowMatchOptions = {}): FlowMatchSchedule {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
  const T = opts.numTrainTimesteps ?? 1000;
  const shift = opts.shift ?? 1;
  let sig: number[] = [];
  for (let i = 0; i < steps; i++) sig.push(steps === 1 ? 1 : 1 + (i * (1 / steps - 1)) / (steps - 1));
  if (opts.mu !== undefined) {
    const e = Math.exp(opts.mu);
    sig = sig.map((s) => e / (e + (1 / s - 1)));
  } else if (shift !== 1) {
    sig = sig.map((s) => (shift * s) / (1 + (shift - 1) * s));
  }
  const strength = opts.strength ?? 1;
  if (strength < 1) {
    const init = Math.min(steps * strength, steps);
    const start = Math.min(steps - 1, Math.trunc(Math.max(steps - init, 0)));
    sig = sig.slice(start);
  }
  return { sigmas: [...sig, 0], timesteps: sig.map((s) => s * T) };
}

/** FLUX.1-dev's μ from the packed sequence length (256 → 0.5, 4096 → 1.15, linear between). */
export function fluxDevMu(seqLen: number, base = { seq: 256, shift: 0.5 }, max = { seq: 4096, shift: 1.15 }): number {
  const m = (max.shift - base.shift) / (max.seq - base.seq);
  return seqLen * m + (base.shift - m * base.seq);
}

/** x ← x + (σ_next − σ)·v. */
export function flowMatchStep(x: Float32Array, velocity: Float32Array, sigma: number, sigmaNext: number): Float32Array {
  const dt = sigmaNext - sigma;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + dt * velocity[i];
  return out;
}

/** scale_noise: the point σ of the way from x0 to pure noise, σ·noise + (1 − σ)·x0. */
export function flowMatchNoise(x0: Float32Array, noise: Float32Array, sigma: number): Float32Array {
  const out = new Float32Array(x0.length);
  for (let i = 0; i < x0.length; i++) out[i] = sigma * noise[i] + (1 - sigma) * x0[i];
  return out;
}
