// Small stand-ins for the SDXL ControlNet exports, for tests that run the ControlNet lettering end to
// end on the CPU through the real loading code. The graphs have the input/output names, dtypes and
// ranks of the real exports:
//
//  fused     (ORT / TensorRT demo UNet2DConditionXLControlNetModel): sample, timestep,
//            encoder_hidden_states [B,77,2048], text_embeds [B,1280], time_ids [B,6],
//            controlnet_images (TRT: images) [num_cnets,B,3,H,W], controlnet_scales [num_cnets] → latent
//  separate  ControlNet: sample, timestep, encoder_hidden_states, controlnet_cond [B,3,H,W],
//            conditioning_scale (fp64 scalar as diffusers.js exports it, or fp32 [1]), text_embeds,
//            time_ids → 9 down-block residuals (SDXL: 320,320,320,320,640,640,640,1280,1280 channels
//            at h,h,h,h/2,h/2,h/2,h/4,h/4,h/4) + the mid-block residual (1280 at h/4), named or
//            numbered like torch.onnx's ('24549', …); UNet with those as
//            down_block_additional_residuals.N (or _N, or diffusers.js down_block_N) and
//            mid_block_additional_residual.
//
// What they compute is checkable: the UNet's noise prediction is ≈ its input plus κ·scale·(the
// control image averaged over each 8×8 latent cell, mixed into the 4 latent channels), so the
// denoised latents — and the stand-in VAE's picture — carry the control image's shape, and a zero
// scale leaves none of it. The big weights live in model.onnx.data as the real exports keep them.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import onnxProto from 'onnx-proto';
import { buildTypedModel, clipVocab, GraphWriter, clipVocabSize, writeSdxlTurboFolder, type DType, type TypedTensorSpec } from './diffusion-graphs';
import type { Dim } from './onnx-graph';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

function mix4(): number[] {
  const m: number[] = [];
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) m.push(r === c ? 0.97 : 0.01 * Math.sin(r * 3 + c));
  return m;
}

/** How the control signal enters the latent channels (a fixed colour direction for the stand-in VAE). */
export const CONTROL_LATENT_DIRECTION = [1.0, -0.8, 0.6, -0.4];

export interface UnetBaseOptions {
  ioType: 'float32' | 'float16';
  timestep: { type: DType; shape: Dim[] };
  /** Strength κ of the control term. */
  kappa?: number;
  /** Allocate 2^42 floats per batch row at run time: a real ORT allocation failure. */
  oom?: boolean;
  /** How the control image becomes latent cells (default touch). */
  fill?: ControlFill;
}

/** The SDXL UNet's common part: W·sample + t + words + pooled + time ids (as the diffusion-graphs stand-in). */
function unetBase(g: GraphWriter, o: UnetBaseOptions): { out: string; inputs: TypedTensorSpec[] } {
  const s = g.toFloat('sample', o.ioType);
  const w = g.weight(mix4(), [4, 4, 1, 1], 'float16', true);
  let out = g.op('Conv', [s, w], { kernel_shape: [1, 1] });
  out = g.add(out, g.scale(g.toFloat('timestep', o.timestep.type), 0.00001));
  const words = g.op('Slice', [
    g.toFloat('encoder_hidden_states', o.ioType),
    g.const([1], [1], 'int64'),
    g.const([6], [1], 'int64'),
    g.const([1], [1], 'int64'),
  ]);
  out = g.add(out, g.reshape(g.scale(g.reduceMean(words, [1, 2], 1), 0.3), [-1, 1, 1, 1]));
  out = g.add(out, g.reshape(g.scale(g.reduceMean(g.toFloat('text_embeds', o.ioType), [1], 1), 0.1), [-1, 1, 1, 1]));
  out = g.add(out, g.reshape(g.scale(g.reduceMean(g.toFloat('time_ids', o.ioType), [1], 1), 0.0001), [-1, 1, 1, 1]));
  if (o.oom) {
    const rows = g.op('Slice', [g.op('Shape', ['sample']), g.const([0], [1], 'int64'), g.const([1], [1], 'int64')]);
    const big = g.op('ConstantOfShape', [g.op('Mul', [rows, g.const([2 ** 42], [1], 'int64')])]);
    out = g.add(out, g.reduceMean(big, [0], 0));
  }
  return {
    out,
    inputs: [
      { name: 'sample', type: o.ioType, shape: ['2B', 4, 'H/8', 'W/8'] },
      { name: 'timestep', type: o.timestep.type, shape: o.timestep.shape },
      { name: 'encoder_hidden_states', type: o.ioType, shape: ['2B', 77, 2048] },
      { name: 'text_embeds', type: o.ioType, shape: ['2B', 1280] },
      { name: 'time_ids', type: o.ioType, shape: ['2B', 6] },
    ],
  };
}

