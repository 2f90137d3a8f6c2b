// The ComfyUI side of one StudioService: prompt ids, the queue view, history, the /ws clients and
// the translation of the service's job events into ComfyUI's message sequence. One instance per
// service, shared by the 8188 server and /comfy/ on the main port, so both see the same queue.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../core/errors';
import { SUB_STEPS, isActive, stepOfSubStep, type ArtifactName, type SubStepId } from '../../../core/jobs';
import type { JobEvent, JobRecord, StudioService } from '../../../core/service';
import { requestFromPlan } from './plan-request';
import { previewFrame, previewWithMetadataFrame } from './binary';
import { comfyDirs, listInputImages, nextOutputName, splitPrefix, type ComfyDirs } from './files';
import { comfyError, GraphError, translateGraph, type ComfyErrorBody, type GraphPlan, type OutputBinding } from './graph';
import { HistoryStore, type HistoryEntry, type ImageRef, type StatusMessage } from './history';
import type { NodeContext } from './nodes';
import { ComfySockets, type ComfyClient } from './sockets';

export const COMFY_CLIENT = 'comfy';
/** The ComfyUI version whose wire behaviour we follow (reference: comfyui-protocol.md). */
export const COMFYUI_VERSION = '0.3.64';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ComfyCoreOptions {
  service: StudioService;
  dataDir: string;
  /** Largest accepted upload in bytes (reported by /features). */
  maxUploadBytes: number;
  /** Silence after which a socket gets a `status` keep-alive; 0 disables. */
  heartbeatMs?: number;
  log?: (message: string) => void;
}

interface PromptEntry {
  promptId: string;
  number: number;
  graph: Record<string, unknown>;
  extraData: Record<string, unknown>;
  clientId: string | null;
  plan: GraphPlan;
  jobId: string;
  state: 'pending' | 'running' | 'done';
  /** Removed from the queue by POST /queue: no messages, no history. */
  cleared: boolean;
  executed: string[];
  orderIndex: number;
  lastNode: string | null;
  delivered: Set<string>;
  outputs: Record<string, { images: ImageRef[] }>;
  messages: StatusMessage[];
  lastProgress: string;
  chain: Promise<void>;
}

/** Thrown for a prompt the server refuses; `body` is ComfyUI's `{error, node_errors}`. */
export class PromptRejected extends Error {
  constructor(readonly body: ComfyErrorBody) {
    super(body.error.message);
  }
}

export type CloudStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled';

export class ComfyCore {
  readonly dirs: ComfyDirs;
  readonly history: HistoryStore;
  readonly sockets: ComfySockets;
  private entries = new Map<string, PromptEntry>();
  private byJob = new Map<string, PromptEntry>();
  /** Events of our own jobs that arrived before submit() returned their id. */
  private early = new Map<string, JobEvent[]>();
  private counter = 0;
  private unsubscribe: () => void;
  private ready: Promise<void>;
  private log: (m: string) => void;

  constructor(private opts: ComfyCoreOptions) {
    this.log = opts.log ?? (() => undefined);
    this.dirs = comfyDirs(opts.dataDir);
    this.history = new HistoryStore(join(opts.dataDir, 'comfy', 'history.json'));
    this.sockets = new ComfySockets(
      {
        statusData: () => this.statusData(),
        features: () => this.features(),
        onConnect: (c) => this.onConnect(c),
      },
      opts.heartbeatMs,
    );
    this.ready = Promise.all([
      ...Object.values(this.dirs).map((d) => mkdir(d, { recursive: true })),
      this.history.load(),
    ]).then(() => undefined);
    this.unsubscribe = opts.service.onEvent((e) => this.onEvent(e));
  }

