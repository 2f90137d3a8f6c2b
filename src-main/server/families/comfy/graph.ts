// Turns a ComfyUI API-format graph into ONE AdForge generation request: validates every node the
// requested outputs depend on the way ComfyUI's validate_prompt does (same error types, messages
// and `node_errors` shape, so clients show them unchanged), then reads the pipeline off the graph.
// Pure: file existence and font lists come in through NodeContext.
//
// Hostile graphs (issue 10): the graph is bounded before anything else (node count, bytes of any one
// input value, output nodes per prompt, longest link chain), each refusal a 400 naming its bound, and
// every walk over it is iterative and linear in its size: a 10,000-node graph is refused in
// microseconds and a 3,000-node chain cannot overflow the stack.
import { DEFAULT_REQUEST_LIMITS } from '../../../core/limits';
import type { RequestLimits } from '../../limits';
import { splitPrefix } from './files';
import { NODE_BY_NAME, DEFAULT_FONT_OPTION, inputConfig, type InputSpec, type NodeContext, type NodeDef } from './nodes';

export type GraphLimits = RequestLimits['graph'];

export interface ComfyErrorItem {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}
export interface NodeError {
  errors: ComfyErrorItem[];
  dependent_outputs: string[];
  class_type: string;
}
export interface ComfyErrorBody {
  error: ComfyErrorItem;
  node_errors: Record<string, NodeError>;
}

/** A prompt ComfyUI would refuse with 400; `body` is exactly what the client gets. */
export class GraphError extends Error {
  constructor(readonly body: ComfyErrorBody) {
    super(body.error.message);
    this.name = 'GraphError';
  }
}

export const comfyError = (type: string, message: string, details = '', extra_info: Record<string, unknown> = {}): ComfyErrorBody => ({
  error: { type, message, details, extra_info },
  node_errors: {},
});

export interface GraphNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}
export type Graph = Record<string, GraphNode>;

export type OutputRole = 'save' | 'preview' | 'save_ws';
export interface OutputBinding {
  nodeId: string;
  role: OutputRole;
  /** Which run artifact the node receives. */
  artifact: 'final' | 'step1';
  prefix: string;
}

export interface GraphPlan {
  /** Request fields (images excluded) ready for GenerateRequestSchema. */
  request: Record<string, unknown>;
  /** Uploaded input file holding the product photo, if any. */
  productImage: string | null;
  /** Uploaded input file used as the finished scene (re-run of steps 2-3), if any. */
  sceneImage: string | null;
  outputs: OutputBinding[];
  /** Nodes that will run, in execution order. */
  order: string[];
  stages: { load: string | null; background: string | null; text: string | null; compose: string | null };
  /** Outputs dropped because they failed validation while others passed (ComfyUI still answers 200). */
  nodeErrors: Record<string, NodeError>;
}

const isLink = (v: unknown): v is [string, number] =>
  Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number') && Number.isInteger(v[1]);

/** "name [input]" annotations select the folder in ComfyUI; inputs only ever come from `input`. */
export function stripAnnotation(name: string): string {
  return name.replace(/ \[(input|output|temp)\]$/, '');
}

function asObject(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A refusal for a graph past one of its bounds: ComfyUI's error shape, the bound named in details and extra_info. */
function boundError(bound: keyof GraphLimits, limit: number, actual: number, what: string): GraphError {
  return new GraphError(
    comfyError('invalid_prompt', `Prompt exceeds a server limit: ${what}`, `${what}: ${actual} exceeds the limit of ${limit} (${bound})`, {
      bound,
      limit,
      actual,
    }),
  );
}

/** Bytes of a value as JSON, stopping once past `max` (strings and numbers without a full stringify). */
function sizeOver(value: unknown, max: number): number | null {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || value === undefined) return null;
  const bytes = typeof value === 'string' ? Buffer.byteLength(value) : Buffer.byteLength(JSON.stringify(value) ?? '');
  return bytes > max ? bytes : null;
}

