// The pure half of the ComfyUI executor: one prompt's job events (created/started/progress/
// step-result/finished) become ComfyUI's WebSocket sequence, in the order the protocol reference
// prescribes (§5.3): status → execution_start → execution_cached → per node [executing → progress…
// → executed] → execution_success | execution_error | execution_interrupted → (history written,
// prompt off the queue) → status → executing(null). No sockets, no files, no clock of its own:
// every outside action is an Effect the caller carries out in order. Writing an output file is
// the one effect with an answer: the generator is resumed with the written ImageRef (or thrown
// into when writing failed, which fails the prompt the way a failing SaveImage node would).
import { SUB_STEPS, stepOfSubStep, type ArtifactName, type SubStepId } from '../../../core/jobs';
import type { JobRecord } from '../../../core/service';
import type { PreviewMetadata } from './binary';
import type { GraphPlan, OutputBinding } from './graph';
import type { HistoryEntry, ImageRef, StatusMessage } from './history';

export type ComfyMessage = {
  type: string;
  data: Record<string, unknown>;
};

/** What the translator needs of a queued prompt. `cleared` is read live at every step. */
export interface TranslatorPrompt {
  readonly promptId: string;
  readonly clientId: string | null;
  readonly graph: Record<string, unknown>;
  readonly plan: GraphPlan;
  /** Removed by POST /queue: messages are still recorded but none is sent, and no history is kept. */
  readonly cleared: boolean;
  /** Cancelled while pending (Comfy Cloud's cancel): cleared, but its history is kept, as cancelled. */
  readonly cancelled?: boolean;
  /**
   * Who submitted it (API key digest). A prompt without client_id sends its messages to that user's
   * sockets (Comfy Cloud: `/ws?clientId=<any>&token=KEY` gets every job of the key's user).
   */
  readonly owner?: string | null;
}

type EventJob = Pick<JobRecord, 'status' | 'error' | 'sub_step' | 'start_time'>;

/** The service's JobEvent, narrowed to what the translation reads (a JobEvent is one). */
export type TranslatorEvent =
  | { type: 'created' | 'started' | 'progress' | 'finished'; job: EventJob }
  | { type: 'step-result'; job: EventJob; artifact: ArtifactName }
  | { type: 'deleted' };

export type OutputArtifact = OutputBinding['artifact'];

export type Effect =
  /** A text message to the prompt's client socket. */
  | { kind: 'send'; clientId: string; message: ComfyMessage }
  /** A text message to every socket (progress and interrupts of a prompt without client_id). */
  | { kind: 'broadcast'; message: ComfyMessage }
  /** A text message to every socket of the user who submitted a prompt without client_id. */
  | { kind: 'owner'; owner: string; message: ComfyMessage }
  /** Broadcast `status` with the queue as it stands now (the queue is the caller's). */
  | { kind: 'status' }
  /** The scene as a JPEG latent-style preview frame, best effort (skipped when nobody listens). */
  | { kind: 'preview'; clientId: string; artifact: 'step1'; meta: PreviewMetadata }
  /**
   * SaveImageWebsocket: the full PNG as a binary frame. The artifact must exist even when
   * `clientId` is null (no client, or the prompt was cleared), in which case nothing is sent.
   */
  | { kind: 'image'; clientId: string | null; artifact: OutputArtifact; meta: PreviewMetadata }
  /** SaveImage / PreviewImage: copy the artifact into output/ or temp/; resume with its ImageRef. */
  | { kind: 'save'; nodeId: string; artifact: OutputArtifact; role: 'save' | 'preview'; prefix: string }
  /** A cleared prompt finished: forget it and its job, keep no history. */
  | { kind: 'discard' }
  /** ComfyUI's task_done: write the history entry and take the prompt off the queue. */
  | { kind: 'complete'; result: Omit<HistoryEntry, 'prompt'> };

export type SaveEffect = Extract<Effect, { kind: 'save' }>;
export type Steps = Generator<Effect, void, ImageRef | undefined>;
export type RunState = 'pending' | 'running' | 'done';

/** One prompt's position in ComfyUI's message sequence. */
export class PromptRun {
  state: RunState = 'pending';
  /** The last node announced with `executing` (re-sent to a reconnecting client). */
  lastNode: string | null = null;
  readonly executed: string[] = [];
  readonly outputs: Record<string, { images: ImageRef[] }> = {};
  /** The [event, data] pairs kept in the history entry's status.messages. */
  readonly messages: StatusMessage[] = [];
  private orderIndex = -1;
  private delivered = new Set<string>();
  private lastProgress = '';