  get service(): StudioService {
    return this.opts.service;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  close(): void {
    this.unsubscribe();
    this.sockets.close();
  }

  features(): Record<string, unknown> {
    return { supports_preview_metadata: true, max_upload_size: this.opts.maxUploadBytes };
  }

  /** Jobs still ahead in the lane: every family's, plus our prompts not yet written to history. */
  queueRemaining(): number {
    let ours = 0;
    let oursActiveInService = 0;
    for (const e of this.entries.values()) {
      if (e.cleared) continue;
      ours++;
      const job = this.service.get(e.jobId);
      if (job && isActive(job.status)) oursActiveInService++;
    }
    return Math.max(0, this.service.counts().active_jobs - oursActiveInService) + ours;
  }

  statusData(): Record<string, unknown> {
    return { status: { exec_info: { queue_remaining: this.queueRemaining() } } };
  }

  broadcastStatus(): void {
    this.sockets.broadcast({ type: 'status', data: this.statusData() });
  }

  private onConnect(client: ComfyClient): void {
    for (const e of this.entries.values()) {
      if (e.clientId === client.id && e.state === 'running' && e.lastNode) {
        this.sockets.sendTo(client, { type: 'executing', data: { node: e.lastNode } });
      }
    }
  }

  async nodeContext(): Promise<NodeContext> {
    await this.ready;
    return { inputFiles: await listInputImages(this.dirs.input), fonts: this.service.fonts().map((f) => f.name) };
  }

  // ------------------------------------------------------------------ queue view

  pending(): PromptEntry[] {
    return [...this.entries.values()].filter((e) => !e.cleared && e.state === 'pending');
  }

  running(): PromptEntry[] {
    return [...this.entries.values()].filter((e) => !e.cleared && e.state === 'running');
  }

  queueItem(e: PromptEntry): [number, string, Record<string, unknown>, Record<string, unknown>, string[]] {
    return [e.number, e.promptId, e.graph, e.extraData, e.plan.outputs.map((o) => o.nodeId)];
  }

  entry(promptId: string): PromptEntry | undefined {
    return this.entries.get(promptId);
  }

  // ------------------------------------------------------------------ submit

  /** POST /prompt: validate, translate, submit with queue:true; resolves to ComfyUI's 200 body. */
  async submitPrompt(body: unknown): Promise<{ prompt_id: string; number: number; node_errors: Record<string, unknown> }> {
    await this.ready;
    const b = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    if (!b || !('prompt' in b)) throw new PromptRejected(comfyError('no_prompt', 'No prompt provided', 'No prompt provided'));
    let promptId: string;
    if (b.prompt_id !== undefined && b.prompt_id !== null) {
      if (typeof b.prompt_id !== 'string' || !UUID_RE.test(b.prompt_id)) {
        throw new PromptRejected(
          comfyError('invalid_prompt_id', 'prompt_id must be a valid UUID', 'prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the server generate one'),
        );
      }
      if (this.entries.has(b.prompt_id) || this.history.has(b.prompt_id)) {
        throw new PromptRejected(comfyError('invalid_prompt_id', 'prompt_id already used', `prompt_id ${b.prompt_id} was already submitted`));
      }
      promptId = b.prompt_id;
    } else promptId = randomUUID();

    const targets = Array.isArray(b.partial_execution_targets) ? b.partial_execution_targets.map(String) : undefined;
    let plan: GraphPlan;
    try {
      plan = translateGraph(b.prompt, await this.nodeContext(), { targets });
    } catch (err) {
      if (err instanceof GraphError) throw new PromptRejected(err.body);
      throw err;
    }

    let job: JobRecord;
    try {
      job = await this.service.submit(await requestFromPlan(plan, this.dirs.input), { queue: true, client: COMFY_CLIENT });
    } catch (err) {
      if (err instanceof AppError) {
        const node = plan.stages.load ?? plan.stages.background ?? plan.order[0];
        throw new PromptRejected({
          error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: err.detail, extra_info: {} },
          node_errors: {
            [node]: {
              errors: [{ type: 'custom_validation_failed', message: 'Custom validation failed for node', details: err.detail, extra_info: err.field ? { input_name: err.field } : {} }],
              dependent_outputs: plan.outputs.map((o) => o.nodeId),
              class_type: String((b.prompt as Record<string, { class_type?: string }>)[node]?.class_type ?? ''),
            },
          },
        });
      }
      throw err;
    }

    let number: number;
    if (typeof b.number === 'number' && Number.isFinite(b.number)) number = b.number;
    else {
      number = this.counter++;
      if (b.front === true) number = -number;
    }
    const clientId = typeof b.client_id === 'string' && b.client_id ? b.client_id : null;
    const extra = b.extra_data !== null && typeof b.extra_data === 'object' && !Array.isArray(b.extra_data) ? { ...(b.extra_data as Record<string, unknown>) } : {};
    // Like ComfyUI 0.38: secrets never reach the queue or history.
    delete extra.api_key_comfy_org;
    delete extra.auth_token_comfy_org;
    if (clientId) extra.client_id = clientId;
    extra.create_time = Math.round(job.created_at * 1000);

    const entry: PromptEntry = {
      promptId,
      number,
      graph: b.prompt as Record<string, unknown>,
      extraData: extra,
      clientId,
      plan,
      jobId: job.job_id,
      state: 'pending',
      cleared: false,
      executed: [],
      orderIndex: -1,
      lastNode: null,
      delivered: new Set(),
      outputs: {},
      messages: [],
      lastProgress: '',
      chain: Promise.resolve(),
    };
    this.entries.set(promptId, entry);
    this.byJob.set(job.job_id, entry);
    this.broadcastStatus();
    const early = this.early.get(job.job_id) ?? [];
    this.early.delete(job.job_id);
    for (const e of early) this.enqueue(entry, e);
    return { prompt_id: promptId, number, node_errors: plan.nodeErrors };
  }