/** [B,1,h,w] control map → κ·direction over the 4 latent channels, [B,4,h,w]. */
function toLatentChannels(g: GraphWriter, c1: string, kappa: number): string {
  return g.op('Mul', [
    c1,
    g.const(
      CONTROL_LATENT_DIRECTION.map((v) => v * kappa),
      [1, 4, 1, 1],
    ),
  ]);
}

/**
 * How the stand-in turns the control image into latent cells [B,1,H/8,W/8]:
 *  mean   the 8×8 cell mean (a glyph mask comes out as its coverage per cell);
 *  touch  1 in every cell an edge or glyph pixel touches (a canny outline comes out as a filled
 *         letter a few px bolder than the glyph, as a real ControlNet fills letters from edges);
 *  melt   touch, then grown by one cell: counters and gaps fill up, the letters melt together.
 */
export type ControlFill = 'mean' | 'touch' | 'melt';

function controlCells(g: GraphWriter, img: string, fill: ControlFill): string {
  const gray = g.reduceMean(img, [1], 1);
  if (fill === 'mean') return g.op('AveragePool', [gray], { kernel_shape: [8, 8], strides: [8, 8] });
  const touched = g.op('MaxPool', [gray], { kernel_shape: [8, 8], strides: [8, 8] });
  if (fill === 'touch') return touched;
  return g.op('MaxPool', [touched], { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] });
}

export interface FusedUnetOptions extends UnetBaseOptions {
  /** ORT demo `controlnet_images` or TRT `images`. */
  imagesName?: 'controlnet_images' | 'images';
  /** [num_cnets,B,3,H,W] (the demos) or [B,3,H,W]. */
  imagesRank?: 4 | 5;
  scalesType?: 'float32' | 'float16';
  /** ORT names the output `latent`, optimum `out_sample`. */
  outputName?: 'latent' | 'out_sample';
}

/** The fused UNet + ControlNet graph of the ORT/TensorRT demos. */
export function fusedControlNetUnet(o: FusedUnetOptions) {
  const g = new GraphWriter();
  const base = unetBase(g, o);
  const imagesName = o.imagesName ?? 'controlnet_images';
  const rank = o.imagesRank ?? 5;
  const scalesType = o.scalesType ?? o.ioType;
  let img = g.toFloat(imagesName, o.ioType);
  if (rank === 5) img = g.op('Gather', [img, g.const([0], [], 'int64')], { axis: 0 });
  const scale = g.op('Gather', [g.toFloat('controlnet_scales', scalesType), g.const([0], [], 'int64')], { axis: 0 });
  const ctrl = g.op('Mul', [toLatentChannels(g, controlCells(g, img, o.fill ?? 'touch'), o.kappa ?? 6), scale]);
  const out = g.add(base.out, ctrl);
  const outputName = o.outputName ?? 'latent';
  g.emit(out, o.ioType, outputName);
  return buildTypedModel(
    {
      inputs: [
        ...base.inputs,
        { name: imagesName, type: o.ioType, shape: rank === 5 ? [1, '2B', 3, 'H', 'W'] : ['2B', 3, 'H', 'W'] },
        { name: 'controlnet_scales', type: scalesType, shape: [1] },
      ],
      outputs: [{ name: outputName, type: o.ioType, shape: ['2B', 4, 'H/8', 'W/8'] }],
      nodes: g.nodes,
      initializers: g.inits,
    },
    'model.onnx.data',
  );
}