function parseGraph(raw: unknown, limits: GraphLimits): Graph {
  const obj = asObject(raw);
  if (!obj) throw new GraphError(comfyError('invalid_prompt', 'Invalid prompt', 'prompt must be an object of nodes keyed by node id'));
  const ids = Object.keys(obj);
  if (ids.length > limits.maxNodes) throw boundError('maxNodes', limits.maxNodes, ids.length, 'number of nodes');
  const graph: Graph = {};
  for (const id of ids) {
    const node = obj[id];
    const n = asObject(node);
    if (!n || typeof n.class_type !== 'string') {
      throw new GraphError(comfyError('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`));
    }
    if (!NODE_BY_NAME.has(n.class_type)) {
      const title = asObject(n._meta)?.title;
      throw new GraphError(
        comfyError(
          'missing_node_type',
          `Node '${n.class_type.slice(0, 200)}' not found. The custom node may not be installed.`,
          `Node ID '#${id.slice(0, 200)}'`,
          {
            node_id: id.slice(0, 200),
            class_type: n.class_type.slice(0, 200),
            node_title: typeof title === 'string' ? title.slice(0, 200) : n.class_type.slice(0, 200),
          },
        ),
      );
    }
    const inputs = asObject(n.inputs) ?? {};
    for (const [name, value] of Object.entries(inputs)) {
      const over = sizeOver(value, limits.maxInputBytes);
      if (over !== null) throw boundError('maxInputBytes', limits.maxInputBytes, over, `bytes of input '${name.slice(0, 100)}' of node '${id.slice(0, 100)}'`);
    }
    const metaOver = sizeOver(n._meta, limits.maxInputBytes);
    if (metaOver !== null) throw boundError('maxInputBytes', limits.maxInputBytes, metaOver, `bytes of _meta of node '${id.slice(0, 100)}'`);
    graph[id] = { class_type: n.class_type, inputs, _meta: asObject(n._meta) ?? undefined };
  }
  return graph;
}

/** Ids of the nodes `id` links to (existing ones only), each once. */
function linkedIds(graph: Graph, id: string): string[] {
  const out: string[] = [];
  for (const v of Object.values(graph[id]?.inputs ?? {})) {
    if (!isLink(v)) continue;
    const src = String(v[0]);
    if (graph[src] && !out.includes(src)) out.push(src);
  }
  return out;
}

/**
 * Nodes reachable from `roots`, dependencies before dependents (iterative depth-first, post-order),
 * the longest link chain from any root, and the back edges met (cycles).
 */
function walk(graph: Graph, roots: string[]): { order: string[]; depth: number; cyclic: Set<string> } {
  const state = new Map<string, 1 | 2>();
  const height = new Map<string, number>();
  const order: string[] = [];
  const cyclic = new Set<string>();
  let depth = 0;
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: { id: string; deps: string[]; i: number }[] = [{ id: root, deps: linkedIds(graph, root), i: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i < top.deps.length) {
        const dep = top.deps[top.i++];
        const s = state.get(dep);
        if (s === 1) cyclic.add(dep);
        if (s !== undefined) continue;
        state.set(dep, 1);
        stack.push({ id: dep, deps: linkedIds(graph, dep), i: 0 });
        continue;
      }
      stack.pop();
      state.set(top.id, 2);
      let h = 1;
      for (const d of top.deps) h = Math.max(h, 1 + (height.get(d) ?? 0));
      height.set(top.id, h);
      depth = Math.max(depth, h);
      order.push(top.id);
    }
  }
  return { order, depth, cyclic };
}

const listText = (options: string[]) => (options.length > 20 ? `(list of length ${options.length})` : `[${options.map((o) => `'${o}'`).join(', ')}]`);

/** Checks one literal against its spec; returns the coerced value or an error item. */
function checkValue(
  name: string,
  spec: Exclude<InputSpec, { kind: 'LINK' }>,
  value: unknown,
  ctx: NodeContext,
): { value: unknown } | { error: ComfyErrorItem } {
  const config = inputConfig(spec, ctx);
  const base = { input_name: name, input_config: config, received_value: value };
  const range = (n: number, min: number, max: number) => {
    if (n < min) return { error: { type: 'value_smaller_than_min', message: `Value ${n} smaller than min of ${min}`, details: name, extra_info: base } };
    if (n > max) return { error: { type: 'value_bigger_than_max', message: `Value ${n} bigger than max of ${max}`, details: name, extra_info: base } };
    return { value: n };
  };
  switch (spec.kind) {
    case 'INT':
    case 'FLOAT': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) {
        return {
          error: {
            type: 'invalid_input_type',
            message: `Failed to convert an input value to a ${spec.kind} value`,
            details: `${name}, ${JSON.stringify(value)}, not a number`,
            extra_info: { ...base, exception_message: `could not convert ${JSON.stringify(value)} to ${spec.kind.toLowerCase()}` },
          },
        };
      }
      // ComfyUI converts with int()/float(): an INT input truncates a fractional value.
      return range(spec.kind === 'INT' ? Math.trunc(n) : n, spec.min, spec.max);
    }
    case 'STRING': {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        return {
          error: {
            type: 'invalid_input_type',
            message: 'Failed to convert an input value to a STRING value',
            details: `${name}, not text`,
            extra_info: { ...base, exception_message: 'not a string' },
          },
        };
      }
      const s = String(value);
      if (s.length > spec.maxLength) {
        return {
          error: { type: 'value_bigger_than_max', message: `Value length ${s.length} bigger than max of ${spec.maxLength}`, details: name, extra_info: base },
        };
      }
      return { value: s };
    }
    case 'COMBO': {
      const options = spec.options(ctx);
      if (spec.imageUpload) {
        // Like LoadImage.VALIDATE_INPUTS: the file must exist among the uploads.
        const file = typeof value === 'string' ? stripAnnotation(value) : '';
        if (!options.includes(file)) {
          return {
            error: {
              type: 'custom_validation_failed',
              message: 'Custom validation failed for node',
              details: `${name} - Invalid image file: ${String(value)}`,
              extra_info: { input_name: name },
            },
          };
        }
        return { value: file };
      }
      if (typeof value !== 'string' || !options.includes(value)) {
        return {
          error: {
            type: 'value_not_in_list',
            message: 'Value not in list',
            details: `${name}: '${String(value)}' not in ${listText(options)}`,
            extra_info: { input_name: name, input_config: options.length > 20 ? null : config, received_value: value },
          },
        };
      }
      return { value };
    }
  }
}

