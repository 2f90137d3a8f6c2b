// SDXL's extra conditioning: the micro-conditioning `time_ids` and the text embeddings built from
// two encoders (CLIP-L penultimate layer ‖ OpenCLIP-bigG penultimate layer, plus bigG's pooled,
// projected `text_embeds`), whichever naming family the export uses.
import type * as ort from 'onnxruntime-node';
import { readFloats } from './tensors';

/** diffusers `_get_add_time_ids`: [orig_h, orig_w, crop_top, crop_left, target_h, target_w]. */
export function sdxlTimeIds(opts: {
  height: number;
  width: number;
  cropTop?: number;
  cropLeft?: number;
  targetHeight?: number;
  targetWidth?: number;
}): Float32Array {
  return Float32Array.from([opts.height, opts.width, opts.cropTop ?? 0, opts.cropLeft ?? 0, opts.targetHeight ?? opts.height, opts.targetWidth ?? opts.width]);
}

export interface EncoderOutput {
  data: Float32Array;
  dims: readonly number[];
}

function out(t: ort.Tensor): EncoderOutput {
  return { data: readFloats(t), dims: t.dims };
}

/**
 * The penultimate hidden layer of a CLIP export: `hidden_states.{N-1}` of the numbered outputs
 * (optimum: hidden_states.0 … hidden_states.N), or the single `hidden_states` output the ORT/TRT
 * graph surgery adds. Falls back to the last hidden state when the export has neither.
 */
export function penultimateHidden(outputs: ort.InferenceSession.OnnxValueMapType): { value: EncoderOutput; name: string } {
  const numbered = Object.keys(outputs)
    .map((k) => /^hidden_states\.(\d+)$/.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  if (numbered.length > 0) {
    const name = `hidden_states.${Math.max(...numbered) - 1}`;
    if (outputs[name]) return { value: out(outputs[name] as ort.Tensor), name };
  }
  for (const name of ['hidden_states', 'last_hidden_state', 'text_embeddings']) {
    const t = outputs[name] as ort.Tensor | undefined;
    if (t && t.dims.length === 3) return { value: out(t), name };
  }
  throw new Error(`text encoder gave no hidden states (outputs: ${Object.keys(outputs).join(', ')})`);
}

/** The pooled, projected embedding of text_encoder_2: `text_embeds` (optimum) or rank-2 `text_embeddings` (ORT demo). */
export function pooledEmbeds(outputs: ort.InferenceSession.OnnxValueMapType): EncoderOutput {
  for (const name of ['text_embeds', 'text_embeddings', 'pooler_output', 'pooled_embeddings']) {
    const t = outputs[name] as ort.Tensor | undefined;
    if (t && t.dims.length === 2) return out(t);
  }
  throw new Error(`text_encoder_2 gave no pooled embedding (outputs: ${Object.keys(outputs).join(', ')})`);
}

/** [1,S,D1] ‖ [1,S,D2] → [1,S,D1+D2] along the last axis. */
export function concatLastAxis(a: EncoderOutput, b: EncoderOutput): EncoderOutput {
  const [, s, d1] = a.dims;
  const [, s2, d2] = b.dims;
  if (s !== s2) throw new Error(`cannot concatenate text embeddings of ${s} and ${s2} tokens`);
  const data = new Float32Array(s * (d1 + d2));
  for (let i = 0; i < s; i++) {
    data.set(a.data.subarray(i * d1, (i + 1) * d1), i * (d1 + d2));
    data.set(b.data.subarray(i * d2, (i + 1) * d2), i * (d1 + d2) + d1);
  }
  return { data, dims: [1, s, d1 + d2] };
}
