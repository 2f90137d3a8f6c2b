// Small stand-ins for the real diffusion exports, for tests that run every engine end to end on the
// CPU through the real loading code. Each graph has exactly the input and output names, dtypes and
// ranks of a real export family (optimum/diffusers names; int32/int64 ids; fp16 or fp32 I/O; int64,
// fp16 or fp32 timesteps; FLUX's packed tokens and [seq,3] ids), computes something checkable from
// every input, and the big weights live as external data in model.onnx_data like the real UNet and
// transformer. Tokenizers are real tokenizer.json files (a CLIP byte-level BPE with a tiny vocab
// and merges, a T5-style Unigram) that @huggingface/tokenizers loads like the real ones.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import onnxProto from 'onnx-proto';
import type { GrayImage, RgbaImage } from '../../src-main/imaging/types';
import type { Dim, NodeSpec } from './onnx-graph';
import { clipTokenizerJsonFromVocab } from '../../src-main/engines/diffusion/tokenizer';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

export type DType = 'float32' | 'float16' | 'int32' | 'int64';

const ELEM: Record<DType, number> = { float32: DT.FLOAT, float16: DT.FLOAT16, int32: DT.INT32, int64: DT.INT64 };

export interface TypedTensorSpec {
  name: string;
  type: DType;
  shape: Dim[];
}

export interface TypedInit {
  name: string;
  type: 'float32' | 'float16' | 'int64';
  dims: number[];
  values: ArrayLike<number>;
  /** Store in the external data file instead of inside model.onnx. */
  external?: boolean;
}

// ------------------------------------------------------------------------------------------------
// fp16 bits for initializers (independent of the code under test: via DataView-free rounding)

function halfBits(v: number): number {
  // Round-to-nearest-even through float32, then to half, written out independently of tensors.ts.
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 112;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign; // tiny values become ±0 in these fixtures
  if (exp >= 31) return sign | 0x7c00;
  let h = (exp << 10) | (mant >> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
  return sign | h;
}

function rawBytes(t: TypedInit): Uint8Array {
  if (t.type === 'float16') return new Uint8Array(Uint16Array.from(Array.from(t.values, halfBits)).buffer);
  if (t.type === 'int64') return new Uint8Array(BigInt64Array.from(Array.from(t.values, (v) => BigInt(v))).buffer);
  return new Uint8Array(Float32Array.from(t.values).buffer);
}

function attribute(name: string, v: number | number[] | string) {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: A.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: A.INTS, ints: v });
  if (Number.isInteger(v)) return onnx.AttributeProto.create({ name, type: A.INT, i: v });
  return onnx.AttributeProto.create({ name, type: A.FLOAT, f: v });
}

function valueInfo(t: TypedTensorSpec) {
  return onnx.ValueInfoProto.create({
    name: t.name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: ELEM[t.type],
        shape: onnx.TensorShapeProto.create({ dim: t.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }),
      }),
    }),
  });
}

/**
 * Serialises a graph with typed I/O (opset 17, IR 8). Initializers marked `external` go into one
 * data file (TensorProto data_location EXTERNAL with location/offset/length entries), as
 * torch.onnx.export writes models over 2 GB.
 */
