// Scheduler maths against published values: diffusers' EulerAncestralDiscreteScheduler with
// trailing spacing (SD-Turbo/SDXL-Turbo), FLUX-schnell's flow-matching sigmas, SDXL time_ids.
import { describe, expect, it } from 'vitest';
import {
  alphasCumprod,
  ancestralSigmas,
  eulerAddNoise,
  eulerAncestralSchedule,
  eulerAncestralStep,
  eulerConfigFromJson,
  scaleModelInput,
  spacedTimesteps,
  trainSigmas,
  TURBO_EULER_CONFIG,
} from './schedulers/euler-ancestral';
import { flowMatchNoise, flowMatchSchedule, flowMatchStep, fluxDevMu } from './schedulers/flow-match-euler';
import { sdxlTimeIds } from './sdxl-conditioning';

describe('Euler-ancestral (SD-Turbo, SDXL-Turbo)', () => {
  it('σ at t=999 is 14.6146 and at t=0 0.0292 (scaled-linear betas 0.00085..0.012)', () => {
    const s = trainSigmas();
    expect(s[999]).toBeCloseTo(14.6146, 4);
    expect(s[0]).toBeCloseTo(0.0292, 4);
    expect(alphasCumprod()[999]).toBeCloseTo(1 / (1 + 14.6146 ** 2), 6);
  });

  it('trailing timesteps and sigmas for 1, 2 and 4 steps', () => {
    expect(spacedTimesteps(1)).toEqual([999]);
    expect(spacedTimesteps(2)).toEqual([999, 499]);
    expect(spacedTimesteps(4)).toEqual([999, 749, 499, 249]);
    expect(spacedTimesteps(3)).toEqual([999, 666, 332]);
    const four = eulerAncestralSchedule(4);
    const expected = [14.6146, 4.0817, 1.6129, 0.6932, 0];
    four.sigmas.forEach((s, i) => expect(s).toBeCloseTo(expected[i], 3));
    expect(four.initNoiseSigma).toBeCloseTo(14.6146, 4);
    const one = eulerAncestralSchedule(1);
    expect(one.timesteps).toEqual([999]);
    expect(one.sigmas[0]).toBeCloseTo(14.6146, 4);
    expect(one.sigmas[1]).toBe(0);
  });

  it('leading spacing (SD 1.x configs) uses steps_offset and init σ = sqrt(σmax²+1)', () => {
    const cfg = { ...TURBO_EULER_CONFIG, timestepSpacing: 'leading' as const };
    expect(spacedTimesteps(4, cfg)).toEqual([751, 501, 251, 1]);
    const s = eulerAncestralSchedule(4, cfg);
    expect(s.initNoiseSigma).toBeCloseTo(Math.sqrt(s.sigmas[0] ** 2 + 1), 6);
  });

  it('reads scheduler_config.json', () => {
    const cfg = eulerConfigFromJson({ beta_schedule: 'scaled_linear', timestep_spacing: 'leading', prediction_type: 'v_prediction', beta_end: 0.02 });
    expect(cfg.timestepSpacing).toBe('leading');
    expect(cfg.predictionType).toBe('v_prediction');
    expect(cfg.betaEnd).toBe(0.02);
    expect(eulerConfigFromJson(null)).toEqual(TURBO_EULER_CONFIG);
  });

  it('one step from σ=14.6146 to 0 is x0 = x − σ·eps, with the model input x / sqrt(σ²+1)', () => {
    const x = Float32Array.from([10, -5, 0.5]);
    const eps = Float32Array.from([0.5, -0.25, 0.1]);
    const sigma = 14.6146;
    const { sample, denoised } = eulerAncestralStep(x, eps, sigma, 0, null);
    for (let i = 0; i < 3; i++) {
      expect(denoised[i]).toBeCloseTo(x[i] - sigma * eps[i], 4);
      expect(sample[i]).toBeCloseTo(denoised[i], 4);
    }
    expect(scaleModelInput(Float32Array.from([14.6146]), sigma)[0]).toBeCloseTo(14.6146 / Math.sqrt(14.6146 ** 2 + 1), 6);
  });

  it('ancestral split: σ_up² + σ_down² = σ_to², and the step adds σ_up·noise', () => {
    const { up, down } = ancestralSigmas(14.6146, 4.0817);
    expect(up * up + down * down).toBeCloseTo(4.0817 ** 2, 6);
    expect(up).toBeCloseTo(Math.sqrt((4.0817 ** 2 * (14.6146 ** 2 - 4.0817 ** 2)) / 14.6146 ** 2), 6);
    const x = Float32Array.from([3]);
    const eps = Float32Array.from([0.2]);
    const a = eulerAncestralStep(x, eps, 14.6146, 4.0817, Float32Array.from([0])).sample[0];
    const b = eulerAncestralStep(x, eps, 14.6146, 4.0817, Float32Array.from([1])).sample[0];
    expect(b - a).toBeCloseTo(up, 5);
    const x0 = 3 - 14.6146 * 0.2;
    expect(a).toBeCloseTo(x0 + down * ((3 - x0) / 14.6146), 5);
  });

  it('v-prediction x0 = σ-weighted mix (diffusers formula)', () => {
    const s = 2;
    const { denoised } = eulerAncestralStep(Float32Array.from([1]), Float32Array.from([0.5]), s, 0, null, 'v_prediction');
    expect(denoised[0]).toBeCloseTo(0.5 * (-s / Math.sqrt(s * s + 1)) + 1 / (s * s + 1), 6);
  });

  it('img2img strength runs the last ⌊steps·strength⌋ steps (at least one) from x0 + σ·noise', () => {
    expect(eulerAncestralSchedule(4, TURBO_EULER_CONFIG, 0.5).timesteps).toEqual([499, 249]);
    expect(eulerAncestralSchedule(4, TURBO_EULER_CONFIG, 0.6).timesteps).toEqual([499, 249]);
    expect(eulerAncestralSchedule(2, TURBO_EULER_CONFIG, 0.3).timesteps).toEqual([499]);
    expect(eulerAncestralSchedule(4, TURBO_EULER_CONFIG, 1).timesteps).toHaveLength(4);
    expect(eulerAddNoise(Float32Array.from([1]), Float32Array.from([2]), 1.6129)[0]).toBeCloseTo(1 + 2 * 1.6129, 5);
  });
});