/** SDXL ControlNet residuals: channels and latent downsampling of the 9 down blocks, then mid. */
export const SDXL_DOWN_RESIDUALS: readonly { channels: number; factor: number }[] = [
  { channels: 320, factor: 1 },
  { channels: 320, factor: 1 },
  { channels: 320, factor: 1 },
  { channels: 320, factor: 2 },
  { channels: 640, factor: 2 },
  { channels: 640, factor: 2 },
  { channels: 640, factor: 4 },
  { channels: 1280, factor: 4 },
  { channels: 1280, factor: 4 },
];
export const SDXL_MID_RESIDUAL = { channels: 1280, factor: 4 };

export interface ControlNetGraphOptions {
  ioType: 'float32' | 'float16';
  timestep: { type: DType; shape: Dim[] };
  /** diffusers.js exports conditioning_scale as a float64 scalar; others as fp32 [1]. */
  scale: { type: 'float64' | 'float32'; shape: Dim[] };
  /** torch.onnx's numbered outputs, or named ones. */
  outputs: 'numbered' | 'named';
  fill?: ControlFill;
}

/** The residual outputs' names in order (9 down, then mid). */
export function controlNetOutputNames(kind: 'numbered' | 'named'): string[] {
  if (kind === 'numbered') return [...SDXL_DOWN_RESIDUALS.map((_, k) => String(24549 + 3 * k)), '24580'];
  return [...SDXL_DOWN_RESIDUALS.map((_, k) => `down_block_res_samples.${k}`), 'mid_block_res_sample'];
}

/** Re-types one graph input (buildTypedModel knows fp16/fp32/int32/int64 only; diffusers.js feeds conditioning_scale as fp64). */
function retypeInput(built: { model: Uint8Array; data: Uint8Array | null }, name: string, elemType: number) {
  const m = onnx.ModelProto.decode(built.model);
  const input = m.graph?.input?.find((i) => i.name === name);
  if (!input?.type?.tensorType) throw new Error(`no input ${name}`);
  input.type.tensorType.elemType = elemType;
  return { model: onnx.ModelProto.encode(m).finish(), data: built.data };
}

