// The ComfyUI side of one StudioService, wiring the parts together: POST /prompt becomes one
// service job (queue:true) in the prompt registry; the service's job events go through each
// prompt's PromptRun (the pure event translator) and its effects are carried out here, in order:
// socket messages and frames, output files, history. One instance per service, shared by the
// 8188 server and /comfy/ on the main port, so both see the same queue.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../core/errors';
import { isActive, type ArtifactName } from '../../../core/jobs';
import type { JobEvent, JobRecord, StudioService } from '../../../core/service';
import { previewFrame, previewWithMetadataFrame, type PreviewFormat, type PreviewMetadata } from './binary';
import { comfyDirs, listInputImages, type ComfyDirs } from './files';
import { GraphError, translateGraph, type GraphPlan } from './graph';
import type { HistoryStore, ImageRef } from './history';
import type { NodeContext } from './nodes';
import type { Effect } from './event-translator';
import { readOutputImage, scenePreviewJpeg, writeOutputImage } from './outputs';
import { requestFromPlan } from './plan-request';
import { promptIdTaken, PromptRejected, readPromptBody, serviceRejection } from './prompt-body';
import { PromptRegistry, type PromptEntry } from './prompt-registry';
import { ComfySockets, type ComfyClient } from './sockets';
import { hostInfo, systemStats } from './system-stats';
import { serverLimits, type DeepPartial, type RequestLimits } from '../../limits';
import { QueueGate } from '../../queue-gate';

export const COMFY_CLIENT = 'comfy';

export interface ComfyCoreOptions {
  service: StudioService;
  dataDir: string;
  /** Largest accepted upload in bytes (reported by /features). */
  maxUploadBytes: number;
  /** Silence after which a socket gets a `status` keep-alive; 0 disables. */
  heartbeatMs?: number;
  /** Queue and graph bounds (config.limits); defaults where left out. */
  limits?: DeepPartial<RequestLimits>;
  /** Largest accepted image in pixels, for uploads (config.maxPixels). */
  maxPixels?: number;
  /** Secrets never to echo (the API key): /system_stats redacts them from the command line. */
  secrets?: (string | null | undefined)[];
  log?: (message: string) => void;
}

export class ComfyCore {
  readonly dirs: ComfyDirs;
  readonly registry: PromptRegistry;
  readonly sockets: ComfySockets;
  readonly limits: RequestLimits;
  private readonly gate: QueueGate;
  private unsubscribe: () => void;
  private ready: Promise<void>;
  private log: (m: string) => void;

  constructor(private opts: ComfyCoreOptions) {
    this.log = opts.log ?? (() => undefined);
    this.limits = serverLimits(opts.limits);
    this.dirs = comfyDirs(opts.dataDir);
    this.registry = new PromptRegistry(join(opts.dataDir, 'comfy', 'history.json'), Date.now, join(opts.dataDir, 'comfy', 'queue.json'));
    this.gate = new QueueGate(opts.service, COMFY_CLIENT, this.limits.queue.comfy);
    this.sockets = new ComfySockets(
      {
        statusData: () => this.statusData(),
        features: () => this.features(),
        onConnect: (c) => this.onConnect(c),
      },
      opts.heartbeatMs,
    );
    // Prompts the last process had queued come back as failed "interrupted" history entries.
    this.ready = Promise.all([...Object.values(this.dirs).map((d) => mkdir(d, { recursive: true })), this.registry.load()])
      .then(() => this.registry.recoverInterrupted((jobId) => opts.service.get(jobId)))
      .then((ids) => {
        if (ids.length > 0) this.log(`comfy: ${ids.length} prompt(s) interrupted by the last shutdown are in history as failed`);
      });
    this.unsubscribe = opts.service.onEvent((e) => this.onEvent(e));
  }

  get service(): StudioService {
    return this.opts.service;
  }