export function buildTypedModel(
  spec: { inputs: TypedTensorSpec[]; outputs: TypedTensorSpec[]; nodes: NodeSpec[]; initializers: TypedInit[] },
  externalFile = 'model.onnx_data',
): { model: Uint8Array; data: Uint8Array | null } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const initializer = spec.initializers.map((t) => {
    const bytes = rawBytes(t);
    const base = { name: t.name, dims: t.dims, dataType: ELEM[t.type] };
    if (!t.external) return onnx.TensorProto.create({ ...base, rawData: bytes });
    // Keep each tensor 64-byte aligned, as onnx's external-data writer may.
    const pad = (64 - (offset % 64)) % 64;
    if (pad) chunks.push(new Uint8Array(pad));
    offset += pad;
    chunks.push(bytes);
    const entry = onnx.TensorProto.create({
      ...base,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        onnx.StringStringEntryProto.create({ key: 'location', value: externalFile }),
        onnx.StringStringEntryProto.create({ key: 'offset', value: String(offset) }),
        onnx.StringStringEntryProto.create({ key: 'length', value: String(bytes.length) }),
      ],
    });
    offset += bytes.length;
    return entry;
  });
  const graph = onnx.GraphProto.create({
    name: 'diffusion-stand-in',
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    node: spec.nodes.map((n, i) =>
      onnx.NodeProto.create({
        name: `n${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      }),
    ),
    initializer,
  });
  const model = onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, producerName: 'adforge-test', opsetImport: [{ domain: '', version: 17 }], graph }),
  ).finish();
  if (chunks.length === 0) return { model, data: null };
  const data = new Uint8Array(offset);
  let o = 0;
  for (const c of chunks) {
    data.set(c, o);
    o += c.length;
  }
  return { model, data };
}

/** A tiny graph-writing helper: nodes, constants and casts with generated names (also the ControlNet stand-ins'). */
export class GraphWriter {
  nodes: NodeSpec[] = [];
  inits: TypedInit[] = [];
  private n = 0;

  id(prefix: string): string {
    return `${prefix}_${this.n++}`;
  }

  op(op: string, inputs: string[], attrs?: NodeSpec['attrs'], out?: string): string {
    const o = out ?? this.id(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [o], attrs });
    return o;
  }

  const(values: ArrayLike<number>, dims: number[], type: TypedInit['type'] = 'float32', external = false): string {
    const name = this.id('c');
    this.inits.push({ name, type, dims, values, external });
    return name;
  }

  /** A weight stored as `type`, used as float32. */
  weight(values: ArrayLike<number>, dims: number[], type: 'float32' | 'float16', external: boolean): string {
    const w = this.const(values, dims, type, external);
    return type === 'float16' ? this.op('Cast', [w], { to: DT.FLOAT }) : w;
  }

  toFloat(x: string, type: DType | 'float64'): string {
    return type === 'float32' ? x : this.op('Cast', [x], { to: DT.FLOAT });
  }

  emit(x: string, type: DType, name: string): void {
    if (type === 'float32') this.nodes.push({ op: 'Identity', inputs: [x], outputs: [name] });
    else this.nodes.push({ op: 'Cast', inputs: [x], outputs: [name], attrs: { to: ELEM[type] } });
  }

  reduceMean(x: string, axes: number[], keepdims: 0 | 1): string {
    return this.op('ReduceMean', [x], { axes, keepdims });
  }

  reshape(x: string, shape: number[]): string {
    return this.op('Reshape', [x, this.const(shape, [shape.length], 'int64')]);
  }

  scale(x: string, k: number): string {
    return this.op('Mul', [x, this.const([k], [])]);
  }
  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
}

function pseudo(n: number, seed: number, amp: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amp * Math.sin(i * 12.9898 + seed * 78.233) * Math.cos(i * 0.61 + seed);
  return out;
}

function mixMatrix(rows: number, cols: number, diag: number, off: number): number[] {
  const m: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m.push(r === c ? diag : off * Math.sin(r * 3 + c));
  return m;
}

// ------------------------------------------------------------------------------------------------
// Components

export interface ClipGraphOptions {
  vocabSize: number;
  hidden: number;
  idType: 'int32' | 'int64';
  outType: 'float32' | 'float16';
  /** Static 77 (as TRT engines) or the symbolic sequence_length of optimum exports. */
  seq: Dim;
  /** Number of layers: outputs hidden_states.0 … hidden_states.N (SDXL exports); 0 = none. */
  hiddenLayers: number;
  /** CLIPTextModelWithProjection (SDXL text_encoder_2): text_embeds [B,D] instead of pooler_output. */
  withProjection: boolean;
  external?: boolean;
  seed: number;
}

/** CLIP text encoder: embedding lookup; layer k = embedding·(1 + k/10); pooled = mean over tokens. */
export function clipTextEncoder(o: ClipGraphOptions): { model: Uint8Array; data: Uint8Array | null } {
  const g = new GraphWriter();
  // Each token's row has its own offset, so the mean over the sequence (what the stand-in UNet
  // sees) moves visibly with the prompt.
  const values = pseudo(o.vocabSize * o.hidden, o.seed, 0.5);
  for (let r = 0; r < o.vocabSize; r++) for (let c = 0; c < o.hidden; c++) values[r * o.hidden + c] += 0.4 * Math.sin(r * 1.7 + o.seed);
  const table = g.weight(values, [o.vocabSize, o.hidden], o.outType, o.external ?? false);
  const h0 = g.op('Gather', [table, 'input_ids'], { axis: 0 });
  const outputs: TypedTensorSpec[] = [];
  const layers = Math.max(o.hiddenLayers, 1);
  let last = h0;
  if (o.hiddenLayers > 0) {
    for (let k = 0; k <= o.hiddenLayers; k++) {
      const hk = k === 0 ? h0 : g.scale(h0, 1 + k / 10);
      g.emit(hk, o.outType, `hidden_states.${k}`);
      outputs.push({ name: `hidden_states.${k}`, type: o.outType, shape: ['batch_size', o.seq, o.hidden] });
      last = hk;
    }
  } else last = g.scale(h0, 1 + layers / 10);
  const lastHidden = g.scale(last, 0.9); // "final layer norm"
  g.emit(lastHidden, o.outType, 'last_hidden_state');
  const pooled = g.reduceMean(lastHidden, [1], 0);
  const pooledName = o.withProjection ? 'text_embeds' : 'pooler_output';
  g.emit(pooled, o.outType, pooledName);
  return buildTypedModel({
    inputs: [{ name: 'input_ids', type: o.idType, shape: ['batch_size', o.seq] }],
    outputs: [
      ...(o.withProjection ? [{ name: pooledName, type: o.outType, shape: ['batch_size', o.hidden] }] : []),
      { name: 'last_hidden_state', type: o.outType, shape: ['batch_size', o.seq, o.hidden] },
      ...(o.withProjection ? [] : [{ name: pooledName, type: o.outType, shape: ['batch_size', o.hidden] }]),
      ...outputs,
    ],
    nodes: g.nodes,
    initializers: g.inits,
  });
}

/** T5 encoder: embedding lookup → last_hidden_state [B,seq,4096]. */
export function t5Encoder(o: { vocabSize: number; hidden: number; idType: 'int32' | 'int64'; outType: 'float32' | 'float16'; seq: Dim; seed: number }) {
  const g = new GraphWriter();
  const values = pseudo(o.vocabSize * o.hidden, o.seed, 0.3);
  for (let r = 0; r < o.vocabSize; r++) for (let c = 0; c < o.hidden; c++) values[r * o.hidden + c] += 0.4 * Math.sin(r * 1.3 + o.seed);
  const table = g.weight(values, [o.vocabSize, o.hidden], o.outType, true);
  g.emit(g.op('Gather', [table, 'input_ids'], { axis: 0 }), o.outType, 'last_hidden_state');
  return buildTypedModel({
    inputs: [{ name: 'input_ids', type: o.idType, shape: ['batch_size', o.seq] }],
    outputs: [{ name: 'last_hidden_state', type: o.outType, shape: ['batch_size', o.seq, o.hidden] }],
    nodes: g.nodes,
    initializers: g.inits,
  });
}

export interface UnetGraphOptions {
  ioType: 'float32' | 'float16';
  timestep: { type: DType; shape: Dim[] };
  context: number;
  /** SDXL: text_embeds [B,1280] and time_ids [B,6]. */
  sdxl: boolean;
  weightType: 'float32' | 'float16';
  /** Allocate 2^42 floats per batch row at run time: a real ORT allocation failure. */
  oom?: boolean;
}

/**
 * UNet: out_sample = W·sample (1×1 conv, W ≈ 0.97·I, stored as external data) + 0.00001·t
 * + 0.3·mean(encoder_hidden_states[:, 1:6]) [+ 0.1·mean(text_embeds) + 0.0001·mean(time_ids)].
 */
export function unet(o: UnetGraphOptions) {
  const g = new GraphWriter();
  const s = g.toFloat('sample', o.ioType);
  const w = g.weight(mixMatrix(4, 4, 0.97, 0.01), [4, 4, 1, 1], o.weightType, true);
  let out = g.op('Conv', [s, w], { kernel_shape: [1, 1] });
  const t = g.toFloat('timestep', o.timestep.type);
  out = g.op('Add', [out, g.scale(t, 0.00001)]);
  // The first tokens (the prompt's words, not the padding) steer the output.
  const words = g.op('Slice', [
    g.toFloat('encoder_hidden_states', o.ioType),
    g.const([1], [1], 'int64'),
    g.const([6], [1], 'int64'),
    g.const([1], [1], 'int64'),
  ]);
  const ctx = g.reshape(g.scale(g.reduceMean(words, [1, 2], 1), 0.3), [-1, 1, 1, 1]);
  out = g.op('Add', [out, ctx]);
  const inputs: TypedTensorSpec[] = [
    { name: 'sample', type: o.ioType, shape: ['batch_size', 4, 'height', 'width'] },
    { name: 'timestep', type: o.timestep.type, shape: o.timestep.shape },
    { name: 'encoder_hidden_states', type: o.ioType, shape: ['batch_size', 'sequence_length', o.context] },
  ];
  if (o.sdxl) {
    inputs.push({ name: 'text_embeds', type: o.ioType, shape: ['batch_size', 1280] }, { name: 'time_ids', type: o.ioType, shape: ['batch_size', 6] });
    const pooled = g.reshape(g.scale(g.reduceMean(g.toFloat('text_embeds', o.ioType), [1], 1), 0.1), [-1, 1, 1, 1]);
    const ids = g.reshape(g.scale(g.reduceMean(g.toFloat('time_ids', o.ioType), [1], 1), 0.0001), [-1, 1, 1, 1]);
    out = g.op('Add', [g.op('Add', [out, pooled]), ids]);
  }
  if (o.oom) {
    // Size taken from the input so it cannot be constant-folded: fails in run(), like a real OOM.
    const rows = g.op('Slice', [g.op('Shape', ['sample']), g.const([0], [1], 'int64'), g.const([1], [1], 'int64')]);
    const big = g.op('ConstantOfShape', [g.op('Mul', [rows, g.const([2 ** 42], [1], 'int64')])]);
    out = g.op('Add', [out, g.reduceMean(big, [0], 0)]);
  }
  g.emit(out, o.ioType, 'out_sample');
  return buildTypedModel({
    inputs,
    outputs: [{ name: 'out_sample', type: o.ioType, shape: ['batch_size', 4, 'height', 'width'] }],
    nodes: g.nodes,
    initializers: g.inits,
  });
}

/** VAE decoder: tanh(upsample×8(W·latent + b)), W small and channel-mixing. */
export function vaeDecoder(o: { ioType: 'float32' | 'float16'; channels: number; seed: number }) {
  const g = new GraphWriter();
  const x = g.toFloat('latent_sample', o.ioType);
  const w = g.const(pseudo(3 * o.channels, o.seed, 0.25 / Math.sqrt(o.channels)), [3, o.channels, 1, 1]);
  const b = g.const([0.05, -0.02, 0.01], [3]);
  const conv = g.op('Conv', [x, w, b], { kernel_shape: [1, 1] });
  const up = g.op('Resize', [conv, '', g.const([1, 1, 8, 8], [4])], { mode: 'nearest' });
  g.emit(g.op('Tanh', [up]), o.ioType, 'sample');
  return buildTypedModel({
    inputs: [{ name: 'latent_sample', type: o.ioType, shape: ['batch_size', o.channels, 'latent_height', 'latent_width'] }],
    outputs: [{ name: 'sample', type: o.ioType, shape: ['batch_size', 3, 'height', 'width'] }],
    nodes: g.nodes,
    initializers: g.inits,
  });
}

/** VAE encoder: 8×8 average pool then a 1×1 conv to mean ‖ logvar ([B,2C,h,w] latent_parameters). */
export function vaeEncoder(o: { ioType: 'float32' | 'float16'; channels: number; seed: number; output?: 'latent_parameters' | 'latent_sample' }) {
  const g = new GraphWriter();
  const name = o.output ?? 'latent_parameters';
  const outC = name === 'latent_parameters' ? 2 * o.channels : o.channels;
  const pooled = g.op('AveragePool', [g.toFloat('sample', o.ioType)], { kernel_shape: [8, 8], strides: [8, 8] });
  const w = g.const(pseudo(outC * 3, o.seed, 1.5), [outC, 3, 1, 1]);
  g.emit(g.op('Conv', [pooled, w], { kernel_shape: [1, 1] }), o.ioType, name);
  return buildTypedModel({
    inputs: [{ name: 'sample', type: o.ioType, shape: ['batch_size', 3, 'height', 'width'] }],
    outputs: [{ name, type: o.ioType, shape: ['batch_size', outC, 'latent_height', 'latent_width'] }],
    nodes: g.nodes,
    initializers: g.inits,
  });
}

/**
 * FLUX transformer: out = hidden_states·W (W ≈ 0.9·I over 64 features, external data) + 0.1·t
 * + mean(encoder_hidden_states) + mean(pooled_projections) + 0.001·mean(img_ids) + mean(txt_ids).
 */
export function fluxTransformer(o: { ioType: 'float32' | 'float16'; timestepType: 'float32' | 'float16'; idsRank: 2 | 3; weightType: 'float32' | 'float16' }) {
  const g = new GraphWriter();
  const hs = g.toFloat('hidden_states', o.ioType);
  const w = g.weight(mixMatrix(64, 64, 0.9, 0.005), [64, 64], o.weightType, true);
  let out = g.op('MatMul', [hs, w]);
  out = g.op('Add', [out, g.reshape(g.scale(g.toFloat('timestep', o.timestepType), 0.1), [-1, 1, 1])]);
  out = g.op('Add', [out, g.reduceMean(g.toFloat('encoder_hidden_states', o.ioType), [1, 2], 1)]);
  out = g.op('Add', [out, g.reshape(g.reduceMean(g.toFloat('pooled_projections', o.ioType), [1], 1), [-1, 1, 1])]);
  const idAxes = o.idsRank === 3 ? [0, 1, 2] : [0, 1];
  out = g.op('Add', [out, g.scale(g.reduceMean(g.toFloat('img_ids', o.ioType), idAxes, 0), 0.001)]);
  out = g.op('Add', [out, g.reduceMean(g.toFloat('txt_ids', o.ioType), idAxes, 0)]);
  g.emit(out, o.ioType, 'out_hidden_states');
  const ids = (n: Dim): Dim[] => (o.idsRank === 3 ? ['batch_size', n, 3] : [n, 3]);
  return buildTypedModel({
    inputs: [
      { name: 'hidden_states', type: o.ioType, shape: ['batch_size', 'packed_height_width', 64] },
      { name: 'encoder_hidden_states', type: o.ioType, shape: ['batch_size', 'sequence_length', 4096] },
      { name: 'pooled_projections', type: o.ioType, shape: ['batch_size', 768] },
      { name: 'timestep', type: o.timestepType, shape: ['batch_size'] },
      { name: 'img_ids', type: o.ioType, shape: ids('packed_height_width') },
      { name: 'txt_ids', type: o.ioType, shape: ids('sequence_length') },
    ],
    outputs: [{ name: 'out_hidden_states', type: o.ioType, shape: ['batch_size', 'packed_height_width', 64] }],
    nodes: g.nodes,
    initializers: g.inits,
  });
}

// ------------------------------------------------------------------------------------------------
// Tokenizers

/** GPT-2/CLIP bytes_to_unicode: the 256 byte symbols in CLIP's vocab order ("!" is id 0). */
function byteSymbols(): string[] {
  const bs: number[] = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++)
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  return cs.map((c) => String.fromCodePoint(c));
}

export const TEST_WORDS = [
  'a',
  'photo',
  'of',
  'on',
  'white',
  'marble',
  'soft',
  'window',
  'light',
  'wood',
  'red',
  'sunset',
  'beach',
  'warm',
  'glass',
  'table',
  'product',
  'studio',
  'gold',
  'natural',
  'shadows',
  'background',
];

/** A CLIP-style byte-level BPE vocab + merges covering TEST_WORDS whole, everything else by bytes. */
export function clipVocab(words: readonly string[] = TEST_WORDS): { vocab: Record<string, number>; merges: string[] } {
  const vocab: Record<string, number> = {};
  let id = 0;
  const symbols = byteSymbols();
  for (const c of symbols) vocab[c] = id++;
  for (const c of symbols) vocab[`${c}</w>`] = id++;
  const merges: string[] = [];
  for (const word of words) {
    let parts = [...word].map((c, i, a) => (i === a.length - 1 ? `${c}</w>` : c));
    while (parts.length > 1) {
      const merge = `${parts[0]} ${parts[1]}`;
      const tok = parts[0] + parts[1];
      if (!merges.includes(merge)) merges.push(merge);
      if (!(tok in vocab)) vocab[tok] = id++;
      parts = [tok, ...parts.slice(2)];
    }
  }
  vocab['<|startoftext|>'] = id;
  vocab['<|endoftext|>'] = id + 1;
  return { vocab, merges };
}

/** tokenizer.json as CLIPTokenizerFast saves it (normaliser, split regex, byte-level BPE with </w>, Roberta post-processor). */
export function clipTokenizerJson(words?: readonly string[]): Record<string, unknown> {
  const { vocab, merges } = clipVocab(words);
  // The same assembly the loader uses for vocab.json + merges.txt folders.
  return clipTokenizerJsonFromVocab(vocab, `#version: 0.2\n${merges.join('\n')}\n`);
}

export function clipVocabSize(words?: readonly string[]): number {
  return Object.keys(clipVocab(words).vocab).length;
}

/** tokenizer.json as T5TokenizerFast saves it: Unigram over ▁-prefixed pieces, </s> appended, <pad> = 0. */
export function t5TokenizerJson(words: readonly string[] = TEST_WORDS): Record<string, unknown> {
  const pieces: [string, number][] = [
    ['<pad>', 0],
    ['</s>', 0],
    ['<unk>', 0],
    ['▁', -2],
  ];
  for (const w of words) pieces.push([`▁${w}`, -3]);
  for (const c of 'abcdefghijklmnopqrstuvwxyz,.') pieces.push([c, -5]);
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '<pad>'), special(1, '</s>'), special(2, '<unk>')],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always' }],
    },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
      ],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always' },
    model: { type: 'Unigram', unk_id: 2, vocab: pieces, byte_fallback: false },
  };
}