  constructor(
    private readonly prompt: TranslatorPrompt,
    private readonly now: () => number = Date.now,
  ) {}

  /** Messages for a client reconnecting while this prompt runs (ComfyUI: `executing` without prompt_id). */
  reconnectMessages(): ComfyMessage[] {
    return this.state === 'running' && this.lastNode ? [{ type: 'executing', data: { node: this.lastNode } }] : [];
  }

  /** The effects of one event, in order. Events must be fed one at a time, each run to its end. */
  *translate(ev: TranslatorEvent): Steps {
    if (ev.type === 'deleted' || this.state === 'done') return;
    const { job } = ev;
    const { plan, promptId } = this.prompt;
    const begins = ev.type !== 'created' && (ev.type !== 'finished' || job.start_time !== null);
    if (this.state === 'pending' && begins) {
      this.state = 'running';
      yield { kind: 'status' };
      yield* this.message('execution_start', { prompt_id: promptId, timestamp: this.now() }, { record: true });
      yield* this.message('execution_cached', { nodes: [], prompt_id: promptId, timestamp: this.now() }, { record: true });
      if (ev.type === 'started' && plan.order.length > 0) yield* this.advanceTo(0);
    }
    if ((ev.type === 'progress' || ev.type === 'started') && job.sub_step) yield* this.progress(job.sub_step);
    if (ev.type === 'step-result' && ev.artifact === 'step1') {
      yield* this.scenePreview();
      const lastSceneOutput = plan.order.reduce((acc, id, i) => (plan.outputs.some((o) => o.nodeId === id && o.artifact === 'step1') ? i : acc), -1);
      if (lastSceneOutput >= 0) yield* this.advanceTo(lastSceneOutput);
    }
    if (ev.type === 'finished') yield* this.finish(job);
  }

  private *message(type: string, data: Record<string, unknown>, opts: { record?: boolean; broadcastIfNoClient?: boolean } = {}): Steps {
    if (opts.record) this.messages.push([type, data]);
    if (this.prompt.cleared) return;
    const message = { type, data };
    if (this.prompt.clientId) yield { kind: 'send', clientId: this.prompt.clientId, message };
    else if (opts.broadcastIfNoClient) yield { kind: 'broadcast', message };
    else if (this.prompt.owner) yield { kind: 'owner', owner: this.prompt.owner, message };
  }

  /** Our sub-steps play the part of a sampler's steps: value/max within the node that runs them. */
  private *progress(sub: SubStepId): Steps {
    const node = this.nodeForSubStep(sub);
    if (!node) return;
    const promptId = this.prompt.promptId;
    yield* this.advanceTo(this.prompt.plan.order.indexOf(node));
    const subs = SUB_STEPS[stepOfSubStep(sub)] as readonly { id: string }[];
    const value = subs.findIndex((s) => s.id === sub);
    const key = `${node}:${value}`;
    if (key === this.lastProgress) return;
    this.lastProgress = key;
    yield* this.message('progress', { value, max: subs.length, prompt_id: promptId, node }, { broadcastIfNoClient: true });
    yield* this.message(
      'progress_state',
      {
        prompt_id: promptId,
        nodes: {
          [node]: {
            value,
            max: subs.length,
            state: 'running',
            node_id: node,
            prompt_id: promptId,
            display_node_id: node,
            parent_node_id: null,
            real_node_id: node,
          },
        },
      },
      { broadcastIfNoClient: true },
    );
  }

  private nodeForSubStep(sub: SubStepId): string | null {
    const s = this.prompt.plan.stages;
    if (sub === 'decode_product') return s.load ?? s.background;
    const step = stepOfSubStep(sub);
    if (step === 'step1_background') return s.background ?? s.load;
    if (step === 'step2_text') return s.text;
    return s.compose ?? s.text;
  }

  /** `executing` for every node up to order[target], running output nodes on the way. */
  private *advanceTo(target: number): Steps {
    const { plan, promptId } = this.prompt;
    while (this.orderIndex < target) {
      this.orderIndex++;
      const id = plan.order[this.orderIndex];
      this.lastNode = id;
      yield* this.message('executing', { node: id, display_node: id, prompt_id: promptId });
      const out = plan.outputs.find((o) => o.nodeId === id);
      if (out) yield* this.runOutput(out);
      this.executed.push(id);
    }
  }

