// A diffusion model folder as the diffusers/optimum exporters lay it out (and the ORT/TensorRT demo
// and BFL FLUX ONNX variants of it): one sub-folder per component with model.onnx (+ external
// data), tokenizer folders, scheduler and VAE configs, the diffusers manifest model_index.json,
// and the lock file the installer writes (every file with its size, optionally its sha256).
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MODEL_LOCK_FILE, type ModelLock } from '../models/lock';

export type DiffusionFamily = 'sd' | 'sdxl' | 'flux';

/** Where each component may live, first match wins (optimum name first, then demo/BFL names). */
export const COMPONENT_DIRS: Record<string, readonly string[]> = {
  text_encoder: ['text_encoder', 'clip.opt', 'clip'],
  text_encoder_2: ['text_encoder_2', 't5.opt', 't5', 'clip2'],
  unet: ['unet', 'unetxl'],
  transformer: ['transformer', 'transformer.opt/fp8', 'transformer.opt/fp4', 'transformer.opt/bf16', 'transformer.opt'],
  vae_decoder: ['vae_decoder', 'vae.opt', 'vae'],
  vae_encoder: ['vae_encoder', 'vae_encoder.opt'],
};

export interface ComponentFiles {
  component: string;
  dir: string;
  /** The graph file (model.onnx). */
  model: string;
  /** External weight files next to it (model.onnx_data, model.onnx.data, weights.pb). */
  externalData: string[];
  /** Graph + external data, bytes (for the memory plan). */
  bytes: number;
}

export interface ModelFolder {
  dir: string;
  family: DiffusionFamily;
  /** model_index.json (diffusers manifest), if present. */
  manifest: Record<string, unknown> | null;
  lock: ModelLock | null;
  components: Partial<Record<string, ComponentFiles>>;
  schedulerConfig: Record<string, unknown> | null;
  /** vae_decoder/config.json (scaling_factor, shift_factor), if present. */
  vaeConfig: Record<string, unknown> | null;
}

const MANIFEST = 'model_index.json';

const PIPELINE_CLASSES: Record<DiffusionFamily, RegExp> = {
  sd: /^(ORT)?StableDiffusion(Img2Img|Inpaint)?Pipeline$/,
  sdxl: /^(ORT)?StableDiffusionXL(Img2Img|Inpaint)?Pipeline$/,
  flux: /^Flux(Img2Img|Inpaint)?Pipeline$/,
};

async function readJsonIf(path: string): Promise<Record<string, unknown> | null> {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function findComponent(dir: string, component: string): ComponentFiles | null {
  for (const sub of COMPONENT_DIRS[component] ?? [component]) {
    const folder = join(dir, sub);
    const model = join(folder, 'model.onnx');
    if (!existsSync(model)) continue;
    const externalData = ['model.onnx_data', 'model.onnx.data', 'weights.pb'].map((f) => join(folder, f)).filter((f) => existsSync(f));
    const bytes = [model, ...externalData].reduce((sum, f) => sum + statSync(f).size, 0);
    return { component, dir: folder, model, externalData, bytes };
  }
  return null;
}

/** Every file the lock lists must be there with its recorded size (a cut-off download fails here, by name). */
export function verifyLock(dir: string, lock: { files: readonly { path: string; bytes: number }[] }): void {
  if (!Array.isArray(lock.files)) throw new Error(`${join(dir, MODEL_LOCK_FILE)} has no "files" list`);
  const problems: string[] = [];
  for (const f of lock.files) {
    const path = resolve(dir, f.path);
    if (!path.startsWith(resolve(dir))) {
      problems.push(`${f.path} points outside the model folder`);
      continue;
    }
    if (!existsSync(path)) problems.push(`${f.path} is missing`);
    else if (typeof f.bytes === 'number' && statSync(path).size !== f.bytes)
      problems.push(`${f.path} is ${statSync(path).size} bytes, the lock says ${f.bytes}`);
  }
  if (problems.length)
    throw new Error(
      `model folder ${dir} is incomplete (${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}); re-run the model install`,
    );
}

/**
 * Opens a model folder for one family: checks the manifest's pipeline class when there is one,
 * verifies the lock file when there is one, and finds the required and optional components.
 */
export async function openModelFolder(
  dir: string,
  family: DiffusionFamily,
  required: readonly string[],
  optional: readonly string[] = [],
): Promise<ModelFolder> {
  const root = resolve(dir);
  if (!existsSync(root)) throw new Error(`model folder ${root} does not exist`);
  const manifest = await readJsonIf(join(root, MANIFEST));
  const cls = manifest && typeof manifest._class_name === 'string' ? manifest._class_name : null;
  if (cls && !PIPELINE_CLASSES[family].test(cls)) throw new Error(`${root}/${MANIFEST} describes a ${cls}, not a ${family.toUpperCase()} pipeline`);
  const lock = (await readJsonIf(join(root, MODEL_LOCK_FILE))) as ModelLock | null;
  if (lock) verifyLock(root, lock);
  const components: Partial<Record<string, ComponentFiles>> = {};
  const missing: string[] = [];
  for (const c of required) {
    const found = findComponent(root, c);
    if (found) components[c] = found;
    else missing.push(`${c}/model.onnx`);
  }
  if (missing.length) throw new Error(`model folder ${root} lacks ${missing.join(', ')}`);
  for (const c of optional) {
    const found = findComponent(root, c);
    if (found) components[c] = found;
  }
  return {
    dir: root,
    family,
    manifest,
    lock,
    components,
    schedulerConfig: await readJsonIf(join(root, 'scheduler', 'scheduler_config.json')),
    vaeConfig:
      (await readJsonIf(join(components.vae_decoder?.dir ?? join(root, 'vae_decoder'), 'config.json'))) ?? (await readJsonIf(join(root, 'vae', 'config.json'))),
  };
}

/** A tokenizer folder (tokenizer/, tokenizer_2/) that must exist. */
export function tokenizerDir(folder: ModelFolder, name: 'tokenizer' | 'tokenizer_2'): string {
  const d = join(folder.dir, name);
  if (!existsSync(d)) throw new Error(`model folder ${folder.dir} lacks ${name}/ (tokenizer.json)`);
  return d;
}
