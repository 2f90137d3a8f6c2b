// The event translator alone: plain arrays of job events in, the ComfyUI effect sequence out, in
// the order comfyui-protocol.md §5.3 prescribes. No server, no sockets, no files, a fake clock.
import { describe, expect, it } from 'vitest';
import type { SubStepId } from '../../../core/jobs';
import { PromptRun, translateEvents, type Effect, type SaveEffect, type TranslatorPrompt, type TranslatorEvent } from './event-translator';
import { translateGraph } from './graph';
import type { ImageRef } from './history';

const ctx = { inputFiles: ['bottle.png'], fonts: ['NanumSquare/NanumSquareB.ttf'] };
const PID = '8ace3185-0000-4000-8000-000000000001';

/** Load → Background → [PreviewImage of the scene] → 3D text → Compose → SaveImage + SaveImageWebsocket. */
function graph(): Record<string, unknown> {
  return {
    '1': { class_type: 'AdForgeLoadProductImage', inputs: { image: 'bottle.png' } },
    '2': {
      class_type: 'AdForgeBackground',
      inputs: {
        product: ['1', 0],
        bg_prompt: 'marble',
        bg_negative_prompt: '',
        seed: 7,
        aspect_ratio: '1:1',
        long_edge: 512,
        product_scale: 0.5,
        strength: 0.6,
        guidance_scale: 3.5,
        steps: 4,
      },
    },
    '3': {
      class_type: 'AdForge3DText',
      inputs: { scene: ['2', 0], text: 'SALE', style_prompt: 'chrome', negative_prompt: '', font_name: 'NanumSquare/NanumSquareB.ttf' },
    },
    '4': {
      class_type: 'AdForgeCompose',
      inputs: { scene: ['2', 0], text_layer: ['3', 0], composition_mode: 'overlay', text_position: 'top', composition_strength: 0.3 },
    },
    '5': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
    '9': { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: 'ads/summer' } },
    '10': { class_type: 'SaveImageWebsocket', inputs: { images: ['4', 0] } },
  };
}

function prompt(clientId: string | null = 'c1'): TranslatorPrompt & { cleared: boolean } {
  const g = graph();
  return { promptId: PID, clientId, graph: g, plan: translateGraph(g, ctx), cleared: false };
}

function clock(start = 1000): () => number {
  let t = start;
  return () => t++;
}

type Job = { status: 'pending' | 'running' | 'completed' | 'failed' | 'stopped'; error: string | null; sub_step: SubStepId | null; start_time: number | null };
const job = (over: Partial<Job> = {}): Job => ({ status: 'running', error: null, sub_step: null, start_time: 1, ...over });
const created = (): TranslatorEvent => ({ type: 'created', job: job({ status: 'pending', start_time: null }) });
const started = (sub: SubStepId): TranslatorEvent => ({ type: 'started', job: job({ sub_step: sub }) });
const progress = (sub: SubStepId): TranslatorEvent => ({ type: 'progress', job: job({ sub_step: sub }) });
const result = (artifact: 'step1' | 'final'): TranslatorEvent => ({ type: 'step-result', job: job(), artifact });
const finished = (status: Job['status'], error: string | null = null, startTime: number | null = 1): TranslatorEvent => ({
  type: 'finished',
  job: job({ status, error, start_time: startTime }),
});

const saved = (e: SaveEffect): ImageRef =>
  e.role === 'save'
    ? { filename: `${e.prefix.split('/').pop()}_00001_.png`, subfolder: e.prefix.split('/').slice(0, -1).join('/'), type: 'output' }
    : { filename: 'ComfyUI_temp_abcde_00001_.png', subfolder: '', type: 'temp' };

/** One readable token per effect: "send:<type>", "broadcast:<type>", or the effect kind. */
const kinds = (effects: Effect[]) => effects.map((e) => (e.kind === 'send' || e.kind === 'broadcast' ? `${e.kind}:${e.message.type}` : e.kind));
const sent = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'send' || e.kind === 'broadcast' ? [e.message] : []));

const FULL_RUN: TranslatorEvent[] = [
  created(),
  started('decode_product'),
  progress('segmentation'),
  progress('segmentation'),
  progress('background_generation'),
  result('step1'),
  progress('text_layout'),
  progress('composition'),
  result('final'),
  finished('completed'),
];

