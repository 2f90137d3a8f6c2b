// SDXL-Turbo (stabilityai/sdxl-turbo): 512², 1–4 Euler-ancestral steps, guidance 0; CLIP-L and
// OpenCLIP-bigG penultimate layers concatenated (2048), bigG's pooled text_embeds (1280) and
// time_ids; VAE scale 0.13025 (use the fp16-fix VAE with fp16 I/O).
import type { DiffusionEngine } from '../contracts';
import { VAE_SCALING } from './tensors';
import { createUnetEngine, type DiffusionEngineOptions } from './unet-engine';

export const SDXL_TURBO_ID = 'sdxl-turbo';

export function createSdxlTurboEngine(opts: DiffusionEngineOptions): Promise<DiffusionEngine> {
  return createUnetEngine({ id: SDXL_TURBO_ID, family: 'sdxl', nativeSize: 512, vae: VAE_SCALING.sdxl, pad1: 'eos' }, opts);
}
