// SDXL(-Turbo) with ControlNet over ONNX: the control image steers every denoising step. Two export
// shapes are supported, told apart by the UNet graph's own inputs when it loads:
//
//  fused     (ORT and TensorRT demos, UNet2DConditionXLControlNetModel): one graph takes
//            `controlnet_images` (TRT: `images`) [num_cnets, B, 3, H, W] (or [B, 3, H, W]) at full
//            pixel size in [0, 1], and `controlnet_scales` [num_cnets].
//  separate  (diffusers-style export of the two models): a ControlNet graph takes `sample`,
//            `timestep`, `encoder_hidden_states`, `controlnet_cond` [B, 3, H, W], `conditioning_scale`
//            (scalar or [1]; fp64 in diffusers.js exports), `text_embeds`, `time_ids`, and returns the
//            down-block residuals (9 for SDXL) then the mid-block residual; the UNet takes them as
//            `down_block_additional_residuals.N` / `_N` (diffusers.js: `down_block_N`) and
//            `mid_block_additional_residual`. Residual outputs are matched by name when they carry
//            one, else by order (torch.onnx numbers them '24549', …).
//
// The text encoders, tokenizers, scheduler and VAE are read from the base SDXL(-Turbo) folder and
// the UNet (+ ControlNet) from the ControlNet folder, so the sessions of the shared components are
// the very ones the SDXL-Turbo background engine uses (one session per file, engines/onnx/sessions).
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { throwIfAborted } from '../../core/errors';
import type { RgbaImage } from '../../imaging/types';
import { preparePrompt, stepsOf } from '../diffusion/engine-common';
import { concreteDims, findInput, floatTypeOf, idTypeOf, inputInfos, requireInput, staticDim, timestepTypeOf, type IoInfo } from '../diffusion/graph-io';
import { ComponentLoader, needsLowMemory, type ComponentLoadHook, type SessionCheck } from '../diffusion/load-order';
import { openModelFolder, tokenizerDir, verifyLock, type ComponentFiles, type ModelFolder } from '../diffusion/model-folder';
import { DiffusionNoise } from '../diffusion/noise';
import { eulerAncestralSchedule, eulerAncestralStep, eulerConfigFromJson, scaleModelInput } from '../diffusion/schedulers/euler-ancestral';
import { concatLastAxis, penultimateHidden, pooledEmbeds, sdxlTimeIds, type EncoderOutput } from '../diffusion/sdxl-conditioning';
import { floatTensor, idsTensor, nchwToRgba, readFloats, timestepTensor, toDecoderInput, VAE_SCALING, type VaeScaling } from '../diffusion/tensors';
import { loadClipTokenizer } from '../diffusion/tokenizer';
import { MODEL_LOCK_FILE } from '../models/lock';

export const SDXL_CONTROLNET_ID = 'sdxl-controlnet-canny';

export type ControlNetVariant = 'fused' | 'separate';

/** Where the ControlNet folder's own graphs may live (first match wins). */
export const CONTROLNET_COMPONENT_DIRS: Record<'unet' | 'controlnet', readonly string[]> = {
  unet: ['unet', 'unetxl', 'unet_controlnet'],
  controlnet: ['controlnet', 'controlnet_canny'],
};

/** The components taken from the base SDXL(-Turbo) folder. */
export const SHARED_COMPONENTS = ['text_encoder', 'text_encoder_2', 'vae_decoder'] as const;

/** Input names of the fused graph. */
export const FUSED_IMAGE_INPUTS = ['controlnet_images', 'images'] as const;
export const FUSED_SCALE_INPUTS = ['controlnet_scales'] as const;
/** Down-residual inputs of a UNet for the separate ControlNet: …residuals.N, …residuals_N, down_block_N. */
export const DOWN_RESIDUAL_INPUT = /^down_block(?:_additional_residuals?|_res_samples?)?[._]?(\d+)$/;
export const MID_RESIDUAL_INPUTS = ['mid_block_additional_residual', 'mid_block_res_sample'] as const;