export function t5VocabSize(words: readonly string[] = TEST_WORDS): number {
  return 4 + words.length + 28;
}

// ------------------------------------------------------------------------------------------------
// Model folders

function put(path: string, content: Uint8Array | string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

function putModel(dir: string, built: { model: Uint8Array; data: Uint8Array | null }): void {
  put(join(dir, 'model.onnx'), built.model);
  if (built.data) put(join(dir, 'model.onnx_data'), built.data);
}

function putJson(path: string, v: unknown): void {
  put(path, JSON.stringify(v, null, 1));
}

export interface ClipTokenizerFiles {
  /** tokenizer.json (fast) or vocab.json + merges.txt (slow tokenizer files only). */
  format: 'tokenizer.json' | 'vocab+merges';
  /** tokenizer_config.json pad_token, or none. */
  pad?: string;
}

function putClipTokenizer(dir: string, files: ClipTokenizerFiles): void {
  if (files.format === 'tokenizer.json') putJson(join(dir, 'tokenizer.json'), clipTokenizerJson());
  else {
    const { vocab, merges } = clipVocab();
    putJson(join(dir, 'vocab.json'), vocab);
    put(join(dir, 'merges.txt'), `#version: 0.2\n${merges.join('\n')}\n`);
  }
  putJson(join(dir, 'tokenizer_config.json'), {
    model_max_length: 77,
    do_lower_case: true,
    bos_token: '<|startoftext|>',
    eos_token: '<|endoftext|>',
    unk_token: '<|endoftext|>',
    ...(files.pad ? { pad_token: files.pad } : {}),
  });
}

/** Writes adforge-lock.json listing every file with its size and sha256. */
export function writeLock(dir: string): void {
  const files: { path: string; bytes: number; sha256: string }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== 'adforge-lock.json')
        files.push({ path: relative(dir, p), bytes: statSync(p).size, sha256: createHash('sha256').update(readFileSync(p)).digest('hex') });
    }
  };
  walk(dir);
  putJson(join(dir, 'adforge-lock.json'), { id: 'test', revision: 'test', files });
}