describe('flow-matching Euler (FLUX.1-schnell)', () => {
  it('4 steps without shift: σ = [1, 0.75, 0.5, 0.25, 0], timesteps [1000, 750, 500, 250]', () => {
    const s = flowMatchSchedule(4);
    expect(s.sigmas).toEqual([1, 0.75, 0.5, 0.25, 0]);
    expect(s.timesteps).toEqual([1000, 750, 500, 250]);
    expect(flowMatchSchedule(1).sigmas).toEqual([1, 0]);
    expect(flowMatchSchedule(2).sigmas).toEqual([1, 0.5, 0]);
  });

  it('static shift and FLUX-dev μ follow the published formulas', () => {
    const shifted = flowMatchSchedule(4, { shift: 3 }).sigmas;
    expect(shifted[1]).toBeCloseTo((3 * 0.75) / (1 + 2 * 0.75), 10);
    expect(fluxDevMu(256)).toBeCloseTo(0.5, 10);
    expect(fluxDevMu(4096)).toBeCloseTo(1.15, 10);
    const mu = flowMatchSchedule(4, { mu: 1.15 }).sigmas;
    expect(mu[2]).toBeCloseTo(Math.exp(1.15) / (Math.exp(1.15) + (1 / 0.5 - 1)), 10);
  });

  it('an Euler step is x + (σ_next − σ)·v; 4 steps of v = x1 − x0 land exactly on x0', () => {
    const x0 = Float32Array.from([0.3, -0.7]);
    const x1 = Float32Array.from([1.2, 0.4]);
    const s = flowMatchSchedule(4);
    let x = flowMatchNoise(x0, x1, 1);
    expect(Array.from(x)).toEqual(Array.from(x1));
    const v = Float32Array.from([x1[0] - x0[0], x1[1] - x0[1]]);
    for (let i = 0; i < 4; i++) x = flowMatchStep(x, v, s.sigmas[i], s.sigmas[i + 1]);
    expect(x[0]).toBeCloseTo(0.3, 6);
    expect(x[1]).toBeCloseTo(-0.7, 6);
  });

  it('img2img strength trims the schedule like FluxImg2ImgPipeline.get_timesteps', () => {
    expect(flowMatchSchedule(4, { strength: 0.6 }).sigmas).toEqual([0.75, 0.5, 0.25, 0]);
    expect(flowMatchSchedule(4, { strength: 0.5 }).sigmas).toEqual([0.5, 0.25, 0]);
    expect(flowMatchSchedule(4, { strength: 0.05 }).sigmas).toEqual([0.25, 0]);
  });
});

describe('SDXL time_ids', () => {
  it('is [orig_h, orig_w, crop_top, crop_left, target_h, target_w]', () => {
    expect(Array.from(sdxlTimeIds({ height: 512, width: 512 }))).toEqual([512, 512, 0, 0, 512, 512]);
    expect(Array.from(sdxlTimeIds({ height: 768, width: 1344 }))).toEqual([768, 1344, 0, 0, 768, 1344]);
    expect(Array.from(sdxlTimeIds({ height: 1024, width: 1024, cropTop: 8, cropLeft: 16, targetHeight: 512, targetWidth: 512 }))).toEqual([
      1024, 1024, 8, 16, 512, 512,
    ]);
  });
});
