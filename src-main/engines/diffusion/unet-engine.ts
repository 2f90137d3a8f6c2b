// The UNet engines (SD-Turbo, SDXL-Turbo): CLIP text encoding (SDXL: two encoders, pooled
// embeddings and time_ids), Euler-ancestral denoising with optional CFG, masked img2img through the
// VAE encoder, and the VAE decode. Every tensor's name, dtype and shape is read from the graphs.
import type * as ort from 'onnxruntime-node';
import { throwIfAborted } from '../../core/errors';
import type { DiffusionEngine, DiffusionRequest, DiffusionResult } from '../contracts';
import { blendLatents, finishImage, initAtWorkingSize, maskPlanes, maskToGrid, preparePrompt, stepsOf, strengthOf, workingSize } from './engine-common';
import { concreteDims, findInput, floatTypeOf, idTypeOf, requireInput, staticDim, timestepTypeOf } from './graph-io';
import { ComponentLoader, type ComponentLoadHook, type SessionCheck, needsLowMemory } from './load-order';
import { openModelFolder, tokenizerDir, type ModelFolder } from './model-folder';
import { DiffusionNoise } from './noise';
import { eulerAddNoise, eulerAncestralSchedule, eulerAncestralStep, eulerConfigFromJson, scaleModelInput } from './schedulers/euler-ancestral';
import { concatLastAxis, penultimateHidden, pooledEmbeds, sdxlTimeIds, type EncoderOutput } from './sdxl-conditioning';
import { loadClipTokenizer, type PromptTokenizer } from './tokenizer';
import { floatTensor, fromEncoderOutput, idsTensor, nchwToRgba, readFloats, rgbaToNchw, timestepTensor, toDecoderInput, type VaeScaling } from './tensors';

export interface DiffusionEngineOptions {
  /** The model folder (diffusers/optimum ONNX export layout). */
  modelDir: string;
  /** Execution providers to try, in order (default cuda → webgpu → cpu). */
  providers?: readonly string[];
  log?: (message: string) => void;
  /** Load, run and release each component in turn (default: when the weights exceed the memory budget). */
  lowMemory?: boolean;
  /** GPU memory the engine may fill (default ~20 GiB, what a 24 GB card leaves); the VRAM budget setting. */
  memoryBudgetBytes?: number;
  /** Override the trained square size (tests; variants trained at another size). */
  nativeSize?: number;
  /** Called once per component session when it loads: the registry checks the manifest's tensor signature here. */
  checkSession?: SessionCheck;
  /** Told when a component is read from disk and how long it took (the job's ETA shows the load). */
  onLoad?: ComponentLoadHook;
}

export interface UnetFamily {
  id: string;
  family: 'sd' | 'sdxl';
  nativeSize: number;
  vae: VaeScaling;
  /** Pad token of tokenizer/ when its config names none. */
  pad1: 'eos' | '!';
}

interface TextConditioning {
  hidden: EncoderOutput;
  pooled: EncoderOutput | null;
}

const LATENT_CHANNELS = 4;

function firstOutput(outputs: ort.InferenceSession.OnnxValueMapType, session: ort.InferenceSession): ort.Tensor {
  return outputs[session.outputNames[0]] as ort.Tensor;
}

function vaeScaling(folder: ModelFolder, fallback: VaeScaling): VaeScaling {
  const cfg = folder.vaeConfig;
  const scale = typeof cfg?.scaling_factor === 'number' ? cfg.scaling_factor : fallback.scale;
  const shift = typeof cfg?.shift_factor === 'number' ? cfg.shift_factor : fallback.shift;
  return { scale, shift };
}