/** The separate SDXL ControlNet graph. */
export function controlNetGraph(o: ControlNetGraphOptions) {
  const g = new GraphWriter();
  const cond = g.toFloat('controlnet_cond', o.ioType);
  const scaleIn = o.scale.type === 'float64' ? g.op('Cast', ['conditioning_scale'], { to: DT.FLOAT }) : 'conditioning_scale';
  // Every other input leaves a small, checkable trace.
  let trace = g.scale(g.reduceMean(g.toFloat('sample', o.ioType), [1, 2, 3], 1), 0.001);
  trace = g.add(trace, g.reshape(g.scale(g.reduceMean(g.toFloat('encoder_hidden_states', o.ioType), [1, 2], 1), 0.001), [-1, 1, 1, 1]));
  trace = g.add(trace, g.reshape(g.scale(g.reduceMean(g.toFloat('text_embeds', o.ioType), [1], 1), 0.001), [-1, 1, 1, 1]));
  trace = g.add(trace, g.reshape(g.scale(g.reduceMean(g.toFloat('time_ids', o.ioType), [1], 1), 0.00001), [-1, 1, 1, 1]));
  trace = g.add(trace, g.scale(g.toFloat('timestep', o.timestep.type), 0.000001));
  const c1 = g.add(g.op('Mul', [controlCells(g, cond, o.fill ?? 'touch'), scaleIn]), trace);
  const names = controlNetOutputNames(o.outputs);
  const outputs: TypedTensorSpec[] = [];
  [...SDXL_DOWN_RESIDUALS, SDXL_MID_RESIDUAL].forEach((r, k) => {
    const pooled = r.factor === 1 ? c1 : g.op('AveragePool', [c1], { kernel_shape: [r.factor, r.factor], strides: [r.factor, r.factor] });
    const w: number[] = [];
    for (let ch = 0; ch < r.channels; ch++) w.push(1 + 0.5 * Math.sin(ch * 0.37 + k));
    const res = g.op('Conv', [pooled, g.weight(w, [r.channels, 1, 1, 1], 'float16', true)], { kernel_shape: [1, 1] });
    g.emit(res, o.ioType, names[k]);
    outputs.push({ name: names[k], type: o.ioType, shape: ['2B', r.channels, `H/${8 * r.factor}`, `W/${8 * r.factor}`] });
  });
  const built = buildTypedModel(
    {
      inputs: [
        { name: 'sample', type: o.ioType, shape: ['2B', 4, 'H/8', 'W/8'] },
        { name: 'timestep', type: o.timestep.type, shape: o.timestep.shape },
        { name: 'encoder_hidden_states', type: o.ioType, shape: ['2B', 77, 2048] },
        { name: 'controlnet_cond', type: o.ioType, shape: ['2B', 3, 'H', 'W'] },
        { name: 'conditioning_scale', type: 'float32', shape: o.scale.shape },
        { name: 'text_embeds', type: o.ioType, shape: ['2B', 1280] },
        { name: 'time_ids', type: o.ioType, shape: ['2B', 6] },
      ],
      outputs,
      nodes: g.nodes,
      initializers: g.inits,
    },
    'model.onnx.data',
  );
  return o.scale.type === 'float64' ? retypeInput(built, 'conditioning_scale', DT.DOUBLE) : built;
}

export type ResidualNaming = 'dotted' | 'underscore' | 'diffusersjs';

export function residualInputName(naming: ResidualNaming, k: number): string {
  return naming === 'dotted' ? `down_block_additional_residuals.${k}` : naming === 'underscore' ? `down_block_additional_residuals_${k}` : `down_block_${k}`;
}

/** The SDXL UNet with ControlNet residual inputs (residual 0, channel-averaged, carries the control). */
export function residualUnet(o: UnetBaseOptions & { naming: ResidualNaming }) {
  const g = new GraphWriter();
  const base = unetBase(g, o);
  const inputs = [...base.inputs];
  // Residual 0 is at latent size: its channel mean is (mean of its conv weights)·c1.
  const r0 = g.reduceMean(g.toFloat(residualInputName(o.naming, 0), o.ioType), [1], 1);
  let out = g.add(base.out, toLatentChannels(g, r0, o.kappa ?? 6));
  SDXL_DOWN_RESIDUALS.forEach((r, k) => {
    const name = residualInputName(o.naming, k);
    inputs.push({ name, type: o.ioType, shape: ['2B', r.channels, `H/${8 * r.factor}`, `W/${8 * r.factor}`] });
    if (k > 0) out = g.add(out, g.scale(g.reduceMean(g.toFloat(name, o.ioType), [1, 2, 3], 1), 0.0001));
  });
  inputs.push({ name: 'mid_block_additional_residual', type: o.ioType, shape: ['2B', 1280, 'H/32', 'W/32'] });
  out = g.add(out, g.scale(g.reduceMean(g.toFloat('mid_block_additional_residual', o.ioType), [1, 2, 3], 1), 0.0001));
  g.emit(out, o.ioType, 'out_sample');
  return buildTypedModel(
    { inputs, outputs: [{ name: 'out_sample', type: o.ioType, shape: ['2B', 4, 'H/8', 'W/8'] }], nodes: g.nodes, initializers: g.inits },
    'model.onnx.data',
  );
}

