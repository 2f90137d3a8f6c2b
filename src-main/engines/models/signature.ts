// Checks a loaded ONNX session against the tensors its manifest declares, before the first run:
// a wrong export (other names, fp16 where fp32 was expected, a missing input) then fails with a
// message naming the model, the component and every mismatch, instead of an opaque ORT error
// mid-job. It also returns the actual name of each declared tensor, because exports of the same
// model name tensors differently (optimum vs the ORT/TRT demos) and engines must not hard-code them.
import type { InferenceSession } from 'onnxruntime-node';
import { ModelError } from './errors';
import type { ComponentSpec, TensorSpec } from './manifest';

/** What we read from a session; InferenceSession satisfies it, and tests can pass a plain object. */
export interface SessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly InferenceSession.ValueMetadata[];
  readonly outputMetadata?: readonly InferenceSession.ValueMetadata[];
}

export interface SignatureMatch {
  /** Declared (canonical) name → the name in this file. */
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  /** Declared tensors whose dtype could not be checked (no metadata in this ORT build). */
  unchecked: string[];
}

interface Meta {
  type?: string;
  shape?: ReadonlyArray<number | string>;
}

/** inputMetadata is newer onnxruntime-common API; a build without it (or a throwing getter) only skips dtype checks. */
function metadataOf(list: (() => readonly InferenceSession.ValueMetadata[] | undefined) | undefined): Map<string, Meta> {
  const out = new Map<string, Meta>();
  let entries: readonly InferenceSession.ValueMetadata[] | undefined;
  try {
    entries = list?.();
  } catch {
    entries = undefined;
  }
  for (const e of entries ?? []) {
    if (e && typeof e.name === 'string') out.set(e.name, e.isTensor ? { type: String(e.type), shape: e.shape } : { type: 'non-tensor' });
  }
  return out;
}

function dtypesOf(t: TensorSpec): string[] {
  return Array.isArray(t.dtype) ? t.dtype : [t.dtype];
}

function shapeText(s: ReadonlyArray<number | string>): string {
  return `[${s.join(',')}]`;
}

/**
 * Fixed dims must agree where both sides are numbers; symbolic dims (strings, or -1/0 in the
 * file) match anything, since B/H/W are chosen per run.
 */
function shapeProblem(declared: ReadonlyArray<number | string> | undefined, actual: ReadonlyArray<number | string> | undefined): string | null {
  if (!declared || !actual || actual.length === 0) return null;
  if (declared.length !== actual.length) return `rank ${actual.length} ${shapeText(actual)}, manifest declares rank ${declared.length} ${shapeText(declared)}`;
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i];
    const a = actual[i];
    if (typeof d === 'number' && typeof a === 'number' && a > 0 && d !== a) return `shape ${shapeText(actual)}, manifest declares ${shapeText(declared)} (dim ${i})`;
  }
  return null;
}

function checkSide(
  side: 'input' | 'output',
  declared: TensorSpec[],
  names: readonly string[],
  meta: Map<string, Meta>,
  problems: string[],
  unchecked: string[],
): Record<string, string> {
  const found: Record<string, string> = {};
  const claimed = new Set<string>();
  for (const t of declared) {
    const actual = [t.name, ...(t.aliases ?? [])].find((n) => names.includes(n));
    if (!actual) {
      if (!t.optional) problems.push(`missing ${side} "${t.name}"${t.aliases?.length ? ` (or ${t.aliases.map((a) => `"${a}"`).join(', ')})` : ''}`);
      continue;
    }
    found[t.name] = actual;
    claimed.add(actual);
    const md = meta.get(actual);
    if (!md?.type) {
      unchecked.push(`${side} ${actual}`);
      continue;
    }
    const want = dtypesOf(t);
    if (!want.includes(md.type)) problems.push(`${side} "${actual}" is ${md.type} in the file, manifest declares ${want.join(' or ')}`);
    const sp = shapeProblem(t.shape, md.shape);
    if (sp) problems.push(`${side} "${actual}" has ${sp}`);
  }
  // An input nobody feeds makes every run fail; an extra output is harmless (we just don't fetch it).
  if (side === 'input') {
    for (const n of names) if (!claimed.has(n)) problems.push(`undeclared input "${n}" (the engine would not feed it)`);
  }
  return found;
}

/**
 * Throws ModelError('SIGNATURE') listing every mismatch; returns the declared→actual name maps.
 * `label` names the model and component in the message ("sd-turbo/unet").
 */
export function checkSignature(session: SessionLike, spec: Pick<ComponentSpec, 'inputs' | 'outputs'>, label: string): SignatureMatch {
  const problems: string[] = [];
  const unchecked: string[] = [];
  const inMeta = metadataOf(() => session.inputMetadata);
  const outMeta = metadataOf(() => session.outputMetadata);
  const inputs = checkSide('input', spec.inputs, session.inputNames, inMeta, problems, unchecked);
  const outputs = checkSide('output', spec.outputs, session.outputNames, outMeta, problems, unchecked);
  if (problems.length > 0) {
    throw new ModelError(
      'SIGNATURE',
      `${label}: the ONNX file does not match its manifest:\n  - ${problems.join('\n  - ')}\n` +
        `  file has inputs [${session.inputNames.join(', ')}], outputs [${session.outputNames.join(', ')}]. ` +
        `Re-install the model (adforge models install), or fix the manifest if this is a different export.`,
    );
  }
  return { inputs, outputs, unchecked };
}