  // ------------------------------------------------------------------ control

  async interrupt(promptId?: string): Promise<void> {
    const targets = promptId ? [this.entries.get(promptId)].filter((e): e is PromptEntry => !!e && e.state === 'running') : this.running();
    await Promise.all(targets.map((e) => this.service.stop(e.jobId).catch(() => undefined)));
  }

  /** POST /queue: clear and/or delete pending prompts (never the running one). */
  async editQueue(clear: boolean, del: string[]): Promise<void> {
    const victims = this.pending().filter((e) => clear || del.includes(e.promptId));
    for (const e of victims) e.cleared = true;
    await Promise.all(victims.map((e) => this.service.stop(e.jobId).catch(() => undefined)));
    if (victims.length > 0) this.broadcastStatus();
  }

  // ------------------------------------------------------------------ events

  private onEvent(ev: JobEvent): void {
    if (ev.type === 'deleted') return;
    const entry = this.byJob.get(ev.job.job_id);
    if (!entry) {
      if (ev.job.client === COMFY_CLIENT) {
        // Ours, but submit() has not returned its id yet: replayed once it has.
        if (this.early.size > 200) this.early.delete(this.early.keys().next().value as string);
        const list = this.early.get(ev.job.job_id) ?? [];
        list.push(ev);
        this.early.set(ev.job.job_id, list);
      }
      // Any job changing the lane changes queue_remaining.
      if (ev.type === 'created' || ev.type === 'started' || ev.type === 'finished') this.broadcastStatus();
      return;
    }
    this.enqueue(entry, ev);
  }

  /** Events of one prompt are handled strictly in order, each waiting for the file work of the last. */
  private enqueue(entry: PromptEntry, ev: JobEvent): void {
    entry.chain = entry.chain.then(
      () => this.handle(entry, ev),
      () => this.handle(entry, ev),
    );
    entry.chain.catch((err: unknown) => this.log(`comfy: prompt ${entry.promptId}: ${(err as Error).message}`));
  }

  private message(entry: PromptEntry, type: string, data: Record<string, unknown>, opts: { record?: boolean; broadcastIfNoClient?: boolean } = {}): void {
    if (opts.record) entry.messages.push([type, data]);
    if (entry.cleared) return;
    const msg = { type, data };
    if (entry.clientId) this.sockets.send(entry.clientId, msg);
    else if (opts.broadcastIfNoClient) this.sockets.broadcast(msg);
  }

  private classOf(entry: PromptEntry, node: string): string {
    const n = entry.graph[node] as { class_type?: unknown } | undefined;
    return typeof n?.class_type === 'string' ? n.class_type : '';
  }

  private nodeForSubStep(entry: PromptEntry, sub: SubStepId): string | null {
    const s = entry.plan.stages;
    if (sub === 'decode_product') return s.load ?? s.background;
    const step = stepOfSubStep(sub);
    if (step === 'step1_background') return s.background ?? s.load;
    if (step === 'step2_text') return s.text;
    return s.compose ?? s.text;
  }

