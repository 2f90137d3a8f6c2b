// FLUX.1-schnell: CLIP-L (pooled) + T5-XXL (256 tokens) text encoders, a rectified-flow
// transformer over packed 2×2 latent tokens, 4 flow-matching Euler steps without shift, no guidance
// input and no CFG, and the 16-channel VAE with scale 0.3611 / shift 0.1159. In low-memory mode
// (automatic when the weights exceed the budget) the encoders are run and released before the
// transformer loads; the prompt's embeddings are cached so a repaint with the same prompt skips them.
import type * as ort from 'onnxruntime-node';
import { throwIfAborted } from '../../core/errors';
import type { DiffusionEngine, DiffusionRequest, DiffusionResult } from '../contracts';
import { blendLatents, finishImage, initAtWorkingSize, maskPlanes, maskToGrid, preparePrompt, stepsOf, strengthOf, workingSize } from './engine-common';
import { concreteDims, findInput, floatTypeOf, idTypeOf, requireInput, staticDim, timestepTypeOf, type IoInfo } from './graph-io';
import { ComponentLoader, needsLowMemory } from './load-order';
import { openModelFolder, tokenizerDir } from './model-folder';
import { DiffusionNoise } from './noise';
import { flowMatchNoise, flowMatchSchedule, flowMatchStep } from './schedulers/flow-match-euler';
import type { EncoderOutput } from './sdxl-conditioning';
import {
  fluxImageIds,
  floatTensor,
  fromEncoderOutput,
  idsTensor,
  nchwToRgba,
  packLatents,
  readFloats,
  rgbaToNchw,
  timestepTensor,
  toDecoderInput,
  unpackLatents,
  VAE_SCALING,
} from './tensors';
import { loadClipTokenizer, loadT5Tokenizer } from './tokenizer';
import type { DiffusionEngineOptions } from './unet-engine';

export const FLUX_SCHNELL_ID = 'flux-schnell';
const LATENT_CHANNELS = 16;

export interface FluxEngineOptions extends DiffusionEngineOptions {
  /** T5 window when the graph does not fix it: 256 for schnell. */
  maxSequenceLength?: number;
}

interface FluxText {
  prompt: string;
  pooled: EncoderOutput;
  t5: EncoderOutput;
  used: string;
}

function pick(outputs: ort.InferenceSession.OnnxValueMapType, names: readonly string[], rank: number, what: string): EncoderOutput {
  for (const name of names) {
    const t = outputs[name] as ort.Tensor | undefined;
    if (t && t.dims.length === rank) return { data: readFloats(t), dims: t.dims };
  }
  // Unknown naming: the first output of the right rank.
  for (const t of Object.values(outputs) as ort.Tensor[]) if (t.dims.length === rank) return { data: readFloats(t), dims: t.dims };
  throw new Error(`${what}: no output of rank ${rank} (outputs: ${Object.keys(outputs).join(', ')})`);
}

/** Ids inputs are [seq,3] in current exports, [1,seq,3] in older ones; dtype per the graph. */
function idsFeed(info: IoInfo, data: Float32Array, rows: number): ort.Tensor {
  const dims = info.shape.length === 3 ? [1, rows, 3] : [rows, 3];
  return floatTensor(floatTypeOf(info, 'transformer'), data, dims);
}