export interface SdFolderOptions {
  ioType: 'float32' | 'float16';
  idType: 'int32' | 'int64';
  timestep: { type: DType; shape: Dim[] };
  tokenizer?: ClipTokenizerFiles;
  vaeEncoder?: boolean;
  seq?: Dim;
  oomUnet?: boolean;
}

/** SD-Turbo layout: text_encoder (OpenCLIP-H, D = 1024), unet (+ model.onnx_data), vae_decoder/encoder, tokenizer, scheduler, model_index.json, lock. */
export function writeSdTurboFolder(dir: string, o: SdFolderOptions): void {
  const vocab = clipVocabSize();
  putJson(join(dir, 'model_index.json'), { _class_name: 'ORTStableDiffusionPipeline', _diffusers_version: '0.24.0' });
  putJson(join(dir, 'scheduler', 'scheduler_config.json'), {
    _class_name: 'EulerDiscreteScheduler',
    beta_start: 0.00085,
    beta_end: 0.012,
    beta_schedule: 'scaled_linear',
    num_train_timesteps: 1000,
    prediction_type: 'epsilon',
    timestep_spacing: 'trailing',
    steps_offset: 1,
  });
  putClipTokenizer(join(dir, 'tokenizer'), o.tokenizer ?? { format: 'tokenizer.json', pad: '!' });
  putModel(
    join(dir, 'text_encoder'),
    clipTextEncoder({
      vocabSize: vocab,
      hidden: 1024,
      idType: o.idType,
      outType: o.ioType,
      seq: o.seq ?? 'sequence_length',
      hiddenLayers: 0,
      withProjection: false,
      seed: 1,
    }),
  );
  putModel(join(dir, 'unet'), unet({ ioType: o.ioType, timestep: o.timestep, context: 1024, sdxl: false, weightType: 'float16', oom: o.oomUnet }));
  putModel(join(dir, 'vae_decoder'), vaeDecoder({ ioType: o.ioType, channels: 4, seed: 3 }));
  putJson(join(dir, 'vae_decoder', 'config.json'), { _class_name: 'AutoencoderKL', latent_channels: 4, scaling_factor: 0.18215 });
  if (o.vaeEncoder ?? true) putModel(join(dir, 'vae_encoder'), vaeEncoder({ ioType: o.ioType, channels: 4, seed: 4 }));
  writeLock(dir);
}

