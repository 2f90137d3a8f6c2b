// Failures a diffusion job can report in words a user can act on.
import { isOutOfMemory } from '../onnx/sessions';

/** The model did not fit: says where, at what size, and what to lower. */
export class DiffusionMemoryError extends Error {
  constructor(
    readonly engine: string,
    readonly component: string,
    readonly provider: string | null,
    readonly width: number,
    readonly height: number,
    override readonly cause: unknown,
  ) {
    const where = provider ? ` on ${provider}` : '';
    const size = width > 0 && height > 0 ? ` at ${width}×${height}` : '';
    const first = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0].slice(0, 200);
    const advice =
      component === 'transformer' || component === 'unet'
        ? `lower the image size (long_edge / width×height${size ? `, now ${width}×${height}` : ''})${component === 'transformer' ? ', turn on low-memory loading so the text encoders are released before the transformer, use the FP8 export with TensorRT,' : ','} or choose a smaller engine (bg_engine=sd-turbo)`
        : component.startsWith('text_encoder')
          ? 'turn on low-memory loading (encoders run and are released one at a time) or choose a smaller engine (bg_engine=sd-turbo)'
          : `lower the image size (long_edge / width×height${size ? `, now ${width}×${height}` : ''}) or turn on low-memory loading`;
    super(`${engine}: out of GPU/CPU memory in ${component}${where}${size}: ${advice}. (${first})`);
    this.name = 'DiffusionMemoryError';
  }
}

/** Rethrows ORT allocation failures as DiffusionMemoryError; other errors unchanged. */
export function asMemoryError(err: unknown, ctx: { engine: string; component: string; provider: string | null; width: number; height: number }): unknown {
  if (err instanceof DiffusionMemoryError) return err;
  if (!isOutOfMemory(err)) return err;
  return new DiffusionMemoryError(ctx.engine, ctx.component, ctx.provider, ctx.width, ctx.height, err);
}