interface Checked {
  ok: boolean;
  values: Record<string, unknown>;
}

class Validator {
  private memo = new Map<string, Checked>();
  readonly errors: Record<string, ComfyErrorItem[]> = {};

  constructor(
    private graph: Graph,
    private ctx: NodeContext,
  ) {}

  private fail(id: string, item: ComfyErrorItem) {
    (this.errors[id] ??= []).push(item);
  }

  /** Checks every node in `order` (dependencies first, as walk() gives them). */
  checkAll(order: string[]): void {
    for (const id of order) this.memo.set(id, this.evaluate(id));
  }

  check(id: string): Checked {
    return this.memo.get(id) ?? { ok: false, values: {} };
  }

  private evaluate(id: string): Checked {
    const node = this.graph[id];
    const def = NODE_BY_NAME.get(node.class_type) as NodeDef;
    const values: Record<string, unknown> = {};
    let ok = true;
    const specs: [string, InputSpec, boolean][] = [
      ...Object.entries(def.required).map(([k, s]): [string, InputSpec, boolean] => [k, s, true]),
      ...Object.entries(def.optional ?? {}).map(([k, s]): [string, InputSpec, boolean] => [k, s, false]),
    ];
    for (const [name, spec, required] of specs) {
      const raw = node.inputs[name];
      if (raw === undefined || raw === null) {
        if (required) {
          this.fail(id, { type: 'required_input_missing', message: 'Required input is missing', details: name, extra_info: { input_name: name } });
          ok = false;
        }
        continue;
      }
      if (isLink(raw)) {
        const src = String(raw[0]);
        const srcNode = this.graph[src];
        const srcDef = srcNode ? NODE_BY_NAME.get(srcNode.class_type) : undefined;
        const received = srcDef?.outputs[raw[1]]?.type;
        const config = inputConfig(spec, this.ctx);
        if (!srcNode || !srcDef || received === undefined) {
          this.fail(id, {
            type: 'bad_linked_input',
            message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
            details: name,
            extra_info: { input_name: name, input_config: config, received_value: raw },
          });
          ok = false;
          continue;
        }
        const wanted = spec.kind === 'LINK' ? spec.type : spec.kind;
        if (received !== wanted) {
          this.fail(id, {
            type: 'return_type_mismatch',
            message: 'Return type mismatch between linked nodes',
            details: `${name}, received_type(${received}) mismatch input_type(${wanted})`,
            extra_info: { input_name: name, input_config: config, received_type: received, linked_node: raw },
          });
          ok = false;
          continue;
        }
        const done = this.memo.get(src);
        if (!done) {
          // Not checked yet while its dependent is: it is on the current path, a cycle.
          if (!this.errors[src]?.some((e) => e.type === 'dependency_cycle')) {
            this.fail(src, {
              type: 'dependency_cycle',
              message: 'Dependency cycle detected',
              details: `Node ${src} depends on itself`,
              extra_info: { node_id: src },
            });
          }
          ok = false;
        } else if (!done.ok) ok = false;
        values[name] = { link: src };
        continue;
      }
      if (spec.kind === 'LINK') {
        this.fail(id, {
          type: 'bad_linked_input',
          message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
          details: name,
          extra_info: { input_name: name, input_config: inputConfig(spec, this.ctx), received_value: raw },
        });
        ok = false;
        continue;
      }
      const r = checkValue(name, spec, raw, this.ctx);
      if ('error' in r) {
        this.fail(id, r.error);
        ok = false;
      } else values[name] = r.value;
    }
    // Unconnected optional inputs fall back to their default, like ComfyUI widgets do.
    for (const [name, spec] of Object.entries(def.optional ?? {})) {
      if (!(name in values) && 'default' in spec && spec.default !== undefined) values[name] = spec.default;
    }
    return { ok: ok && !this.errors[id], values };
  }
}