export interface SdxlFolderOptions extends SdFolderOptions {
  idType2: 'int32' | 'int64';
}

/** SDXL-Turbo layout: two text encoders with hidden_states.* outputs, UNet with text_embeds/time_ids. */
export function writeSdxlTurboFolder(dir: string, o: SdxlFolderOptions): void {
  const vocab = clipVocabSize();
  putJson(join(dir, 'model_index.json'), { _class_name: 'ORTStableDiffusionXLPipeline', _diffusers_version: '0.24.0', force_zeros_for_empty_prompt: true });
  putJson(join(dir, 'scheduler', 'scheduler_config.json'), {
    _class_name: 'EulerAncestralDiscreteScheduler',
    beta_start: 0.00085,
    beta_end: 0.012,
    beta_schedule: 'scaled_linear',
    num_train_timesteps: 1000,
    prediction_type: 'epsilon',
    timestep_spacing: 'trailing',
    steps_offset: 1,
  });
  putClipTokenizer(join(dir, 'tokenizer'), o.tokenizer ?? { format: 'tokenizer.json', pad: '<|endoftext|>' });
  putClipTokenizer(join(dir, 'tokenizer_2'), { format: 'tokenizer.json', pad: '!' });
  putModel(
    join(dir, 'text_encoder'),
    clipTextEncoder({
      vocabSize: vocab,
      hidden: 768,
      idType: o.idType,
      outType: o.ioType,
      seq: o.seq ?? 'sequence_length',
      hiddenLayers: 12,
      withProjection: false,
      seed: 5,
    }),
  );
  putModel(
    join(dir, 'text_encoder_2'),
    clipTextEncoder({
      vocabSize: vocab,
      hidden: 1280,
      idType: o.idType2,
      outType: o.ioType,
      seq: o.seq ?? 'sequence_length',
      hiddenLayers: 32,
      withProjection: true,
      external: true,
      seed: 6,
    }),
  );
  putModel(join(dir, 'unet'), unet({ ioType: o.ioType, timestep: o.timestep, context: 2048, sdxl: true, weightType: 'float16' }));
  putModel(join(dir, 'vae_decoder'), vaeDecoder({ ioType: o.ioType, channels: 4, seed: 7 }));
  putJson(join(dir, 'vae_decoder', 'config.json'), { _class_name: 'AutoencoderKL', latent_channels: 4, scaling_factor: 0.13025, force_upcast: false });
  if (o.vaeEncoder ?? true) putModel(join(dir, 'vae_encoder'), vaeEncoder({ ioType: o.ioType, channels: 4, seed: 8 }));
  writeLock(dir);
}