export async function createFluxSchnellEngine(opts: FluxEngineOptions): Promise<DiffusionEngine> {
  const required = ['text_encoder', 'text_encoder_2', 'transformer', 'vae_decoder'];
  const folder = await openModelFolder(opts.modelDir, 'flux', required, ['vae_encoder']);
  const lowMemory = opts.lowMemory ?? needsLowMemory(folder, [...required, 'vae_encoder'], opts.memoryBudgetBytes);
  const loader = new ComponentLoader(folder, {
    engine: FLUX_SCHNELL_ID,
    providers: opts.providers,
    log: opts.log,
    lowMemory,
    checkSession: opts.checkSession,
    onLoad: opts.onLoad,
  });
  const clipTok = await loadClipTokenizer(tokenizerDir(folder, 'tokenizer'), { defaultPad: 'eos' });
  const t5Tok = await loadT5Tokenizer(tokenizerDir(folder, 'tokenizer_2'), { maxLength: opts.maxSequenceLength ?? 256 });
  const cfg = folder.vaeConfig;
  const vae = {
    scale: typeof cfg?.scaling_factor === 'number' ? cfg.scaling_factor : VAE_SCALING.flux.scale,
    shift: typeof cfg?.shift_factor === 'number' ? cfg.shift_factor : VAE_SCALING.flux.shift,
  };
  const sched = folder.schedulerConfig;
  const shift = typeof sched?.shift === 'number' && sched.use_dynamic_shifting !== true ? sched.shift : 1;
  const canImg2Img = loader.has('vae_encoder');
  let cachedText: FluxText | null = null;
  if (lowMemory) opts.log?.(`${FLUX_SCHNELL_ID}: low-memory loading (encoders released before the transformer)`);

  async function encode(prompt: string, size: { width: number; height: number }, signal?: AbortSignal): Promise<FluxText> {
    if (cachedText && cachedText.prompt === prompt) return cachedText;
    const clip = await loader.use('text_encoder', size, async ({ session }) => {
      const ids = requireInput(session, ['input_ids'], 'text_encoder');
      const len = staticDim(ids, 1) ?? clipTok.maxLength;
      const enc = clipTok.encode(prompt, len);
      const outputs = await session.run({ [ids.name]: idsTensor(idTypeOf(ids, 'text_encoder'), enc.ids, [1, len]) });
      return { pooled: pick(outputs, ['pooler_output', 'pooled_embeddings', 'text_embeds'], 2, 'text_encoder'), used: enc.text };
    });
    throwIfAborted(signal);
    const t5 = await loader.use('text_encoder_2', size, async ({ session }) => {
      const ids = requireInput(session, ['input_ids'], 'text_encoder_2');
      const len = staticDim(ids, 1) ?? t5Tok.maxLength;
      const enc = t5Tok.encode(prompt, len);
      const outputs = await session.run({ [ids.name]: idsTensor(idTypeOf(ids, 'text_encoder_2'), enc.ids, [1, len]) });
      return pick(outputs, ['last_hidden_state', 'text_embeddings'], 3, 'text_encoder_2');
    });
    cachedText = { prompt, pooled: clip.pooled, t5, used: clip.used };
    return cachedText;
  }

  const engine: DiffusionEngine = {
    id: FLUX_SCHNELL_ID,
    get provider() {
      return loader.lastProvider;
    },
    nativeSize: opts.nativeSize ?? 1024,
    uses: canImg2Img ? (['steps', 'strength', 'mask'] as const) : (['steps'] as const),

    async generate(req: DiffusionRequest, signal?: AbortSignal): Promise<DiffusionResult> {
      throwIfAborted(signal);
      const steps = stepsOf(req);
      const strength = strengthOf(req);
      const size = workingSize(req.width, req.height, 16);
      const h = size.height / 8;
      const w = size.width / 8;
      const seq = (h / 2) * (w / 2);
      const n = LATENT_CHANNELS * h * w;
      if (req.init && !canImg2Img) throw new Error(`${FLUX_SCHNELL_ID}: img2img needs vae_encoder/model.onnx in ${folder.dir}`);
      const init = await initAtWorkingSize(req, size);

      const prompt = preparePrompt(req.prompt);
      const text = await encode(prompt.english, size, signal);
      throwIfAborted(signal);

      const schedule = flowMatchSchedule(steps, { shift, strength });
      const noise = new DiffusionNoise(req.seed);
      // Noise is drawn in [16,h,w] order and packed, as diffusers does, so a seed means the same image at any batch layout.
      const packedNoise = packLatents(noise.gaussian(n), LATENT_CHANNELS, h, w);
      let x0: Float32Array | null = null;
      if (init) {
        x0 = await loader.use('vae_encoder', size, async ({ session }) => {
          const input = requireInput(session, ['sample', 'images', 'image'], 'vae_encoder');
          const outputs = await session.run({
            [input.name]: floatTensor(floatTypeOf(input, 'vae_encoder'), rgbaToNchw(init), [1, 3, size.height, size.width]),
          });
          const z = outputs[session.outputNames[0]] as ort.Tensor;
          const zc = z.dims[1];
          const mean = readFloats(z).subarray(0, (zc === 2 * LATENT_CHANNELS ? LATENT_CHANNELS : zc) * h * w);
          return packLatents(fromEncoderOutput(mean, vae), LATENT_CHANNELS, h, w);
        });
      }
      let x = x0 ? flowMatchNoise(x0, packedNoise, schedule.sigmas[0]) : packedNoise;
      const mask = req.mask ? packLatents(maskPlanes(maskToGrid(req.mask, w, h), LATENT_CHANNELS), LATENT_CHANNELS, h, w) : null;
      throwIfAborted(signal);

      const total = schedule.sigmas.length - 1;
      x = await loader.use('transformer', size, async ({ session }) => {
        const hidden = requireInput(session, ['hidden_states'], 'transformer');
        const context = requireInput(session, ['encoder_hidden_states'], 'transformer');
        const pooled = requireInput(session, ['pooled_projections'], 'transformer');
        const timestep = requireInput(session, ['timestep'], 'transformer');
        const imgIds = requireInput(session, ['img_ids'], 'transformer');
        const txtIds = requireInput(session, ['txt_ids'], 'transformer');
        const guidance = findInput(session, ['guidance']);
        const hType = floatTypeOf(hidden, 'transformer');
        const tType = timestepTypeOf(timestep, 'transformer');
        const tDims = concreteDims(timestep, [1]);
        const seqText = text.t5.dims[1];
        const fixed: Record<string, ort.Tensor> = {
          [context.name]: floatTensor(floatTypeOf(context, 'transformer'), text.t5.data, text.t5.dims),
          [pooled.name]: floatTensor(floatTypeOf(pooled, 'transformer'), text.pooled.data, text.pooled.dims),
          [imgIds.name]: idsFeed(imgIds, fluxImageIds(h, w), seq),
          [txtIds.name]: idsFeed(txtIds, new Float32Array(seqText * 3), seqText),
        };
        // FLUX.1-dev style exports take the distilled guidance; schnell has no such input.
        if (guidance) fixed[guidance.name] = timestepTensor(timestepTypeOf(guidance, 'transformer'), req.guidance, concreteDims(guidance, [1]));
        let cur = x;
        for (let i = 0; i < total; i++) {
          throwIfAborted(signal);
          const sigma = schedule.sigmas[i];
          const next = schedule.sigmas[i + 1];
          const outputs = await session.run({
            ...fixed,
            [hidden.name]: floatTensor(hType, cur, [1, seq, LATENT_CHANNELS * 4]),
            // The transformer takes σ in 0..1 (diffusers passes timestep / 1000).
            [timestep.name]: timestepTensor(tType, sigma, tDims),
          });
          const v = readFloats(outputs[session.outputNames[0]] as ort.Tensor);
          cur = flowMatchStep(cur, v, sigma, next);
          if (mask && x0) cur = blendLatents(cur, flowMatchNoise(x0, packedNoise, next), mask);
          req.onStep?.(i + 1, total);
        }
        return cur;
      });
      throwIfAborted(signal);

      const image = await loader.use('vae_decoder', size, async ({ session }) => {
        const input = requireInput(session, ['latent_sample', 'latent', 'latents', 'z'], 'vae_decoder');
        const latents = unpackLatents(x, LATENT_CHANNELS, h, w);
        const outputs = await session.run({
          [input.name]: floatTensor(floatTypeOf(input, 'vae_decoder'), toDecoderInput(latents, vae), [1, LATENT_CHANNELS, h, w]),
        });
        const out = outputs[session.outputNames[0]] as ort.Tensor;
        const px = readFloats(out);
        if (px.some((v) => !Number.isFinite(v))) throw new Error(`${FLUX_SCHNELL_ID}: the VAE decoder produced NaN/Inf (use an fp32 or bf16-safe VAE export)`);
        return nchwToRgba(px, out.dims[3], out.dims[2]);
      });
      return { image: await finishImage(image, req), promptUsed: text.used };
    },

    async release() {
      cachedText = null;
      await loader.releaseAll();
    },
  };
  return engine;
}