/** OpenCLIP-bigG stand-in with projection (SDXL text_encoder_2), weights in model.onnx.data as the sdxl-turbo manifest lists. */
export function clipWithProjection(o: { idType: 'int32' | 'int64'; outType: 'float32' | 'float16'; layers: number; seed: number }) {
  const g = new GraphWriter();
  const vocab = clipVocabSize();
  const values = new Float32Array(vocab * 1280);
  for (let i = 0; i < values.length; i++)
    values[i] = 0.5 * Math.sin(i * 12.9898 + o.seed * 78.233) * Math.cos(i * 0.61 + o.seed) + 0.4 * Math.sin(Math.floor(i / 1280) * 1.7 + o.seed);
  const h0 = g.op('Gather', [g.weight(values, [vocab, 1280], o.outType, true), 'input_ids'], { axis: 0 });
  const outputs: TypedTensorSpec[] = [];
  let last = h0;
  for (let k = 0; k <= o.layers; k++) {
    const hk = k === 0 ? h0 : g.scale(h0, 1 + k / 10);
    g.emit(hk, o.outType, `hidden_states.${k}`);
    outputs.push({ name: `hidden_states.${k}`, type: o.outType, shape: ['B', 77, 1280] });
    last = hk;
  }
  const lastHidden = g.scale(last, 0.9);
  g.emit(lastHidden, o.outType, 'last_hidden_state');
  g.emit(g.reduceMean(lastHidden, [1], 0), o.outType, 'text_embeds');
  return buildTypedModel(
    {
      inputs: [{ name: 'input_ids', type: o.idType, shape: ['B', 77] }],
      outputs: [
        { name: 'text_embeds', type: o.outType, shape: ['B', 1280] },
        { name: 'last_hidden_state', type: o.outType, shape: ['B', 77, 1280] },
        ...outputs,
      ],
      nodes: g.nodes,
      initializers: g.inits,
    },
    'model.onnx.data',
  );
}

/**
 * A smoother VAE decoder stand-in than diffusion-graphs' (whose nearest ×8 upsampling turns letter
 * edges and latent noise into 8-px blocks): latents mixed to RGB, upsampled linearly, tanh. The
 * control direction of the latents maps to a saturated colour, the rest to a greyish backdrop.
 */
export function smoothVaeDecoder(o: { ioType: 'float32' | 'float16' }) {
  const g = new GraphWriter();
  const x = g.toFloat('latent_sample', o.ioType);
  // RGB = W·latent + b: yellow along CONTROL_LATENT_DIRECTION, little else.
  const d = CONTROL_LATENT_DIRECTION;
  const norm = d.reduce((s, v) => s + v * v, 0);
  const w = [...d.map((v) => (0.09 * v) / norm), ...d.map((v) => (0.08 * v) / norm), ...d.map((v) => (-0.06 * v) / norm)];
  const conv = g.op('Conv', [x, g.const(w, [3, 4, 1, 1]), g.const([0.02, -0.01, 0.05], [3])], { kernel_shape: [1, 1] });
  const up = g.op('Resize', [conv, '', g.const([1, 1, 8, 8], [4])], { mode: 'linear' });
  g.emit(g.op('Tanh', [up]), o.ioType, 'sample');
  return buildTypedModel({
    inputs: [{ name: 'latent_sample', type: o.ioType, shape: ['batch_size', 4, 'latent_height', 'latent_width'] }],
    outputs: [{ name: 'sample', type: o.ioType, shape: ['batch_size', 3, 'height', 'width'] }],
    nodes: g.nodes,
    initializers: g.inits,
  });
}

// ------------------------------------------------------------------------------------------------
// Folders

function put(path: string, content: Uint8Array | string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

function putModel(dir: string, built: { model: Uint8Array; data: Uint8Array | null }, dataName = 'model.onnx.data'): void {
  put(join(dir, 'model.onnx'), built.model);
  if (built.data) put(join(dir, dataName), built.data);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== 'adforge-lock.json') out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The installer's lock file (schema version 1), so the catalog sees the folder as installed at `revision`. */
export function writeInstallLock(dir: string, id: string, revision: string | null, repo: string | null = null): void {
  const files = listFiles(dir).map((path) => {
    const bytes = readFileSync(join(dir, path));
    return { path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), checkedAgainst: 'none' as const };
  });
  put(
    join(dir, 'adforge-lock.json'),
    JSON.stringify({ version: 1, id, repo, revision, source: 'import', installedAt: new Date(0).toISOString(), files }, null, 1),
  );
}

