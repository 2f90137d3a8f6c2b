// What a loaded graph expects, read from the session's own metadata instead of hard-coded per
// export: the three naming families (optimum/diffusers, ORT/TensorRT demo, webnn) and their
// dtypes (int32/int64 ids; fp16/fp32 I/O; int64, fp16 or fp32 timesteps) all come through here.
import type * as ort from 'onnxruntime-node';
import type { FloatType, IdType, TimestepType } from './tensors';

export interface IoInfo {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}

function infos(list: readonly ort.InferenceSession.ValueMetadata[], names: readonly string[]): IoInfo[] {
  return names.map((name) => {
    const meta = list.find((m) => m.name === name);
    if (meta && meta.isTensor) return { name, type: meta.type, shape: meta.shape };
    return { name, type: 'unknown', shape: [] };
  });
}

export function inputInfos(session: ort.InferenceSession): IoInfo[] {
  return infos(session.inputMetadata ?? [], session.inputNames);
}

export function outputInfos(session: ort.InferenceSession): IoInfo[] {
  return infos(session.outputMetadata ?? [], session.outputNames);
}

/** The first of `candidates` the graph has as an input, or null. */
export function findInput(session: ort.InferenceSession, candidates: readonly string[]): IoInfo | null {
  const all = inputInfos(session);
  for (const c of candidates) {
    const hit = all.find((i) => i.name === c);
    if (hit) return hit;
  }
  return null;
}

export function requireInput(session: ort.InferenceSession, candidates: readonly string[], component: string): IoInfo {
  const hit = findInput(session, candidates);
  if (!hit) throw new Error(`${component}: the graph has none of the inputs ${candidates.join(' / ')} (it has ${session.inputNames.join(', ')})`);
  return hit;
}

/** fp16 or fp32 I/O; anything else (bf16 exports) is refused with the reason. */
export function floatTypeOf(info: IoInfo, component: string): FloatType {
  if (info.type === 'float32' || info.type === 'float16') return info.type;
  if (info.type === 'unknown') return 'float32';
  throw new Error(
    `${component}: input '${info.name}' is ${info.type}; onnxruntime-node passes only float32 or float16 tensors (use an export with fp16/fp32 I/O, e.g. keep_io_types)`,
  );
}

export function idTypeOf(info: IoInfo, component: string): IdType {
  if (info.type === 'int32' || info.type === 'int64') return info.type;
  if (info.type === 'unknown') return 'int32';
  throw new Error(`${component}: input '${info.name}' is ${info.type}, expected int32 or int64 token ids`);
}

export function timestepTypeOf(info: IoInfo, component: string): TimestepType {
  if (info.type === 'float32' || info.type === 'float16' || info.type === 'int64' || info.type === 'int32') return info.type;
  if (info.type === 'unknown') return 'float32';
  throw new Error(`${component}: timestep input '${info.name}' is ${info.type}; supported: int64, int32, float16, float32`);
}

/** Concrete dims for an input: symbolic dims become the batch (first axis) or the given fallbacks. */
export function concreteDims(info: IoInfo, fallback: readonly number[]): number[] {
  if (info.shape.length === 0 && info.type !== 'unknown') return [];
  if (info.shape.length !== fallback.length) return [...fallback];
  return info.shape.map((d, i) => (typeof d === 'number' && d > 0 ? d : fallback[i]));
}

/** A static sequence length declared by the graph (e.g. input_ids [B,77]), or null when symbolic. */
export function staticDim(info: IoInfo, axis: number): number | null {
  const d = info.shape[axis];
  return typeof d === 'number' && d > 0 ? d : null;
}