  get history(): HistoryStore {
    return this.registry.history;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  close(): void {
    this.unsubscribe();
    this.gate.close();
    this.sockets.close();
  }

  get maxUploadBytes(): number {
    return this.opts.maxUploadBytes;
  }

  get maxPixels(): number | undefined {
    return this.opts.maxPixels;
  }

  features(): Record<string, unknown> {
    return { supports_preview_metadata: true, max_upload_size: this.opts.maxUploadBytes };
  }

  /** Jobs still ahead in the lane: every family's, plus our prompts not yet written to history. */
  queueRemaining(): number {
    return this.registry.queueRemaining(this.service.counts().active_jobs, (jobId) => {
      const job = this.service.get(jobId);
      return !!job && isActive(job.status);
    });
  }

  statusData(): Record<string, unknown> {
    return { status: { exec_info: { queue_remaining: this.queueRemaining() } } };
  }

  broadcastStatus(): void {
    this.sockets.broadcast({ type: 'status', data: this.statusData() });
  }

  private onConnect(client: ComfyClient): void {
    for (const e of this.registry.all()) {
      if (e.clientId !== client.id) continue;
      for (const message of e.run.reconnectMessages()) this.sockets.sendTo(client, message);
    }
  }

  /** POST /free with unload_models or free_memory: the engines are released after the current job. */
  freeEngines(): void {
    this.service.freeEngines().catch((err: unknown) => this.log(`comfy /free: ${err instanceof Error ? err.message : String(err)}`));
  }

  async nodeContext(): Promise<NodeContext> {
    await this.ready;
    return { inputFiles: await listInputImages(this.dirs.input), fonts: this.service.fonts().map((f) => f.name) };
  }

  /** GET /queue */
  queueView(): { queue_running: unknown[]; queue_pending: unknown[] } {
    return {
      queue_running: this.registry.running().map((e) => this.registry.queueItem(e)),
      queue_pending: this.registry.pending().map((e) => this.registry.queueItem(e)),
    };
  }

  async systemStats(): Promise<Record<string, unknown>> {
    const secrets = (this.opts.secrets ?? []).filter((x): x is string => typeof x === 'string' && x.length > 0);
    return systemStats(await this.service.health().catch(() => null), hostInfo(), secrets);
  }

  // ------------------------------------------------------------------ submit and control

  /**
   * POST /prompt: validate, translate, submit with queue:true; resolves to ComfyUI's 200 body.
   * `owner` (the submitter's key digest) routes the messages of a prompt without client_id.
   * Past the queue bound: FamilyQueueFullError (503 + Retry-After) before the graph is even read.
   */
  async submitPrompt(body: unknown, owner: string | null = null): Promise<{ prompt_id: string; number: number; node_errors: Record<string, unknown> }> {
    await this.ready;
    const p = readPromptBody(body);
    if (p.promptId !== null && this.registry.isUsed(p.promptId)) throw promptIdTaken(p.promptId);
    const promptId = p.promptId ?? randomUUID();
    return this.gate.admit(async () => {
      let plan: GraphPlan;
      try {
        plan = translateGraph(p.graph, await this.nodeContext(), { targets: p.targets, limits: this.limits.graph });
      } catch (err) {
        if (err instanceof GraphError) throw new PromptRejected(err.body);
        throw err;
      }
      let job: JobRecord;
      try {
        job = await this.service.submit(await requestFromPlan(plan, this.dirs.input), { queue: true, client: COMFY_CLIENT });
      } catch (err) {
        // A busy lane or a full disk is the server's state, not the prompt's fault: its own shape.
        if (err instanceof AppError && err.status !== 503 && err.status !== 507) throw serviceRejection(err, plan, p.graph);
        throw err;
      }
      return this.register(promptId, p, plan, job, owner);
    });
  }

  private register(
    promptId: string,
    p: ReturnType<typeof readPromptBody>,
    plan: GraphPlan,
    job: JobRecord,
    owner: string | null,
  ): { prompt_id: string; number: number; node_errors: Record<string, unknown> } {
    const number = this.registry.nextNumber(p.number, p.front);
    const extraData = { ...p.extraData, create_time: Math.round(job.created_at * 1000) };
    const graph = p.graph as Record<string, unknown>;
    const { entry, early } = this.registry.add({ promptId, number, graph, extraData, clientId: p.clientId, owner, plan, jobId: job.job_id });
    this.broadcastStatus();
    for (const e of early) this.enqueue(entry, e);
    return { prompt_id: promptId, number, node_errors: plan.nodeErrors };
  }

  async interrupt(promptId?: string): Promise<void> {
    const one = promptId ? this.registry.get(promptId) : undefined;
    const targets = promptId ? [one].filter((e): e is PromptEntry => !!e && e.run.state === 'running') : this.registry.running();
    await Promise.all(targets.map((e) => this.service.stop(e.jobId).catch(() => undefined)));
  }

  /** Comfy Cloud's cancel of a pending prompt: dequeued and its job stopped; history keeps it as cancelled. */
  async cancelPending(promptId: string): Promise<boolean> {
    const victim = this.registry.cancelPending(promptId);
    if (!victim) return false;
    await this.service.stop(victim.jobId).catch(() => undefined);
    this.broadcastStatus();
    return true;
  }

  /** POST /queue: clear and/or delete pending prompts (never the running one). */
  async editQueue(clear: boolean, del: string[]): Promise<void> {
    const victims = this.registry.clearPending(clear, del);
    await Promise.all(victims.map((e) => this.service.stop(e.jobId).catch(() => undefined)));
    if (victims.length > 0) this.broadcastStatus();
  }

  // ------------------------------------------------------------------ events → effects

  private onEvent(ev: JobEvent): void {
    if (ev.type === 'deleted') return;
    const entry = this.registry.forJob(ev.job.job_id);
    if (!entry) {
      // Ours, but submit() has not returned its id yet: replayed once it has.
      if (ev.job.client === COMFY_CLIENT) this.registry.holdEarly(ev.job.job_id, ev);
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

  /** Runs the translator over one event, carrying out each effect before asking for the next. */
  private async handle(entry: PromptEntry, ev: JobEvent): Promise<void> {
    const steps = entry.run.translate(ev);
    let answer: { ok: true; value: ImageRef | undefined } | { ok: false; error: unknown } = { ok: true, value: undefined };
    for (;;) {
      const step: IteratorResult<Effect, void> = answer.ok ? steps.next(answer.value) : steps.throw(answer.error);
      if (step.done) return;
      try {
        // Effects without file work complete synchronously, as one uninterrupted sequence.
        const result = this.apply(entry, step.value);
        answer = { ok: true, value: result instanceof Promise ? await result : result };
      } catch (error) {
        answer = { ok: false, error };
      }
    }
  }

  private apply(entry: PromptEntry, effect: Effect): ImageRef | undefined | Promise<ImageRef | undefined> {
    switch (effect.kind) {
      case 'send':
        this.sockets.send(effect.clientId, effect.message);
        return undefined;
      case 'broadcast':
        this.sockets.broadcast(effect.message);
        return undefined;
      case 'owner':
        this.sockets.sendToOwner(effect.owner, effect.message);
        return undefined;
      case 'status':
        this.broadcastStatus();
        return undefined;
      case 'preview':
        return this.sendScenePreview(entry, effect.clientId, effect.meta);
      case 'image': {
        const src = this.artifact(entry, effect.artifact);
        return effect.clientId ? this.sendFrame(effect.clientId, readOutputImage(src), 'png', effect.meta) : undefined;
      }
      case 'save':
        return writeOutputImage(this.dirs, this.artifact(entry, effect.artifact), effect.role, effect.prefix);
      case 'discard':
        this.registry.forget(entry);
        return this.service.remove(entry.jobId).then(
          () => undefined,
          () => undefined,
        );
      case 'complete':
        return this.registry.complete(entry, effect.result).then(() => undefined);
    }
  }

  private artifact(entry: PromptEntry, name: ArtifactName): string {
    const src = this.service.artifactPath(entry.jobId, name);
    if (!src) throw new Error(`artifact ${name} of job ${entry.jobId} is missing`);
    return src;
  }

  /** The scene as a JPEG preview (<= 512 px); skipped when the client is gone or the scene is not there. */
  private async sendScenePreview(entry: PromptEntry, clientId: string, meta: PreviewMetadata): Promise<undefined> {
    if (!this.sockets.has(clientId)) return undefined;
    const src = this.service.artifactPath(entry.jobId, 'step1');
    if (!src) return undefined;
    return this.sendFrame(clientId, scenePreviewJpeg(src), 'jpeg', meta);
  }

  /** Event 4 (with metadata) to sockets that negotiated supports_preview_metadata, else event 1. */
  private async sendFrame(clientId: string, image: Promise<Buffer>, format: PreviewFormat, meta: PreviewMetadata): Promise<undefined> {
    const bytes = await image;
    this.sockets.sendBinary(clientId, (c) => (c.previewMetadata ? previewWithMetadataFrame(bytes, meta) : previewFrame(bytes, format)));
    return undefined;
  }
}

export function createComfyCore(opts: ComfyCoreOptions): ComfyCore {
  return new ComfyCore(opts);
}

// The main app's /comfy/ plugin and the 8188 server are registered separately with only the
// service in common, so they find their shared core here. Callers that create the core themselves
// (createComfyCore) and pass it to both do not need this registry.
const cores = new WeakMap<StudioService, ComfyCore>();

/** The one ComfyCore of a service (the 8188 server and /comfy/ share it). */
export function comfyCoreFor(service: StudioService, opts: Omit<ComfyCoreOptions, 'service'>): ComfyCore {
  let core = cores.get(service);
  if (!core) {
    core = createComfyCore({ ...opts, service });
    cores.set(service, core);
  }
  return core;
}

/** Drops the shared core (its sockets and event subscription); call when the service closes. */
export function closeComfyCore(service: StudioService): void {
  cores.get(service)?.close();
  cores.delete(service);
}