  private *runOutput(out: OutputBinding): Steps {
    if (this.delivered.has(out.nodeId)) return;
    this.delivered.add(out.nodeId);
    const { clientId, promptId } = this.prompt;
    if (out.role === 'save_ws') {
      const meta = frameMeta(out.nodeId, promptId, 'image/png');
      yield { kind: 'image', clientId: clientId && !this.prompt.cleared ? clientId : null, artifact: out.artifact, meta };
      return;
    }
    const ref = yield { kind: 'save', nodeId: out.nodeId, artifact: out.artifact, role: out.role, prefix: out.prefix };
    if (!ref) throw new Error(`no file was written for output node ${out.nodeId}`);
    this.outputs[out.nodeId] = { images: [ref] };
    yield* this.message('executed', { node: out.nodeId, display_node: out.nodeId, output: { images: [ref] }, prompt_id: promptId });
  }

  /** The finished scene as a preview of the background node, like a sampler's latent preview. */
  private *scenePreview(): Steps {
    const { clientId, plan, promptId } = this.prompt;
    if (!clientId || this.prompt.cleared) return;
    const node = plan.stages.background ?? plan.order[0];
    yield { kind: 'preview', clientId, artifact: 'step1', meta: frameMeta(node, promptId, 'image/jpeg') };
  }

  private *finish(job: EventJob): Steps {
    const { plan, promptId } = this.prompt;
    if (this.prompt.cleared && !this.prompt.cancelled) {
      this.state = 'done';
      yield { kind: 'discard' };
      yield { kind: 'status' };
      return;
    }
    const ts = this.now();
    let status = job.status;
    let error = job.error;
    let ok = false;
    if (status === 'completed') {
      try {
        yield* this.advanceTo(plan.order.length - 1);
        ok = true;
        yield* this.message('execution_success', { prompt_id: promptId, timestamp: ts }, { record: true });
      } catch (err) {
        status = 'failed';
        error = `saving the outputs failed: ${(err as Error).message}`;
      }
    }
    const node = this.lastNode ?? plan.order[0] ?? '';
    const failure = { prompt_id: promptId, node_id: node, node_type: this.classOf(node), executed: [...this.executed] };
    if (status === 'stopped') {
      yield* this.message('execution_interrupted', { ...failure, timestamp: ts }, { record: true, broadcastIfNoClient: true });
    } else if (!ok) {
      const data = {
        ...failure,
        exception_message: error ?? 'the job failed',
        exception_type: 'adforge.PipelineError',
        traceback: [],
        current_inputs: {},
        current_outputs: [],
        timestamp: ts,
      };
      yield* this.message('execution_error', data, { record: true });
    }
    // task_done: the history exists and the prompt is off the queue BEFORE the status broadcast and
    // executing(null), so a client reacting to either finds the result.
    this.state = 'done';
    yield {
      kind: 'complete',
      result: {
        outputs: this.outputs,
        status: { status_str: ok ? 'success' : 'error', completed: ok, messages: this.messages },
        meta: Object.fromEntries(Object.keys(this.outputs).map((id) => [id, { node_id: id, display_node: id, parent_node: null, real_node_id: id }])),
      },
    };
    yield { kind: 'status' };
    yield* this.message('executing', { node: null, prompt_id: promptId });
  }

  private classOf(node: string): string {
    const n = this.prompt.graph[node] as { class_type?: unknown } | undefined;
    return typeof n?.class_type === 'string' ? n.class_type : '';
  }
}

function frameMeta(node: string, promptId: string, imageType: PreviewMetadata['image_type']): PreviewMetadata {
  return { node_id: node, prompt_id: promptId, display_node_id: node, parent_node_id: null, real_node_id: node, image_type: imageType };
}

/**
 * Feeds events through a run synchronously and returns every effect, `save` effects answered by
 * `save` (which may throw, like a failing disk). For tests and tools; the server drives runs itself.
 */
export function translateEvents(run: PromptRun, events: TranslatorEvent[], save: (effect: SaveEffect) => ImageRef): Effect[] {
  const effects: Effect[] = [];
  for (const ev of events) {
    const steps = run.translate(ev);
    let answer: { ok: true; value: ImageRef | undefined } | { ok: false; error: unknown } = { ok: true, value: undefined };
    for (;;) {
      const step: IteratorResult<Effect, void> = answer.ok ? steps.next(answer.value) : steps.throw(answer.error);
      if (step.done) break;
      effects.push(step.value);
      try {
        answer = { ok: true, value: step.value.kind === 'save' ? save(step.value) : undefined };
      } catch (error) {
        answer = { ok: false, error };
      }
    }
  }
  return effects;
}