export interface ControlNetModelOptions {
  /** Engine id in logs, errors and the job status (default sdxl-controlnet-canny). */
  id?: string;
  /** The SDXL(-Turbo) folder: text encoders, tokenizers, scheduler, VAE. */
  baseDir: string;
  /** The ControlNet folder: unet/ (fused, or with residual inputs) and, for the separate export, controlnet/. */
  controlDir: string;
  providers?: readonly string[];
  log?: (message: string) => void;
  lowMemory?: boolean;
  memoryBudgetBytes?: number;
  /** Native square size (SDXL-Turbo 512, SDXL 1024); the lettering canvas gets about its area. */
  nativeSize?: number;
  checkSession?: SessionCheck;
  /** Told when a component is read from disk and how long it took (the job's ETA shows the load). */
  onLoad?: ComponentLoadHook;
}

export interface ControlNetRequest {
  prompt: string;
  negative: string;
  seed: number;
  /** Multiples of 8; the control image has this size. */
  width: number;
  height: number;
  steps: number;
  /** ≤ 1: no unconditional pass (SDXL-Turbo). */
  guidance: number;
  /** [3, H, W] in [0, 1]: the canny map or glyph mask stacked to three channels. */
  control: Float32Array;
  /** conditioning_scale / controlnet_scales: how strongly the control steers (0 = not at all). */
  controlScale: number;
  onStep?: (step: number, total: number) => void;
}

export interface ControlNetResult {
  image: RgbaImage;
  promptUsed: string;
  variant: ControlNetVariant;
}

export interface ControlNetModel {
  id: string;
  readonly provider: string | null;
  nativeSize: number;
  /** Component loads and releases, in order (diagnostics and tests). */
  readonly loader: ComponentLoader;
  /** The model files of the components shared with the base engine. */
  readonly sharedFiles: readonly string[];
  /** Which export this is (loads the UNet to find out). */
  variant(): Promise<ControlNetVariant>;
  generate(req: ControlNetRequest, signal?: AbortSignal): Promise<ControlNetResult>;
  /** Releases every session this model used, the shared ones included. */
  release(): Promise<void>;
  /** Releases only the ControlNet folder's graphs (UNet, ControlNet): the shared sessions stay for the background engine. */
  releaseOwn(): Promise<void>;
}

// ------------------------------------------------------------------------------------------------
// The ControlNet folder

function findGraph(dir: string, component: string, subs: readonly string[]): ComponentFiles | null {
  for (const sub of subs) {
    const folder = join(dir, sub);
    const model = join(folder, 'model.onnx');
    if (!existsSync(model)) continue;
    const externalData = ['model.onnx_data', 'model.onnx.data', 'weights.pb'].map((f) => join(folder, f)).filter((f) => existsSync(f));
    return { component, dir: folder, model, externalData, bytes: [model, ...externalData].reduce((s, f) => s + statSync(f).size, 0) };
  }
  return null;
}

/** The ControlNet folder's graphs; its lock file, when present, is verified like a diffusion folder's. */
export async function openControlFolder(dir: string): Promise<{ unet: ComponentFiles; controlnet: ComponentFiles | null; dir: string }> {
  const root = resolve(dir);
  if (!existsSync(root)) throw new Error(`ControlNet model folder ${root} does not exist`);
  const lockPath = join(root, MODEL_LOCK_FILE);
  if (existsSync(lockPath)) verifyLock(root, JSON.parse(await readFile(lockPath, 'utf8')) as { files: { path: string; bytes: number }[] });
  const unet = findGraph(root, 'unet', CONTROLNET_COMPONENT_DIRS.unet);
  if (!unet) throw new Error(`ControlNet model folder ${root} lacks unet/model.onnx (the UNet with ControlNet inputs)`);
  return { unet, controlnet: findGraph(root, 'controlnet', CONTROLNET_COMPONENT_DIRS.controlnet), dir: root };
}

// ------------------------------------------------------------------------------------------------
// Graph shapes

export type UnetControlInputs = { variant: 'fused'; images: IoInfo; scales: IoInfo | null } | { variant: 'separate'; down: IoInfo[]; mid: IoInfo };