const linkOf = (v: unknown): string | null => (asObject(v) && typeof (v as { link?: unknown }).link === 'string' ? (v as { link: string }).link : null);

function semanticError(id: string, graph: Graph, details: string, outputs: string[]): GraphError {
  return new GraphError({
    error: {
      type: 'prompt_outputs_failed_validation',
      message: 'Prompt outputs failed validation',
      details: `Custom validation failed for node: ${details}`,
      extra_info: {},
    },
    node_errors: {
      [id]: {
        errors: [{ type: 'custom_validation_failed', message: 'Custom validation failed for node', details, extra_info: {} }],
        dependent_outputs: outputs,
        class_type: graph[id].class_type,
      },
    },
  });
}

export interface TranslateOptions {
  /** Only these output nodes run (ComfyUI's partial_execution_targets). */
  targets?: string[];
  /** Graph bounds (config.limits.graph); default DEFAULT_REQUEST_LIMITS.graph. */
  limits?: GraphLimits;
}

export function translateGraph(rawGraph: unknown, ctx: NodeContext, opts: TranslateOptions = {}): GraphPlan {
  const limits = opts.limits ?? DEFAULT_REQUEST_LIMITS.graph;
  const graph = parseGraph(rawGraph, limits);
  let outputIds = Object.keys(graph).filter((id) => NODE_BY_NAME.get(graph[id].class_type)?.outputNode);
  if (opts.targets) {
    const targets = new Set(opts.targets);
    outputIds = outputIds.filter((id) => targets.has(id));
  }
  if (outputIds.length === 0) throw new GraphError(comfyError('prompt_no_outputs', 'Prompt has no outputs'));
  // 50 SaveImage nodes would write 50 copies of the image from a 5 KB prompt.
  if (outputIds.length > limits.maxOutputs) throw boundError('maxOutputs', limits.maxOutputs, outputIds.length, 'number of output nodes');

  const walked = walk(graph, outputIds);
  if (walked.depth > limits.maxDepth) throw boundError('maxDepth', limits.maxDepth, walked.depth, 'longest chain of linked nodes');
  const v = new Validator(graph, ctx);
  v.checkAll(walked.order);
  const good = outputIds.filter((id) => v.check(id).ok);

  // Every node with its own errors, and which requested outputs depend on it: one walk per output
  // (their number is bounded), so this stays linear in the graph.
  const reach = new Map(outputIds.map((o) => [o, new Set(walk(graph, [o]).order)]));
  const nodeErrors: Record<string, NodeError> = {};
  for (const [id, errors] of Object.entries(v.errors)) {
    nodeErrors[id] = { errors, dependent_outputs: outputIds.filter((o) => reach.get(o)?.has(id)), class_type: graph[id].class_type };
  }
  if (good.length === 0) {
    const details = Object.values(v.errors)
      .flat()
      .map((e) => `${e.message}: ${e.details}`)
      .join('\n');
    throw new GraphError({
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details, extra_info: {} },
      node_errors: nodeErrors,
    });
  }

  const val = (id: string) => v.check(id).values;
  const roleOf = (id: string) => NODE_BY_NAME.get(graph[id].class_type)?.role;

  // Read the one pipeline off the outputs: every output image is a scene (step 1) or a finished ad.
  let compose: string | null = null;
  let background: string | null = null;
  let sceneSource: string | null = null;
  const outputs: OutputBinding[] = [];
  for (const id of good) {
    const src = linkOf(val(id).images) as string;
    const role = roleOf(src);
    if (role !== 'compose' && role !== 'background') {
      throw semanticError(id, graph, `images: connect an AdForgeBackground or AdForgeCompose output (got ${graph[src].class_type})`, [id]);
    }
    if (role === 'compose') {
      if (compose && compose !== src)
        throw semanticError(src, graph, 'one AdForge pipeline per prompt: only one AdForgeCompose node may feed the outputs', [id]);
      compose = src;
    } else {
      if (background && background !== src)
        throw semanticError(src, graph, 'one AdForge pipeline per prompt: only one AdForgeBackground node may feed the outputs', [id]);
      background = src;
    }
    const nodeRole = roleOf(id) as OutputBinding['role'];
    const prefix = nodeRole === 'save' ? String(val(id).filename_prefix ?? 'AdForge') : nodeRole === 'preview' ? 'ComfyUI_temp' : '';
    // ComfyUI refuses to save outside the output folder; here that is known before anything runs.
    if (nodeRole === 'save' && !splitPrefix(prefix)) {
      throw semanticError(id, graph, `filename_prefix: '${prefix.slice(0, 200)}' must be plain names separated by "/" (no "..", no absolute path)`, [id]);
    }
    outputs.push({ nodeId: id, role: nodeRole, artifact: role === 'compose' ? 'final' : 'step1', prefix });
  }

  let text: string | null = null;
  if (compose) {
    const c = val(compose);
    const scene = linkOf(c.scene) as string;
    text = linkOf(c.text_layer) as string;
    const textScene = linkOf(val(text).scene) as string;
    if (textScene !== scene) {
      throw semanticError(
        compose,
        graph,
        'scene: AdForgeCompose and its AdForge3DText must use the same scene',
        outputs.map((o) => o.nodeId),
      );
    }
    if (roleOf(scene) === 'background') {
      if (background && background !== scene)
        throw semanticError(
          scene,
          graph,
          'one AdForge pipeline per prompt: the saved scene and the composed scene differ',
          outputs.map((o) => o.nodeId),
        );
      background = scene;
    } else if (background) {
      throw semanticError(
        compose,
        graph,
        'scene: cannot compose onto an uploaded image while also building a new scene',
        outputs.map((o) => o.nodeId),
      );
    } else sceneSource = scene;
  }

  const request: Record<string, unknown> = {};
  let load: string | null = null;
  let productImage: string | null = null;
  let sceneImage: string | null = null;
  if (background) {
    const b = val(background);
    Object.assign(request, {
      start_step: 1,
      bg_prompt: b.bg_prompt,
      bg_negative_prompt: b.bg_negative_prompt,
      seed: b.seed,
      aspect_ratio: b.aspect_ratio,
      long_edge: b.long_edge,
      product_scale: b.product_scale,
      strength: b.strength,
      guidance_scale: b.guidance_scale,
      num_inference_steps: b.steps,
      bg_composition_prompt: typeof b.bg_composition_prompt === 'string' && b.bg_composition_prompt ? b.bg_composition_prompt : null,
    });
    const product = linkOf(b.product);
    if (product) {
      if (roleOf(product) !== 'load')
        throw semanticError(
          background,
          graph,
          `product: connect an image loader (got ${graph[product].class_type})`,
          outputs.map((o) => o.nodeId),
        );
      load = product;
      productImage = val(product).image as string;
    }
  } else if (sceneSource) {
    load = sceneSource;
    sceneImage = val(sceneSource).image as string;
    request.start_step = 2;
  }
  if (compose && text) {
    const t = val(text);
    const c = val(compose);
    Object.assign(request, {
      stop_step: 3,
      text_content: t.text,
      text_model_prompt: t.style_prompt,
      negative_prompt: t.negative_prompt,
      font_name: t.font_name === DEFAULT_FONT_OPTION ? null : t.font_name,
      composition_mode: c.composition_mode,
      text_position: c.text_position,
      composition_strength: c.composition_strength,
      letter_spacing: t.letter_spacing,
      line_height: t.line_height,
      text_align: t.text_align,
    });
    // Colours are text widgets: '' is none, anything else must be #rrggbb.
    const hex = (name: string): string | null => {
      const v = typeof c[name] === 'string' ? (c[name] as string).trim() : '';
      if (v === '') return null;
      if (!/^#[0-9a-fA-F]{6}$/.test(v))
        throw semanticError(
          compose,
          graph,
          `${name}: a colour as #rrggbb or empty, got ${JSON.stringify(v).slice(0, 40)}`,
          outputs.map((o) => o.nodeId),
        );
      return v;
    };
    const fill = hex('text_fill');
    const outline = hex('text_outline');
    const shadow = typeof c.text_shadow === 'number' ? c.text_shadow : 0;
    if (fill || outline || shadow > 0) request.text_effects = { fill, fill_to: null, outline, outline_width: 0.02, shadow };
    const sub = typeof c.sub_text === 'string' ? c.sub_text.trim() : '';
    if (sub) request.sub_text = { text: sub, color: '#ffffff', background: hex('sub_text_button'), size: 0.04, position: 'below_headline', center: null };
  } else {
    // Only scenes are saved: a background-only job (its final image is the scene).
    Object.assign(request, { stop_step: 1, text_content: null });
  }

  const bgOutputs = outputs.filter((o) => o.artifact === 'step1').map((o) => o.nodeId);
  const finalOutputs = outputs.filter((o) => o.artifact === 'final').map((o) => o.nodeId);
  const order = [load, background, ...bgOutputs, text, compose, ...finalOutputs].filter((x): x is string => x !== null);
  const dropped = Object.fromEntries(Object.entries(nodeErrors));
  return { request, productImage, sceneImage, outputs, order, stages: { load, background, text, compose }, nodeErrors: dropped };
}