export async function createUnetEngine(spec: UnetFamily, opts: DiffusionEngineOptions): Promise<DiffusionEngine> {
  const sdxl = spec.family === 'sdxl';
  const required = ['text_encoder', 'unet', 'vae_decoder', ...(sdxl ? ['text_encoder_2'] : [])];
  const folder = await openModelFolder(opts.modelDir, spec.family, required, ['vae_encoder']);
  const all = [...required, 'vae_encoder'];
  const loader = new ComponentLoader(folder, {
    engine: spec.id,
    providers: opts.providers,
    log: opts.log,
    lowMemory: opts.lowMemory ?? needsLowMemory(folder, all, opts.memoryBudgetBytes),
    checkSession: opts.checkSession,
    onLoad: opts.onLoad,
  });
  const tok1 = await loadClipTokenizer(tokenizerDir(folder, 'tokenizer'), { defaultPad: spec.pad1 });
  const tok2: PromptTokenizer | null = sdxl ? await loadClipTokenizer(tokenizerDir(folder, 'tokenizer_2'), { defaultPad: '!' }) : null;
  const euler = eulerConfigFromJson(folder.schedulerConfig);
  const vae = vaeScaling(folder, spec.vae);
  const canImg2Img = loader.has('vae_encoder');

  /** Runs one CLIP encoder over several prompts; returns its outputs per prompt and the encoded text. */
  async function runEncoder(component: string, tok: PromptTokenizer, texts: string[], size: { width: number; height: number }) {
    return loader.use(component, size, async ({ session }) => {
      const idsInfo = requireInput(session, ['input_ids'], component);
      const idType = idTypeOf(idsInfo, component);
      const len = staticDim(idsInfo, 1) ?? tok.maxLength;
      const results: { outputs: ort.InferenceSession.OnnxValueMapType; text: string }[] = [];
      for (const text of texts) {
        const enc = tok.encode(text, len);
        const outputs = await session.run({ [idsInfo.name]: idsTensor(idType, enc.ids, [1, len]) });
        results.push({ outputs, text: enc.text });
      }
      return results;
    });
  }

  async function encodeText(texts: string[], size: { width: number; height: number }): Promise<{ cond: TextConditioning[]; used: string }> {
    const first = await runEncoder('text_encoder', tok1, texts, size);
    if (!sdxl) {
      const cond = first.map(({ outputs }) => {
        for (const name of ['last_hidden_state', 'text_embeddings']) {
          const t = outputs[name] as ort.Tensor | undefined;
          if (t && t.dims.length === 3) return { hidden: { data: readFloats(t), dims: t.dims }, pooled: null };
        }
        throw new Error(`text_encoder gave no last_hidden_state (outputs: ${Object.keys(outputs).join(', ')})`);
      });
      return { cond, used: first[0].text };
    }
    const second = await runEncoder('text_encoder_2', tok2 as PromptTokenizer, texts, size);
    const cond = first.map((a, i) => {
      const b = second[i].outputs;
      return { hidden: concatLastAxis(penultimateHidden(a.outputs).value, penultimateHidden(b).value), pooled: pooledEmbeds(b) };
    });
    return { cond, used: first[0].text };
  }

  function zerosLike(c: TextConditioning): TextConditioning {
    return {
      hidden: { data: new Float32Array(c.hidden.data.length), dims: c.hidden.dims },
      pooled: c.pooled ? { data: new Float32Array(c.pooled.data.length), dims: c.pooled.dims } : null,
    };
  }

  const engine: DiffusionEngine = {
    id: spec.id,
    get provider() {
      return loader.lastProvider;
    },
    nativeSize: opts.nativeSize ?? spec.nativeSize,
    uses: canImg2Img ? (['steps', 'guidance', 'negative', 'strength', 'mask'] as const) : (['steps', 'guidance', 'negative'] as const),

    async generate(req: DiffusionRequest, signal?: AbortSignal): Promise<DiffusionResult> {
      throwIfAborted(signal);
      const steps = stepsOf(req);
      const strength = strengthOf(req);
      const size = workingSize(req.width, req.height, 8);
      const h = size.height / 8;
      const w = size.width / 8;
      const n = LATENT_CHANNELS * h * w;
      if (req.init && !canImg2Img) throw new Error(`${spec.id}: img2img needs vae_encoder/model.onnx in ${folder.dir}`);
      const init = await initAtWorkingSize(req, size);
      const cfg = req.guidance > 1;

      // 1. Text.
      const prompt = preparePrompt(req.prompt);
      const negative = preparePrompt(req.negative ?? '');
      const emptyNegativeZeros = sdxl && negative.english === '';
      const texts = cfg && !emptyNegativeZeros ? [prompt.english, negative.english] : [prompt.english];
      const { cond, used } = await encodeText(texts, size);
      const positive = cond[0];
      const uncond = cfg ? (emptyNegativeZeros ? zerosLike(positive) : cond[1]) : null;
      throwIfAborted(signal);

      // 2. Starting latents: pure noise, or the encoded init noised to the first step's σ.
      const schedule = eulerAncestralSchedule(steps, euler, strength);
      const noise = new DiffusionNoise(req.seed);
      let x0: Float32Array | null = null;
      let initNoise: Float32Array | null = null;
      if (init) {
        x0 = await loader.use('vae_encoder', size, async ({ session }) => {
          const input = requireInput(session, ['sample', 'images', 'image'], 'vae_encoder');
          const outputs = await session.run({
            [input.name]: floatTensor(floatTypeOf(input, 'vae_encoder'), rgbaToNchw(init), [1, 3, size.height, size.width]),
          });
          const z = firstOutput(outputs, session);
          const zc = z.dims[1];
          // latent_parameters = mean ‖ logvar: the mean (the deterministic mode) is the latent.
          const data = readFloats(z).subarray(0, (zc === 2 * LATENT_CHANNELS ? LATENT_CHANNELS : zc) * h * w);
          return fromEncoderOutput(data, vae);
        });
        initNoise = noise.gaussian(n);
      }
      let x = x0 && initNoise ? eulerAddNoise(x0, initNoise, schedule.sigmas[0]) : noise.gaussian(n, schedule.initNoiseSigma);
      const latentMask = req.mask ? maskPlanes(maskToGrid(req.mask, w, h), LATENT_CHANNELS) : null;
      throwIfAborted(signal);

      // 3. Denoise.
      const total = schedule.timesteps.length;
      x = await loader.use('unet', size, async ({ session }) => {
        const sample = requireInput(session, ['sample'], 'unet');
        const timestep = requireInput(session, ['timestep', 't'], 'unet');
        const context = requireInput(session, ['encoder_hidden_states'], 'unet');
        const textEmbeds = sdxl ? requireInput(session, ['text_embeds'], 'unet') : findInput(session, ['text_embeds']);
        const timeIds = sdxl ? requireInput(session, ['time_ids'], 'unet') : findInput(session, ['time_ids']);
        const sampleType = floatTypeOf(sample, 'unet');
        const tType = timestepTypeOf(timestep, 'unet');
        const tDims = concreteDims(timestep, [1]);
        const feedsFor = (c: TextConditioning) => {
          const feeds: Record<string, ort.Tensor> = { [context.name]: floatTensor(floatTypeOf(context, 'unet'), c.hidden.data, c.hidden.dims) };
          if (textEmbeds && c.pooled) feeds[textEmbeds.name] = floatTensor(floatTypeOf(textEmbeds, 'unet'), c.pooled.data, c.pooled.dims);
          if (timeIds) feeds[timeIds.name] = floatTensor(floatTypeOf(timeIds, 'unet'), sdxlTimeIds({ height: size.height, width: size.width }), [1, 6]);
          return feeds;
        };
        const condFeeds = feedsFor(positive);
        const uncondFeeds = uncond ? feedsFor(uncond) : null;
        let cur = x;
        for (let i = 0; i < total; i++) {
          throwIfAborted(signal);
          const sigma = schedule.sigmas[i];
          const next = schedule.sigmas[i + 1];
          const common = {
            [sample.name]: floatTensor(sampleType, scaleModelInput(cur, sigma), [1, LATENT_CHANNELS, h, w]),
            [timestep.name]: timestepTensor(tType, schedule.timesteps[i], tDims),
          };
          let eps = readFloats(firstOutput(await session.run({ ...common, ...condFeeds }), session));
          if (uncondFeeds) {
            const u = readFloats(firstOutput(await session.run({ ...common, ...uncondFeeds }), session));
            const g = req.guidance;
            const mixed = new Float32Array(n);
            for (let k = 0; k < n; k++) mixed[k] = u[k] + g * (eps[k] - u[k]);
            eps = mixed;
          }
          const stepNoise = next > 0 ? noise.gaussian(n) : null;
          cur = eulerAncestralStep(cur, eps, sigma, next, stepNoise, euler.predictionType).sample;
          if (latentMask && x0 && initNoise) cur = blendLatents(cur, eulerAddNoise(x0, initNoise, next), latentMask);
          req.onStep?.(i + 1, total);
        }
        return cur;
      });
      throwIfAborted(signal);

      // 4. Decode.
      const image = await loader.use('vae_decoder', size, async ({ session }) => {
        const input = requireInput(session, ['latent_sample', 'latent', 'latents', 'z'], 'vae_decoder');
        const outputs = await session.run({ [input.name]: floatTensor(floatTypeOf(input, 'vae_decoder'), toDecoderInput(x, vae), [1, LATENT_CHANNELS, h, w]) });
        const out = firstOutput(outputs, session);
        const px = readFloats(out);
        if (px.some((v) => !Number.isFinite(v)))
          throw new Error(
            `${spec.id}: the VAE decoder produced NaN/Inf${sdxl ? ' (the original SDXL VAE overflows in fp16: use the fp16-fix VAE, madebyollin/sdxl-vae-fp16-fix, or an fp32 vae_decoder)' : ''}`,
          );
        return nchwToRgba(px, out.dims[3], out.dims[2]);
      });
      return { image: await finishImage(image, req), promptUsed: used };
    },

    async release() {
      await loader.releaseAll();
    },
  };
  return engine;
}