/** Which ControlNet inputs the UNet graph has, or null when it has none. */
export function unetControlInputs(session: ort.InferenceSession): UnetControlInputs | null {
  const images = findInput(session, FUSED_IMAGE_INPUTS);
  if (images) return { variant: 'fused', images, scales: findInput(session, FUSED_SCALE_INPUTS) };
  const down = inputInfos(session)
    .map((info) => ({ info, m: DOWN_RESIDUAL_INPUT.exec(info.name) }))
    .filter((d): d is { info: IoInfo; m: RegExpExecArray } => d.m !== null)
    .sort((a, b) => Number(a.m[1]) - Number(b.m[1]))
    .map((d) => d.info);
  const mid = findInput(session, MID_RESIDUAL_INPUTS);
  if (down.length > 0 && mid) return { variant: 'separate', down, mid };
  return null;
}

/** The ControlNet graph's residual outputs: by name where they have names, else downs in order then mid last. */
export function residualOutputs(names: readonly string[]): { down: string[]; mid: string } {
  if (names.length < 2) throw new Error(`the ControlNet graph has ${names.length} output(s); expected the down-block residuals and the mid-block residual`);
  const mid = names.find((n) => /mid/i.test(n)) ?? names[names.length - 1];
  const rest = names.filter((n) => n !== mid);
  const numbered = rest.map((n) => /down.*?(\d+)$/i.exec(n));
  const down = numbered.every((m) => m !== null)
    ? rest
        .map((n, i) => ({ n, k: Number((numbered[i] as RegExpExecArray)[1]) }))
        .sort((a, b) => a.k - b.k)
        .map((d) => d.n)
    : rest;
  return { down, mid };
}

/** A float tensor in the declared dtype, float64 included (conditioning_scale of diffusers.js exports). */
function scaleTensor(info: IoInfo, value: number, component: string): ort.Tensor {
  const dims = concreteDims(info, [1]);
  const n = dims.reduce((a, b) => a * b, 1);
  if (n !== 1) throw new Error(`${component}: input '${info.name}' has ${n} entries [${dims.join(',')}]; only one ControlNet is supported`);
  if (info.type === 'float64') return new ort.Tensor('float64', Float64Array.from([value]), dims);
  return floatTensor(floatTypeOf(info, component), Float32Array.from([value]), dims);
}

/** Row groups per run: all rows at once for a dynamic batch (or one that fits), one by one for a static batch of 1. */
function batchGroups(sample: IoInfo, rows: number): number[][] {
  const all = Array.from({ length: rows }, (_, i) => i);
  const b = sample.shape[0];
  if (typeof b !== 'number' || b <= 0 || b === rows) return [all];
  if (b === 1) return all.map((i) => [i]);
  throw new Error(`unet: the graph has a fixed batch of ${b}, the request needs ${rows} row(s)`);
}

function repeatRows(data: Float32Array, rows: number): Float32Array {
  if (rows === 1) return data;
  const out = new Float32Array(data.length * rows);
  for (let r = 0; r < rows; r++) out.set(data, r * data.length);
  return out;
}