  private async handle(entry: PromptEntry, ev: JobEvent): Promise<void> {
    if (ev.type === 'deleted' || entry.state === 'done') return;
    const job = ev.job;
    const now = () => Date.now();
    const begins = ev.type !== 'created' && (ev.type !== 'finished' || job.start_time !== null);
    if (entry.state === 'pending' && begins) {
      entry.state = 'running';
      this.broadcastStatus();
      this.message(entry, 'execution_start', { prompt_id: entry.promptId, timestamp: now() }, { record: true });
      this.message(entry, 'execution_cached', { nodes: [], prompt_id: entry.promptId, timestamp: now() }, { record: true });
      if (ev.type === 'started' && entry.plan.order.length > 0) await this.advanceTo(entry, 0);
    }
    if ((ev.type === 'progress' || ev.type === 'started') && job.sub_step) {
      const node = this.nodeForSubStep(entry, job.sub_step);
      if (node) {
        await this.advanceTo(entry, entry.plan.order.indexOf(node));
        const subs = SUB_STEPS[stepOfSubStep(job.sub_step)] as readonly { id: string }[];
        const value = subs.findIndex((s) => s.id === job.sub_step);
        const key = `${node}:${value}`;
        if (key !== entry.lastProgress) {
          entry.lastProgress = key;
          const data = { value, max: subs.length, prompt_id: entry.promptId, node };
          this.message(entry, 'progress', data, { broadcastIfNoClient: true });
          this.message(
            entry,
            'progress_state',
            { prompt_id: entry.promptId, nodes: { [node]: { value, max: subs.length, state: 'running', node_id: node, prompt_id: entry.promptId, display_node_id: node, parent_node_id: null, real_node_id: node } } },
            { broadcastIfNoClient: true },
          );
        }
      }
    }
    if (ev.type === 'step-result') {
      if (ev.artifact === 'step1') {
        await this.sendScenePreview(entry);
        const lastBgOutput = entry.plan.order.reduce((acc, id, i) => (entry.plan.outputs.some((o) => o.nodeId === id && o.artifact === 'step1') ? i : acc), -1);
        if (lastBgOutput >= 0) await this.advanceTo(entry, lastBgOutput);
      }
    }
    if (ev.type === 'finished') await this.finish(entry, job);
  }

  /** Sends `executing` for every node up to order[target], running output nodes on the way. */
  private async advanceTo(entry: PromptEntry, target: number): Promise<void> {
    while (entry.orderIndex < target) {
      entry.orderIndex++;
      const id = entry.plan.order[entry.orderIndex];
      entry.lastNode = id;
      this.message(entry, 'executing', { node: id, display_node: id, prompt_id: entry.promptId });
      const out = entry.plan.outputs.find((o) => o.nodeId === id);
      if (out) await this.runOutput(entry, out);
      entry.executed.push(id);
    }
  }

  private async runOutput(entry: PromptEntry, out: OutputBinding): Promise<void> {
    if (entry.delivered.has(out.nodeId)) return;
    entry.delivered.add(out.nodeId);
    const src = this.service.artifactPath(entry.jobId, out.artifact as ArtifactName);
    if (!src) throw new Error(`artifact ${out.artifact} of job ${entry.jobId} is missing`);
    if (out.role === 'save_ws') {
      if (!entry.clientId || entry.cleared) return;
      const png = await readFile(src);
      this.sockets.sendBinary(entry.clientId, (c) =>
        c.previewMetadata
          ? previewWithMetadataFrame(png, { node_id: out.nodeId, prompt_id: entry.promptId, display_node_id: out.nodeId, parent_node_id: null, real_node_id: out.nodeId, image_type: 'image/png' })
          : previewFrame(png, 'png'),
      );
      return;
    }
    const type = out.role === 'save' ? 'output' : 'temp';
    const split = out.role === 'save' ? (splitPrefix(out.prefix) ?? { subfolder: '', prefix: 'AdForge' }) : { subfolder: '', prefix: `ComfyUI_temp_${randomLetters(5)}` };
    const dir = join(this.dirs[type], split.subfolder);
    await mkdir(dir, { recursive: true });
    const filename = await nextOutputName(dir, split.prefix);
    await copyFile(src, join(dir, filename));
    const ref: ImageRef = { filename, subfolder: split.subfolder, type };
    entry.outputs[out.nodeId] = { images: [ref] };
    this.message(entry, 'executed', { node: out.nodeId, display_node: out.nodeId, output: { images: [ref] }, prompt_id: entry.promptId });
  }

