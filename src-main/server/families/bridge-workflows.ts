// The bridge's named workflows: ComfyUI API-format graphs whose admin-chosen inputs are marked with
// `_meta.apiinput` ("text,seed"), exactly as the bridge server's patched ComfyUI exports them.
// Built-in ones cover our pipeline; an admin adds more as <dataDir>/bridge/workflows/*.json
// (alias = file name; optional workflow_alias.json: [{alias, fn, description}]).
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { DEFAULT_BG_NEGATIVE, DEFAULT_TEXT_NEGATIVE } from '../../core/params';
import { NODE_BY_NAME, type InputSpec } from './comfy/nodes';
import type { Graph } from './comfy/graph';

export interface Workflow {
  alias: string;
  description: string;
  graph: Graph & Record<string, { _meta?: { title?: string; apiinput?: string } }>;
}

export type BridgeType = 'str' | 'int' | 'float' | 'bool';
export interface DeclaredInput {
  type: BridgeType;
  title: string;
  class: string;
  default: string | number | boolean;
}

/** A sample product photo so the declared image input has a default that really loads. */
export const SAMPLE_PRODUCT = 'adforge_sample_product.png';

export async function samplePng(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640">
    <rect width="100%" height="100%" fill="#f2f2f2"/>
    <rect x="200" y="60" width="80" height="90" rx="10" fill="#2a2a2a"/>
    <rect x="150" y="140" width="180" height="440" rx="40" fill="#1f6fd0"/>
    <rect x="175" y="300" width="130" height="120" fill="#ffffff"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const adGraph = (withText: boolean): Workflow['graph'] => {
  const g: Workflow['graph'] = {
    '10': { class_type: 'AdForgeLoadProductImage', inputs: { image: SAMPLE_PRODUCT }, _meta: { title: 'Product Photo', apiinput: 'image' } },
    '3': {
      class_type: 'AdForgeBackground',
      inputs: {
        product: ['10', 0],
        bg_prompt: 'minimalist studio with a soft seamless sweep, gentle daylight from the left, soft shadows',
        bg_negative_prompt: DEFAULT_BG_NEGATIVE,
        seed: 42,
        aspect_ratio: '1:1',
        long_edge: 1024,
        product_scale: 0.55,
        strength: 0.6,
        guidance_scale: 3.5,
        steps: 4,
      },
      _meta: { title: 'Background', apiinput: 'bg_prompt,seed,aspect_ratio' },
    },
  };
  if (!withText) {
    g['9'] = { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'bridge/background' }, _meta: { title: 'Save Image' } };
    return g;
  }
  g['6'] = {
    class_type: 'AdForge3DText',
    inputs: {
      scene: ['3', 0],
      text: '새로운 시작',
      style_prompt: 'gold metallic 3D text with glossy bevel, studio lighting',
      negative_prompt: DEFAULT_TEXT_NEGATIVE,
      font_name: '(default)',
    },
    _meta: { title: 'Headline', apiinput: 'text,style_prompt,font_name' },
  };
  g['7'] = {
    class_type: 'AdForgeCompose',
    inputs: { scene: ['3', 0], text_layer: ['6', 0], composition_mode: 'overlay', text_position: 'auto', composition_strength: 0.4 },
    _meta: { title: 'Compose', apiinput: 'text_position,composition_mode' },
  };
  g['9'] = { class_type: 'SaveImage', inputs: { images: ['7', 0], filename_prefix: 'bridge/ad' }, _meta: { title: 'Save Image' } };
  return g;
};

export const BUILTIN_WORKFLOWS: Workflow[] = [
  {
    alias: 'adforge-ad',
    description: 'Product photo + scene prompt + headline -> finished ad (3D lettering placed where it reads best)',
    graph: adGraph(true),
  },
  { alias: 'adforge-background', description: 'Product photo + scene prompt -> the product in its scene with shadows, no headline', graph: adGraph(false) },
];

/** Built-ins plus the admin's JSON graphs; a broken file is skipped (and reported), never fatal. */
export async function loadWorkflows(dir: string, log: (m: string) => void = () => undefined): Promise<Workflow[]> {
  const out = [...BUILTIN_WORKFLOWS];
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json') && f !== 'workflow_alias.json').sort();
  let aliases: { alias?: unknown; fn?: unknown; description?: unknown }[] = [];
  try {
    aliases = JSON.parse(await readFile(join(dir, 'workflow_alias.json'), 'utf8')) as typeof aliases;
    if (!Array.isArray(aliases)) aliases = [];
  } catch {
    aliases = [];
  }
  for (const file of files) {
    try {
      const graph = JSON.parse(await readFile(join(dir, file), 'utf8')) as Workflow['graph'];
      const named = aliases.find((a) => a.fn === file);
      const alias = typeof named?.alias === 'string' ? named.alias : basename(file, '.json');
      if (out.some((w) => w.alias === alias)) continue;
      out.push({ alias, description: typeof named?.description === 'string' ? named.description : '', graph });
    } catch (err) {
      log(`bridge: skipping workflow ${file}: ${(err as Error).message}`);
    }
  }
  return out;
}

function typeOf(spec: InputSpec | undefined, value: unknown): BridgeType {
  if (spec?.kind === 'INT') return 'int';
  if (spec?.kind === 'FLOAT') return 'float';
  if (spec?.kind === 'STRING' || spec?.kind === 'COMBO') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'str';
}

/** GET /workflow-info: `"<node>/<input>": {type, title, class, default}` for every declared input. */
export function declaredInputs(wf: Workflow): Record<string, DeclaredInput> {
  const out: Record<string, DeclaredInput> = {};
  for (const [id, node] of Object.entries(wf.graph)) {
    const names = (node._meta?.apiinput ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const def = NODE_BY_NAME.get(node.class_type);
    for (const name of names) {
      const value = node.inputs?.[name];
      if (value === undefined || value === null || Array.isArray(value) || typeof value === 'object') continue;
      const spec = def?.required[name] ?? def?.optional?.[name];
      out[`${id}/${name}`] = {
        type: typeOf(spec, value),
        title: node._meta?.title ?? def?.display ?? node.class_type,
        class: node.class_type,
        default: value as string | number | boolean,
      };
    }
  }
  return out;
}

/** The graph with the caller's values set; strict types (an int input refuses 1.5 and "1"). */
export function applyInputs(wf: Workflow, values: Record<string, unknown>): { graph: Graph } | { error: string } {
  const declared = declaredInputs(wf);
  const graph = structuredClone(wf.graph) as Workflow['graph'];
  for (const [key, value] of Object.entries(values)) {
    const d = declared[key];
    if (!d) return { error: `${key}: not an input of workflow "${wf.alias}" (see GET workflow-info)` };
    const okType =
      (d.type === 'str' && typeof value === 'string') ||
      (d.type === 'int' && typeof value === 'number' && Number.isInteger(value)) ||
      (d.type === 'float' && typeof value === 'number' && Number.isFinite(value)) ||
      (d.type === 'bool' && typeof value === 'boolean');
    if (!okType) return { error: `${key}: expected ${d.type}, got ${value === null ? 'null' : typeof value} ${JSON.stringify(value)}` };
    const [node, input] = key.split('/');
    graph[node].inputs[input] = value;
  }
  return { graph };
}