function stackRows(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// The model

interface Conditioning {
  hidden: EncoderOutput;
  pooled: EncoderOutput;
}

const LATENT_CHANNELS = 4;

function vaeScaling(folder: ModelFolder, fallback: VaeScaling): VaeScaling {
  const cfg = folder.vaeConfig;
  return {
    scale: typeof cfg?.scaling_factor === 'number' ? cfg.scaling_factor : fallback.scale,
    shift: typeof cfg?.shift_factor === 'number' ? cfg.shift_factor : fallback.shift,
  };
}

export async function createControlNetModel(opts: ControlNetModelOptions): Promise<ControlNetModel> {
  const id = opts.id ?? SDXL_CONTROLNET_ID;
  const base = await openModelFolder(opts.baseDir, 'sdxl', SHARED_COMPONENTS, []);
  const control = await openControlFolder(opts.controlDir);
  // One folder view: the shared components at the base folder's paths (same files → same sessions).
  const folder: ModelFolder = {
    ...base,
    components: { ...base.components, unet: control.unet, ...(control.controlnet ? { controlnet: control.controlnet } : {}) },
  };
  const all = [...SHARED_COMPONENTS, 'unet', ...(control.controlnet ? ['controlnet'] : [])];
  const loader = new ComponentLoader(folder, {
    engine: id,
    providers: opts.providers,
    log: opts.log,
    lowMemory: opts.lowMemory ?? needsLowMemory(folder, all, opts.memoryBudgetBytes),
    checkSession: opts.checkSession,
    onLoad: opts.onLoad,
  });
  const tok1 = await loadClipTokenizer(tokenizerDir(base, 'tokenizer'), { defaultPad: 'eos' });
  const tok2 = await loadClipTokenizer(tokenizerDir(base, 'tokenizer_2'), { defaultPad: '!' });
  const euler = eulerConfigFromJson(base.schedulerConfig);
  const vae = vaeScaling(base, VAE_SCALING.sdxl);
  const forceZeros = base.manifest?.force_zeros_for_empty_prompt !== false;
  let detected: UnetControlInputs | null = null;

  async function runEncoder(component: 'text_encoder' | 'text_encoder_2', texts: string[], size: { width: number; height: number }) {
    const tok = component === 'text_encoder' ? tok1 : tok2;
    return loader.use(component, size, async ({ session }) => {
      const idsInfo = requireInput(session, ['input_ids'], component);
      const idType = idTypeOf(idsInfo, component);
      const len = staticDim(idsInfo, 1) ?? tok.maxLength;
      const out: { outputs: ort.InferenceSession.OnnxValueMapType; text: string }[] = [];
      for (const text of texts) {
        const enc = tok.encode(text, len);
        out.push({ outputs: await session.run({ [idsInfo.name]: idsTensor(idType, enc.ids, [1, len]) }), text: enc.text });
      }
      return out;
    });
  }

  async function encode(texts: string[], size: { width: number; height: number }): Promise<{ cond: Conditioning[]; used: string }> {
    const a = await runEncoder('text_encoder', texts, size);
    const b = await runEncoder('text_encoder_2', texts, size);
    const cond = a.map((r, i) => ({
      hidden: concatLastAxis(penultimateHidden(r.outputs).value, penultimateHidden(b[i].outputs).value),
      pooled: pooledEmbeds(b[i].outputs),
    }));
    return { cond, used: a[0].text };
  }

  async function detect(): Promise<UnetControlInputs> {
    if (detected) return detected;
    const { session } = await loader.session('unet');
    const found = unetControlInputs(session);
    if (!found)
      throw new Error(
        `${id}: ${control.unet.model} takes no ControlNet inputs (expected ${FUSED_IMAGE_INPUTS.join(' / ')} + controlnet_scales for the fused export, or down_block_additional_residuals.N + mid_block_additional_residual with controlnet/model.onnx); it has ${session.inputNames.join(', ')}`,
      );
    if (found.variant === 'separate' && !loader.has('controlnet'))
      throw new Error(`${id}: the UNet takes ControlNet residuals but ${control.dir} has no controlnet/model.onnx to compute them`);
    detected = found;
    return found;
  }

  const model: ControlNetModel = {
    id,
    get provider() {
      return loader.lastProvider;
    },
    nativeSize: opts.nativeSize ?? 512,
    loader,
    sharedFiles: SHARED_COMPONENTS.map((c) => (base.components[c] as ComponentFiles).model),

    async variant() {
      return (await detect()).variant;
    },

    async generate(req: ControlNetRequest, signal?: AbortSignal): Promise<ControlNetResult> {
      throwIfAborted(signal);
      const steps = stepsOf(req);
      const { width, height } = req;
      if (width % 8 || height % 8 || width < 32 || height < 32)
        throw new Error(`${id}: the size must be multiples of 8 of at least 32, got ${width}×${height}`);
      if (req.control.length !== 3 * width * height)
        throw new Error(`${id}: the control image has ${req.control.length} values, expected 3×${height}×${width}`);
      const size = { width, height };
      const h = height / 8;
      const w = width / 8;
      const n = LATENT_CHANNELS * h * w;
      const cfg = req.guidance > 1;

      // 1. Text (SDXL: zero embeddings for an empty negative prompt, force_zeros_for_empty_prompt).
      const prompt = preparePrompt(req.prompt);
      const negative = preparePrompt(req.negative ?? '');
      const zerosNegative = forceZeros && negative.english === '';
      const { cond, used } = await encode(cfg && !zerosNegative ? [prompt.english, negative.english] : [prompt.english], size);
      const rows: Conditioning[] = [cond[0]];
      if (cfg)
        rows.push(
          zerosNegative
            ? {
                hidden: { data: new Float32Array(cond[0].hidden.data.length), dims: cond[0].hidden.dims },
                pooled: { data: new Float32Array(cond[0].pooled.data.length), dims: cond[0].pooled.dims },
              }
            : cond[1],
        );
      throwIfAborted(signal);

      // 2. Noise.
      const schedule = eulerAncestralSchedule(steps, euler);
      const noise = new DiffusionNoise(req.seed);
      let x = noise.gaussian(n, schedule.initNoiseSigma);
      const timeIds = sdxlTimeIds(size);

      // 3. Denoise, with the ControlNet residuals (separate) or the control image (fused) every step.
      const found = await detect();
      const total = schedule.timesteps.length;
      /** The ControlNet graph's inputs and its fixed feeds per row group (separate export). */
      const residualFeeds = (s: ort.InferenceSession, sep: Extract<UnetControlInputs, { variant: 'separate' }>, groups: number[][]) => {
        const cSample = requireInput(s, ['sample'], 'controlnet');
        const cTimestep = requireInput(s, ['timestep', 't'], 'controlnet');
        const cContext = requireInput(s, ['encoder_hidden_states'], 'controlnet');
        const cCond = requireInput(s, ['controlnet_cond', 'cond', 'controlnet_image'], 'controlnet');
        const cScale = requireInput(s, ['conditioning_scale', 'controlnet_conditioning_scale', 'scale'], 'controlnet');
        const cText = findInput(s, ['text_embeds']);
        const cIds = findInput(s, ['time_ids']);
        const outs = residualOutputs(s.outputNames);
        if (outs.down.length !== sep.down.length)
          throw new Error(`${id}: the ControlNet gives ${outs.down.length} down-block residuals, the UNet takes ${sep.down.length}`);
        const fixedCn = groups.map((g) => {
          const b = g.length;
          const feeds: Record<string, ort.Tensor> = {
            [cContext.name]: floatTensor(floatTypeOf(cContext, 'controlnet'), stackRows(g.map((r) => rows[r].hidden.data)), [
              b,
              ...rows[0].hidden.dims.slice(1),
            ]),
            [cCond.name]: floatTensor(floatTypeOf(cCond, 'controlnet'), repeatRows(req.control, b), [b, 3, height, width]),
            [cScale.name]: scaleTensor(cScale, req.controlScale, 'controlnet'),
          };
          if (cText)
            feeds[cText.name] = floatTensor(floatTypeOf(cText, 'controlnet'), stackRows(g.map((r) => rows[r].pooled.data)), [
              b,
              ...rows[0].pooled.dims.slice(1),
            ]);
          if (cIds) feeds[cIds.name] = floatTensor(floatTypeOf(cIds, 'controlnet'), repeatRows(timeIds, b), [b, 6]);
          return feeds;
        });
        return { s, cSample, cTimestep, outs, fixedCn };
      };
      const denoise = async (unet: ort.InferenceSession, controlnet: ort.InferenceSession | null) => {
        const sample = requireInput(unet, ['sample'], 'unet');
        const timestep = requireInput(unet, ['timestep', 't'], 'unet');
        const context = requireInput(unet, ['encoder_hidden_states'], 'unet');
        const textEmbeds = requireInput(unet, ['text_embeds'], 'unet');
        const timeIdsIn = requireInput(unet, ['time_ids'], 'unet');
        const groups = batchGroups(sample, rows.length);
        // The fixed feeds per row group (text, time ids, control image), built once.
        const fixed = groups.map((g) => {
          const b = g.length;
          const feeds: Record<string, ort.Tensor> = {
            [context.name]: floatTensor(floatTypeOf(context, 'unet'), stackRows(g.map((r) => rows[r].hidden.data)), [b, ...rows[0].hidden.dims.slice(1)]),
            [textEmbeds.name]: floatTensor(floatTypeOf(textEmbeds, 'unet'), stackRows(g.map((r) => rows[r].pooled.data)), [b, ...rows[0].pooled.dims.slice(1)]),
            [timeIdsIn.name]: floatTensor(floatTypeOf(timeIdsIn, 'unet'), repeatRows(timeIds, b), [b, 6]),
          };
          if (found.variant === 'fused') {
            const rank5 = found.images.shape.length !== 4;
            feeds[found.images.name] = floatTensor(
              floatTypeOf(found.images, 'unet'),
              repeatRows(req.control, b),
              rank5 ? [1, b, 3, height, width] : [b, 3, height, width],
            );
            if (found.scales) feeds[found.scales.name] = scaleTensor(found.scales, req.controlScale, 'unet');
          }
          return { rows: g, feeds };
        });
        const sep = found.variant === 'separate' ? found : null;
        const cn = controlnet && sep ? residualFeeds(controlnet, sep, groups) : null;

        let cur = x;
        for (let i = 0; i < total; i++) {
          throwIfAborted(signal);
          const sigma = schedule.sigmas[i];
          const next = schedule.sigmas[i + 1];
          const scaled = scaleModelInput(cur, sigma);
          const eps: Float32Array[] = new Array<Float32Array>(rows.length);
          for (let gi = 0; gi < groups.length; gi++) {
            const { rows: g, feeds } = fixed[gi];
            const b = g.length;
            const xs = repeatRows(scaled, b);
            const step: Record<string, ort.Tensor> = {
              ...feeds,
              [sample.name]: floatTensor(floatTypeOf(sample, 'unet'), xs, [b, LATENT_CHANNELS, h, w]),
              [timestep.name]: timestepTensor(timestepTypeOf(timestep, 'unet'), schedule.timesteps[i], concreteDims(timestep, [b])),
            };
            if (cn && sep) {
              const res = await cn.s.run(
                {
                  ...cn.fixedCn[gi],
                  [cn.cSample.name]: floatTensor(floatTypeOf(cn.cSample, 'controlnet'), xs, [b, LATENT_CHANNELS, h, w]),
                  [cn.cTimestep.name]: timestepTensor(timestepTypeOf(cn.cTimestep, 'controlnet'), schedule.timesteps[i], concreteDims(cn.cTimestep, [b])),
                },
                [...cn.outs.down, cn.outs.mid],
              );
              sep.down.forEach((info, k) => {
                const t = res[cn.outs.down[k]] as ort.Tensor;
                step[info.name] = floatTensor(floatTypeOf(info, 'unet'), readFloats(t), t.dims);
              });
              const mid = res[cn.outs.mid] as ort.Tensor;
              step[sep.mid.name] = floatTensor(floatTypeOf(sep.mid, 'unet'), readFloats(mid), mid.dims);
            }
            const out = await unet.run(step);
            const all = readFloats(out[unet.outputNames[0]] as ort.Tensor);
            g.forEach((r, k) => (eps[r] = all.subarray(k * n, (k + 1) * n)));
          }
          let e = eps[0];
          if (cfg) {
            const u = eps[1];
            const mixed = new Float32Array(n);
            for (let k = 0; k < n; k++) mixed[k] = u[k] + req.guidance * (e[k] - u[k]);
            e = mixed;
          }
          cur = eulerAncestralStep(cur, e, sigma, next, next > 0 ? noise.gaussian(n) : null, euler.predictionType).sample;
          req.onStep?.(i + 1, total);
        }
        return cur;
      };
      x =
        found.variant === 'separate'
          ? await loader.use('controlnet', size, ({ session: c }) => loader.use('unet', size, ({ session: u }) => denoise(u, c)))
          : await loader.use('unet', size, ({ session: u }) => denoise(u, null));
      throwIfAborted(signal);

      // 4. Decode.
      const image = await loader.use('vae_decoder', size, async ({ session }) => {
        const input = requireInput(session, ['latent_sample', 'latent', 'latents', 'z'], 'vae_decoder');
        const outputs = await session.run({ [input.name]: floatTensor(floatTypeOf(input, 'vae_decoder'), toDecoderInput(x, vae), [1, LATENT_CHANNELS, h, w]) });
        const out = outputs[session.outputNames[0]] as ort.Tensor;
        const px = readFloats(out);
        if (px.some((v) => !Number.isFinite(v)))
          throw new Error(`${id}: the VAE decoder produced NaN/Inf (the original SDXL VAE overflows in fp16: use the fp16-fix VAE)`);
        return nchwToRgba(px, out.dims[3], out.dims[2]);
      });
      return { image, promptUsed: used, variant: found.variant };
    },

    async release() {
      await loader.releaseAll();
    },

    async releaseOwn() {
      await loader.release('unet');
      await loader.release('controlnet');
    },
  };
  return model;
}