export interface FluxFolderOptions {
  ioType: 'float32' | 'float16';
  timestepType: 'float32' | 'float16';
  clipIdType: 'int32' | 'int64';
  t5IdType: 'int32' | 'int64';
  t5Seq?: Dim;
  idsRank?: 2 | 3;
  vaeEncoder?: boolean;
}

/** FLUX.1-schnell layout (optimum): CLIP-L text_encoder, T5 text_encoder_2, transformer (+ data), 16-channel VAE. */
export function writeFluxSchnellFolder(dir: string, o: FluxFolderOptions): void {
  putJson(join(dir, 'model_index.json'), { _class_name: 'FluxPipeline', _diffusers_version: '0.30.0' });
  putJson(join(dir, 'scheduler', 'scheduler_config.json'), {
    _class_name: 'FlowMatchEulerDiscreteScheduler',
    num_train_timesteps: 1000,
    shift: 1.0,
    use_dynamic_shifting: false,
  });
  putClipTokenizer(join(dir, 'tokenizer'), { format: 'tokenizer.json', pad: '<|endoftext|>' });
  putJson(join(dir, 'tokenizer_2', 'tokenizer.json'), t5TokenizerJson());
  putJson(join(dir, 'tokenizer_2', 'tokenizer_config.json'), { model_max_length: 512, eos_token: '</s>', pad_token: '<pad>', unk_token: '<unk>' });
  putModel(
    join(dir, 'text_encoder'),
    clipTextEncoder({
      vocabSize: clipVocabSize(),
      hidden: 768,
      idType: o.clipIdType,
      outType: o.ioType,
      seq: 77,
      hiddenLayers: 0,
      withProjection: false,
      seed: 9,
    }),
  );
  putModel(
    join(dir, 'text_encoder_2'),
    t5Encoder({ vocabSize: t5VocabSize(), hidden: 4096, idType: o.t5IdType, outType: o.ioType, seq: o.t5Seq ?? 'sequence_length', seed: 10 }),
  );
  putModel(join(dir, 'transformer'), fluxTransformer({ ioType: o.ioType, timestepType: o.timestepType, idsRank: o.idsRank ?? 2, weightType: 'float16' }));
  putModel(join(dir, 'vae_decoder'), vaeDecoder({ ioType: o.ioType, channels: 16, seed: 11 }));
  putJson(join(dir, 'vae_decoder', 'config.json'), { _class_name: 'AutoencoderKL', latent_channels: 16, scaling_factor: 0.3611, shift_factor: 0.1159 });
  if (o.vaeEncoder ?? true) putModel(join(dir, 'vae_encoder'), vaeEncoder({ ioType: o.ioType, channels: 16, seed: 12 }));
  writeLock(dir);
}

// ------------------------------------------------------------------------------------------------
// Images

/** A 64×64 scene: a gradient backdrop with a red disc "product", and the product's mask. */
export function productScene(w = 64, h = 64): { init: RgbaImage; mask: GrayImage } {
  const init = { width: w, height: h, data: Buffer.alloc(w * h * 4) };
  const mask = { width: w, height: h, data: Buffer.alloc(w * h) };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const inside = (x - w / 2) ** 2 + (y - h * 0.55) ** 2 <= (w * 0.22) ** 2;
      mask.data[i] = inside ? 255 : 0;
      init.data.set(inside ? [200 + (x % 7), 30, 40 + (y % 5), 255] : [90 + y, 120, 150 - x, 255], i * 4);
    }
  return { init, mask };
}