describe('PromptRun (job events → ComfyUI messages)', () => {
  it('a prompt with a client: the whole sequence, in the protocol order, with exact payloads', () => {
    const run = new PromptRun(prompt(), clock());
    const effects = translateEvents(run, FULL_RUN, saved);
    const c = 'c1';
    const send = (type: string, data: Record<string, unknown>) => ({ kind: 'send', clientId: c, message: { type, data } });
    const prog = (node: string, value: number, max: number) => [
      send('progress', { value, max, prompt_id: PID, node }),
      send('progress_state', {
        prompt_id: PID,
        nodes: { [node]: { value, max, state: 'running', node_id: node, prompt_id: PID, display_node_id: node, parent_node_id: null, real_node_id: node } },
      }),
    ];
    const exec = (node: string) => send('executing', { node, display_node: node, prompt_id: PID });
    const outTemp = { filename: 'ComfyUI_temp_abcde_00001_.png', subfolder: '', type: 'temp' };
    const outSaved = { filename: 'summer_00001_.png', subfolder: 'ads', type: 'output' };
    const meta = (node: string, image_type: string) => ({
      node_id: node,
      prompt_id: PID,
      display_node_id: node,
      parent_node_id: null,
      real_node_id: node,
      image_type,
    });
    const messages = [
      ['execution_start', { prompt_id: PID, timestamp: 1000 }],
      ['execution_cached', { nodes: [], prompt_id: PID, timestamp: 1001 }],
      ['execution_success', { prompt_id: PID, timestamp: 1002 }],
    ];
    expect(effects).toEqual([
      // created: still pending, nothing to say. started: the worker took it.
      { kind: 'status' },
      send(messages[0][0] as string, messages[0][1] as Record<string, unknown>),
      send(messages[1][0] as string, messages[1][1] as Record<string, unknown>),
      exec('1'),
      ...prog('1', 0, 7),
      exec('2'),
      ...prog('2', 1, 7),
      // the repeated segmentation report is not sent twice
      ...prog('2', 2, 7),
      // the scene: a JPEG preview of the background node, then the scene's PreviewImage runs
      { kind: 'preview', clientId: c, artifact: 'step1', meta: meta('2', 'image/jpeg') },
      exec('5'),
      { kind: 'save', nodeId: '5', artifact: 'step1', role: 'preview', prefix: 'ComfyUI_temp' },
      send('executed', { node: '5', display_node: '5', output: { images: [outTemp] }, prompt_id: PID }),
      exec('3'),
      ...prog('3', 0, 3),
      exec('4'),
      ...prog('4', 1, 3),
      // finished: the remaining output nodes run, then success
      exec('9'),
      { kind: 'save', nodeId: '9', artifact: 'final', role: 'save', prefix: 'ads/summer' },
      send('executed', { node: '9', display_node: '9', output: { images: [outSaved] }, prompt_id: PID }),
      exec('10'),
      { kind: 'image', clientId: c, artifact: 'final', meta: meta('10', 'image/png') },
      send('execution_success', messages[2][1] as Record<string, unknown>),
      // task_done: history and off the queue, THEN status, THEN executing(null)
      {
        kind: 'complete',
        result: {
          outputs: { '5': { images: [outTemp] }, '9': { images: [outSaved] } },
          status: { status_str: 'success', completed: true, messages },
          meta: {
            '5': { node_id: '5', display_node: '5', parent_node: null, real_node_id: '5' },
            '9': { node_id: '9', display_node: '9', parent_node: null, real_node_id: '9' },
          },
        },
      },
      { kind: 'status' },
      send('executing', { node: null, prompt_id: PID }),
    ]);
    expect(run.state).toBe('done');
    expect(run.executed).toEqual(['1', '2', '5', '3', '4', '9', '10']);
    // Done is final: late events say nothing.
    expect(translateEvents(run, [progress('encode_final'), finished('completed'), { type: 'deleted' }], saved)).toEqual([]);
  });

  it('every node gets executing once, in order, even when progress skips nodes', () => {
    const run = new PromptRun(prompt(), clock());
    const effects = translateEvents(run, [started('composition'), finished('completed')], saved);
    const executing = sent(effects)
      .filter((m) => m.type === 'executing')
      .map((m) => m.data.node);
    expect(executing).toEqual(['1', '2', '5', '3', '4', '9', '10', null]);
  });

  it('without client_id: only progress, progress_state and interrupts are broadcast; no preview, no frames', () => {
    const p = prompt(null);
    const run = new PromptRun(p, clock());
    const effects = translateEvents(run, [started('decode_product'), result('step1'), finished('completed')], saved);
    expect(kinds(effects)).toEqual(['status', 'broadcast:progress', 'broadcast:progress_state', 'save', 'save', 'image', 'complete', 'status']);
    // The SaveImageWebsocket artifact is still required, but nobody receives it.
    expect(effects.find((e) => e.kind === 'image')).toMatchObject({ clientId: null });
    // History keeps the messages nobody was sent.
    const done = effects.find((e) => e.kind === 'complete');
    expect(done?.kind === 'complete' && done.result.status.messages.map((m) => m[0])).toEqual(['execution_start', 'execution_cached', 'execution_success']);

    const stopped = new PromptRun(prompt(null), clock());
    expect(kinds(translateEvents(stopped, [started('segmentation'), finished('stopped')], saved))).toEqual([
      'status',
      'broadcast:progress',
      'broadcast:progress_state',
      'broadcast:execution_interrupted',
      'complete',
      'status',
    ]);
  });

  it('interrupted: execution_interrupted names the node that was running and what had run', () => {
    const run = new PromptRun(prompt(), clock());
    const effects = translateEvents(run, [created(), started('decode_product'), progress('background_generation'), finished('stopped')], saved);
    const msgs = sent(effects);
    expect(msgs.map((m) => m.type)).toEqual([
      'execution_start',
      'execution_cached',
      'executing',
      'progress',
      'progress_state',
      'executing',
      'progress',
      'progress_state',
      'execution_interrupted',
      'executing',
    ]);
    expect(msgs[8].data).toEqual({ prompt_id: PID, node_id: '2', node_type: 'AdForgeBackground', executed: ['1', '2'], timestamp: 1002 });
    expect(msgs[9].data).toEqual({ node: null, prompt_id: PID });
    const done = effects.find((e) => e.kind === 'complete');
    expect(done).toMatchObject({ result: { outputs: {}, status: { status_str: 'error', completed: false }, meta: {} } });
    expect(done?.kind === 'complete' && done.result.status.messages.map((m) => m[0])).toEqual(['execution_start', 'execution_cached', 'execution_interrupted']);
  });

  it('failed: execution_error carries the job error in ComfyUI`s shape, after the outputs that were written', () => {
    const run = new PromptRun(prompt(), clock());
    const effects = translateEvents(
      run,
      [started('decode_product'), result('step1'), progress('text_generation'), finished('failed', 'the text engine crashed')],
      saved,
    );
    const err = sent(effects).find((m) => m.type === 'execution_error');
    expect(err?.data).toEqual({
      prompt_id: PID,
      node_id: '3',
      node_type: 'AdForge3DText',
      executed: ['1', '2', '5', '3'],
      exception_message: 'the text engine crashed',
      exception_type: 'adforge.PipelineError',
      traceback: [],
      current_inputs: {},
      current_outputs: [],
      timestamp: 1002,
    });
    expect(kinds(effects).slice(-4)).toEqual(['send:execution_error', 'complete', 'status', 'send:executing']);
    // The scene's preview was written before the failure and stays in the history outputs.
    expect(effects.find((e) => e.kind === 'complete')).toMatchObject({
      result: { outputs: { '5': { images: [{ type: 'temp' }] } }, status: { status_str: 'error' } },
    });
  });

  it('a failing output write fails a completed job like a failing SaveImage node', () => {
    const run = new PromptRun(prompt(), clock());
    const effects = translateEvents(run, [started('composition'), finished('completed')], (e) => {
      if (e.nodeId === '9') throw new Error('disk full');
      return saved(e);
    });
    const msgs = sent(effects);
    expect(msgs.map((m) => m.type)).not.toContain('execution_success');
    expect(msgs.find((m) => m.type === 'execution_error')?.data).toMatchObject({
      node_id: '9',
      node_type: 'SaveImage',
      exception_message: 'saving the outputs failed: disk full',
      executed: ['1', '2', '5', '3', '4'],
    });
    expect(kinds(effects).slice(-3)).toEqual(['complete', 'status', 'send:executing']);
  });

  it('finished without ever starting (start_time null): no execution_start, straight to the outcome', () => {
    const run = new PromptRun(prompt(), clock());
    const msgs = sent(translateEvents(run, [created(), finished('failed', 'input rejected', null)], saved));
    expect(msgs.map((m) => m.type)).toEqual(['execution_error', 'executing']);
    expect(msgs[0].data).toMatchObject({ node_id: '1', node_type: 'AdForgeLoadProductImage', executed: [], exception_message: 'input rejected' });
  });

  it('a prompt cleared from the queue sends nothing and is discarded without history', () => {
    const p = prompt();
    const run = new PromptRun(p, clock());
    expect(translateEvents(run, [created()], saved)).toEqual([]);
    p.cleared = true;
    expect(translateEvents(run, [finished('stopped', null, null)], saved)).toEqual([{ kind: 'discard' }, { kind: 'status' }]);
    expect(run.state).toBe('done');
  });

  it('reconnect: a running prompt re-announces its node (without prompt_id), others nothing', () => {
    const run = new PromptRun(prompt(), clock());
    expect(run.reconnectMessages()).toEqual([]);
    translateEvents(run, [started('decode_product'), progress('segmentation')], saved);
    expect(run.reconnectMessages()).toEqual([{ type: 'executing', data: { node: '2' } }]);
    translateEvents(run, [finished('completed')], saved);
    expect(run.reconnectMessages()).toEqual([]);
  });
});
