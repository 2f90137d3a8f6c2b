// SD-Turbo (stabilityai/sd-turbo, SD 2.1 distilled): 512², 1–4 Euler-ancestral steps, guidance 0,
// one OpenCLIP-H text encoder (last_hidden_state, D = 1024), pad "!", VAE scale 0.18215.
import type { DiffusionEngine } from '../contracts';
import { VAE_SCALING } from './tensors';
import { createUnetEngine, type DiffusionEngineOptions } from './unet-engine';

export const SD_TURBO_ID = 'sd-turbo';

export function createSdTurboEngine(opts: DiffusionEngineOptions): Promise<DiffusionEngine> {
  return createUnetEngine({ id: SD_TURBO_ID, family: 'sd', nativeSize: 512, vae: VAE_SCALING.sd, pad1: '!' }, opts);
}