export type ControlNetFolderOptions =
  | ({ variant: 'fused' } & FusedUnetOptions)
  | ({ variant: 'separate'; naming: ResidualNaming; scale: ControlNetGraphOptions['scale']; outputs: ControlNetGraphOptions['outputs'] } & UnetBaseOptions);

/** A ControlNet model folder: unet/ (fused or with residual inputs) and, for the separate export, controlnet/; lock written. */
export function writeControlNetFolder(
  dir: string,
  o: ControlNetFolderOptions,
  lock: { id: string; revision: string | null } = { id: 'sdxl-controlnet-canny', revision: null },
): void {
  rmSync(dir, { recursive: true, force: true });
  if (o.variant === 'fused') putModel(join(dir, 'unet'), fusedControlNetUnet(o));
  else {
    putModel(join(dir, 'unet'), residualUnet(o));
    putModel(join(dir, 'controlnet'), controlNetGraph({ ioType: o.ioType, timestep: o.timestep, scale: o.scale, outputs: o.outputs, fill: o.fill }));
  }
  writeInstallLock(dir, lock.id, lock.revision);
}

/** SDXL-Turbo revision the shipped manifest pins (a lock at it makes the catalog report 'installed'). */
export const SDXL_TURBO_REVISION = 'ae6d79df2868cc8aee3e2c0bcfc8654e36d340b7';

/**
 * An SDXL-Turbo folder with every file models/sdxl-turbo.json lists (slow tokenizer files with
 * special_tokens_map.json, text_encoder_2 weights in model.onnx.data), fp16 I/O, int32 + int64 ids,
 * fp16 timestep, and the installer's lock: the catalog finds it installed, the registry loads it
 * with the manifest's signature checks.
 */
export function writeSdxlTurboInstall(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  writeSdxlTurboFolder(dir, {
    ioType: 'float16',
    idType: 'int32',
    idType2: 'int64',
    timestep: { type: 'float16', shape: [1] },
    tokenizer: { format: 'vocab+merges', pad: '<|endoftext|>' },
    seq: 77,
  });
  // text_encoder_2 with its weights in model.onnx.data (the manifest's file name).
  rmSync(join(dir, 'text_encoder_2'), { recursive: true, force: true });
  putModel(join(dir, 'text_encoder_2'), clipWithProjection({ idType: 'int64', outType: 'float16', layers: 32, seed: 6 }));
  putModel(join(dir, 'vae_decoder'), smoothVaeDecoder({ ioType: 'float16' }));
  const { vocab, merges } = clipVocab();
  for (const t of ['tokenizer', 'tokenizer_2']) {
    put(join(dir, t, 'vocab.json'), JSON.stringify(vocab));
    put(join(dir, t, 'merges.txt'), `#version: 0.2\n${merges.join('\n')}\n`);
    put(
      join(dir, t, 'special_tokens_map.json'),
      JSON.stringify({
        bos_token: '<|startoftext|>',
        eos_token: '<|endoftext|>',
        unk_token: '<|endoftext|>',
        pad_token: t === 'tokenizer' ? '<|endoftext|>' : '!',
      }),
    );
  }
  put(
    join(dir, 'tokenizer_2', 'tokenizer_config.json'),
    JSON.stringify({ model_max_length: 77, bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>', pad_token: '!' }),
  );
  rmSync(join(dir, 'tokenizer_2', 'tokenizer.json'), { force: true });
  writeInstallLock(dir, 'sdxl-turbo', SDXL_TURBO_REVISION, 'tlwu/sdxl-turbo-onnxruntime');
}