  /** The scene as a JPEG preview (<= 512 px), like a sampler's latent preview. */
  private async sendScenePreview(entry: PromptEntry): Promise<void> {
    const clientId = entry.clientId;
    if (!clientId || entry.cleared || !this.sockets.has(clientId)) return;
    const src = this.service.artifactPath(entry.jobId, 'step1');
    if (!src) return;
    const jpeg = await sharp(src).resize(512, 512, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
    const node = entry.plan.stages.background ?? entry.plan.order[0];
    this.sockets.sendBinary(clientId, (c) =>
      c.previewMetadata
        ? previewWithMetadataFrame(jpeg, { node_id: node, prompt_id: entry.promptId, display_node_id: node, parent_node_id: null, real_node_id: node, image_type: 'image/jpeg' })
        : previewFrame(jpeg, 'jpeg'),
    );
  }

  private async finish(entry: PromptEntry, job: JobRecord): Promise<void> {
    if (entry.cleared) {
      entry.state = 'done';
      this.entries.delete(entry.promptId);
      this.byJob.delete(entry.jobId);
      await this.service.remove(entry.jobId).catch(() => undefined);
      this.broadcastStatus();
      return;
    }
    const ts = Date.now();
    let ok = false;
    if (job.status === 'completed') {
      try {
        await this.advanceTo(entry, entry.plan.order.length - 1);
        ok = true;
        this.message(entry, 'execution_success', { prompt_id: entry.promptId, timestamp: ts }, { record: true });
      } catch (err) {
        job = { ...job, status: 'failed', error: `saving the outputs failed: ${(err as Error).message}` };
      }
    }
    const node = entry.lastNode ?? entry.plan.order[0] ?? '';
    if (job.status === 'stopped') {
      this.message(
        entry,
        'execution_interrupted',
        { prompt_id: entry.promptId, node_id: node, node_type: this.classOf(entry, node), executed: [...entry.executed], timestamp: ts },
        { record: true, broadcastIfNoClient: true },
      );
    } else if (!ok) {
      this.message(
        entry,
        'execution_error',
        {
          prompt_id: entry.promptId,
          node_id: node,
          node_type: this.classOf(entry, node),
          executed: [...entry.executed],
          exception_message: job.error ?? 'the job failed',
          exception_type: 'adforge.PipelineError',
          traceback: [],
          current_inputs: {},
          current_outputs: [],
          timestamp: ts,
        },
        { record: true },
      );
    }
    // ComfyUI's task_done: history written and the prompt gone from the queue, THEN status and
    // executing(null), so a client reacting to either finds the result.
    const hist: HistoryEntry = {
      prompt: this.queueItem(entry),
      outputs: entry.outputs,
      status: { status_str: ok ? 'success' : 'error', completed: ok, messages: entry.messages },
      meta: Object.fromEntries(Object.keys(entry.outputs).map((id) => [id, { node_id: id, display_node: id, parent_node: null, real_node_id: id }])),
    };
    entry.state = 'done';
    await this.history.set(entry.promptId, hist);
    this.entries.delete(entry.promptId);
    this.byJob.delete(entry.jobId);
    this.broadcastStatus();
    this.message(entry, 'executing', { node: null, prompt_id: entry.promptId });
  }

  // ------------------------------------------------------------------ Comfy Cloud job views

  cloudStatus(promptId: string): CloudStatus | null {
    const e = this.entries.get(promptId);
    if (e && !e.cleared) return e.state === 'pending' ? 'pending' : 'in_progress';
    const h = this.history.get(promptId);
    if (!h) return null;
    if (h.status.status_str === 'success') return 'completed';
    return h.status.messages.some(([t]) => t === 'execution_interrupted') ? 'cancelled' : 'failed';
  }

  cloudJob(promptId: string, detail: boolean): Record<string, unknown> | null {
    const status = this.cloudStatus(promptId);
    if (!status) return null;
    const e = this.entries.get(promptId);
    const h = this.history.get(promptId);
    const item = e ? this.queueItem(e) : (h as HistoryEntry).prompt;
    const extra = item[3];
    const workflow = extra.extra_pnginfo as { workflow?: { id?: unknown } } | undefined;
    const job: Record<string, unknown> = {
      id: promptId,
      status,
      priority: item[0],
      create_time: extra.create_time,
      outputs_count: 0,
      previewable_outputs_count: 0,
    };
    if (typeof workflow?.workflow?.id === 'string') job.workflow_id = workflow.workflow.id;
    if (h) {
      const at = (t: string) => h.status.messages.find(([m]) => m === t)?.[1].timestamp;
      const start = at('execution_start');
      const end = at('execution_success') ?? at('execution_error') ?? at('execution_interrupted');
      if (start !== undefined) job.execution_start_time = start;
      if (end !== undefined) job.execution_end_time = end;
      const err = h.status.messages.find(([m]) => m === 'execution_error');
      if (err) job.execution_error = err[1];
      const items = Object.entries(h.outputs).flatMap(([nodeId, o]) => o.images.map((img) => ({ ...img, nodeId, mediaType: 'images' })));
      job.outputs_count = items.length;
      job.previewable_outputs_count = items.length;
      if (items.length > 0) job.preview_output = items[items.length - 1];
      if (detail) {
        job.outputs = h.outputs;
        job.execution_status = h.status;
      }
    }
    if (detail) job.workflow = { prompt: item[2], extra_data: extra };
    return job;
  }

  allCloudJobs(): Record<string, unknown>[] {
    const ids = [...this.history.ids(), ...[...this.entries.values()].filter((e) => !e.cleared).map((e) => e.promptId)];
    return ids.map((id) => this.cloudJob(id, false)).filter((j): j is Record<string, unknown> => j !== null);
  }

  /** GET /system_stats */
  async systemStats(): Promise<Record<string, unknown>> {
    const health = await this.service.health().catch(() => null);
    const gpus = health?.system_metrics.gpu_info ?? [];
    const devices =
      gpus.length > 0
        ? gpus.map((g) => ({
            name: `${health?.execution_provider ?? 'cuda'}:${g.index} ${g.name}`,
            type: 'cuda',
            index: g.index,
            vram_total: Math.round(g.vram_total_gb * 1024 ** 3),
            vram_free: Math.round((g.vram_total_gb - g.vram_used_gb) * 1024 ** 3),
            torch_vram_total: 0,
            torch_vram_free: 0,
          }))
        : [{ name: 'cpu', type: 'cpu', index: null, vram_total: os.totalmem(), vram_free: os.freemem(), torch_vram_total: 0, torch_vram_free: 0 }];
    return {
      system: {
        // SDKs use os only to encode model paths; "posix" is what they expect from Linux/macOS servers.
        os: process.platform === 'win32' ? 'nt' : 'posix',
        ram_total: os.totalmem(),
        ram_free: os.freemem(),
        comfyui_version: COMFYUI_VERSION,
        python_version: `AdForge Studio ${health?.version ?? ''} on Node ${process.versions.node}`.trim(),
        pytorch_version: 'none (onnxruntime)',
        embedded_python: false,
        argv: process.argv.slice(1),
      },
      devices,
    };
  }
}

function randomLetters(n: number): string {
  const a = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < n; i++) s += a[Math.floor(Math.random() * a.length)];
  return s;
}

const cores = new WeakMap<StudioService, ComfyCore>();

/** The one ComfyCore of a service (the 8188 server and /comfy/ share it). */
export function comfyCoreFor(service: StudioService, opts: Omit<ComfyCoreOptions, 'service'>): ComfyCore {
  let core = cores.get(service);
  if (!core) {
    core = new ComfyCore({ ...opts, service });
    cores.set(service, core);
  }
  return core;
}

/** Drops the shared core (its sockets and event subscription); call when the service closes. */
export function closeComfyCore(service: StudioService): void {
  cores.get(service)?.close();
  cores.delete(service);
}
