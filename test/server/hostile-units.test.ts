// Issue 10, the pure parts of "hostile clients and floods": graph bounds and linear, stack-safe
// validation (items 6, 8), JSON nesting (7), history that one bad prompt cannot stop saving (7),
// secret and path redaction (10, 12), signed /api/view URLs (3), AdGen's duration (5), and the
// per-family queue gate (9). The same behaviours run end to end in test/hostile/.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_LIMITS } from '../../src-main/core/limits';
import { BusyError } from '../../src-main/core/errors';
import type { JobEvent, JobRecord, StudioService } from '../../src-main/core/service';
import { runDuration } from '../../src-main/server/families/adgen';
import { GraphError, translateGraph, type ComfyErrorBody } from '../../src-main/server/families/comfy/graph';
import { HistoryStore, type HistoryEntry } from '../../src-main/server/families/comfy/history';
import { PromptRegistry } from '../../src-main/server/families/comfy/prompt-registry';
import { isSafeSubfolder } from '../../src-main/server/families/comfy/files';
import { jsonDepthExceeds, serverLimits } from '../../src-main/server/limits';
import { parseJsonBody } from '../../src-main/server/json-body';
import { FamilyQueueFullError, QueueGate } from '../../src-main/server/queue-gate';
import { nameErrorOf, publicMessage, redactArgv, redactUrl } from '../../src-main/server/redact';
import { hasValidSignature, isSignedViewRequest, signedPath } from '../../src-main/server/signed-url';

const ctx = { inputFiles: ['bottle.png'], fonts: ['NanumSquare/NanumSquareB.ttf'] };

function adGraph(): Record<string, unknown> {
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
    '3': { class_type: 'AdForge3DText', inputs: { scene: ['2', 0], text: 'SALE', style_prompt: 'chrome', negative_prompt: '', font_name: '(default)' } },
    '4': {
      class_type: 'AdForgeCompose',
      inputs: { scene: ['2', 0], text_layer: ['3', 0], composition_mode: 'overlay', text_position: 'top', composition_strength: 0.3 },
    },
    '9': { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: 'AdForge' } },
  };
}

function rejected(raw: unknown, limits = DEFAULT_REQUEST_LIMITS.graph): ComfyErrorBody {
  try {
    translateGraph(raw, ctx, { limits });
  } catch (err) {
    if (err instanceof GraphError) return err.body;
    throw err;
  }
  throw new Error('graph was accepted');
}

/** A chain of n AdForgeBackground nodes, each taking the previous one's scene as its product. */
function chain(n: number): Record<string, unknown> {
  const g: Record<string, unknown> = { '0': { class_type: 'AdForgeLoadProductImage', inputs: { image: 'bottle.png' } } };
  const bg = (adGraph()['2'] as { inputs: Record<string, unknown> }).inputs;
  for (let i = 1; i <= n; i++) g[String(i)] = { class_type: 'AdForgeBackground', inputs: { ...bg, product: [String(i - 1), 0] } };
  g.out = { class_type: 'SaveImage', inputs: { images: [String(n), 0], filename_prefix: 'x' } };
  return g;
}

describe('ComfyUI graph bounds (items 6 and 8)', () => {
  it('refuses a 10,000-node graph by its node count, in well under 50 ms, naming the bound', () => {
    const g: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) g[String(i)] = { class_type: 'PreviewImage', inputs: { images: [String(i + 1), 0] } };
    const t0 = performance.now();
    const body = rejected(g);
    const ms = performance.now() - t0;
    expect(body.error).toMatchObject({ type: 'invalid_prompt', extra_info: { bound: 'maxNodes', limit: 500, actual: 10_000 } });
    expect(body.error.details).toMatch(/number of nodes: 10000 exceeds the limit of 500/);
    expect(ms).toBeLessThan(50);
  });

  it('a 3,000-node chain never overflows the stack: with room for it, the depth bound refuses it', () => {
    const limits = { ...DEFAULT_REQUEST_LIMITS.graph, maxNodes: 5000 };
    const body = rejected(chain(3000), limits);
    expect(body.error).toMatchObject({ type: 'invalid_prompt', extra_info: { bound: 'maxDepth', limit: 64 } });
    // With every bound lifted the walk still completes (iteratively) and reports ComfyUI's own error.
    const open = rejected(chain(3000), { maxNodes: 10_000, maxDepth: 10_000, maxInputBytes: 1e6, maxOutputs: 8 });
    expect(open.error.type).toBe('prompt_outputs_failed_validation');
    expect(JSON.stringify(open)).not.toMatch(/call stack/i);
  });

  it('validation is linear: 5,000 nodes fanning into one output check in milliseconds, not seconds', () => {
    const g = adGraph();
    for (let i = 0; i < 5000; i++) g[`p${i}`] = { class_type: 'PreviewImage', inputs: { images: ['2', 0] } };
    const t0 = performance.now();
    // 5000 outputs: refused by the output bound before any walk; lift it to time the walk itself.
    const plan = translateGraph(g, ctx, { limits: { maxNodes: 10_000, maxDepth: 64, maxInputBytes: 65536, maxOutputs: 10_000 } });
    expect(plan.outputs).toHaveLength(5001);
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(rejected(g, { ...DEFAULT_REQUEST_LIMITS.graph, maxNodes: 10_000 }).error.extra_info).toMatchObject({ bound: 'maxOutputs', limit: 8 });
  });

  it('50 SaveImage nodes on one image are refused by the output bound (a 5 KB prompt cannot write 215 MB)', () => {
    const g = adGraph();
    for (let i = 0; i < 50; i++) g[`s${i}`] = { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: `fan${i}` } };
    expect(rejected(g).error).toMatchObject({ type: 'invalid_prompt', extra_info: { bound: 'maxOutputs', limit: 8, actual: 51 } });
  });

  it('a huge input value (even one no node reads) and a huge _meta are refused by the input bound', () => {
    const big = adGraph();
    (big['2'] as { inputs: Record<string, unknown> }).inputs.junk = 'x'.repeat(200_000);
    expect(rejected(big).error.extra_info).toMatchObject({ bound: 'maxInputBytes', limit: 65536 });
    const meta = adGraph();
    (meta['9'] as Record<string, unknown>)._meta = { title: 'y'.repeat(70_000) };
    expect(rejected(meta).error.extra_info).toMatchObject({ bound: 'maxInputBytes' });
  });

  it('cycles are ComfyUI dependency_cycle errors; a traversing SaveImage prefix is refused before it runs', () => {
    const g = adGraph();
    (g['1'] as Record<string, unknown>).class_type = 'AdForgeBackground';
    (g['1'] as Record<string, unknown>).inputs = { ...(g['2'] as { inputs: object }).inputs, product: ['2', 0] };
    const body = rejected(g);
    expect(JSON.stringify(body.node_errors)).toMatch(/dependency_cycle/);
    const t = adGraph();
    (t['9'] as { inputs: Record<string, unknown> }).inputs.filename_prefix = '../../../etc/x';
    expect(rejected(t).node_errors['9'].errors[0].details).toMatch(/filename_prefix/);
  });

  it('subfolder names: plain parts of at most 255 bytes, 1 KiB in all', () => {
    expect(isSafeSubfolder('')).toBe(true);
    expect(isSafeSubfolder('a/b')).toBe(true);
    expect(isSafeSubfolder('x'.repeat(300))).toBe(false);
    expect(isSafeSubfolder('가'.repeat(100))).toBe(false); // 300 bytes
    expect(isSafeSubfolder('a/'.repeat(600))).toBe(false);
  });
});

describe('JSON bodies (item 7 and the deep JSON / __proto__ cases)', () => {
  it('nesting is measured in one pass, strings and escapes skipped', () => {
    expect(jsonDepthExceeds('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
    const deep = `${'['.repeat(6000)}${']'.repeat(6000)}`;
    const t0 = performance.now();
    expect(jsonDepthExceeds(deep, 64)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(20);
  });

  it('parseJsonBody refuses deep nesting and __proto__ with a 400 naming the body', () => {
    expect(() => parseJsonBody(`{"extra_data":${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}}`)).toThrow(/nested deeper than 64 levels/);
    expect(() => parseJsonBody('{"__proto__":{"polluted":true}}')).toThrow(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parseJsonBody('{"a":[[1]]}')).toEqual({ a: [[1]] });
  });
});

describe('ComfyUI history persistence (item 7)', () => {
  const entry = (n: number, extra: Record<string, unknown> = {}) =>
    ({
      prompt: [n, `p${n}`, {}, extra, []],
      outputs: {},
      status: { status_str: 'success', completed: true, messages: [] },
      meta: {},
    }) as unknown as HistoryEntry;

  it('one entry JSON cannot hold (6,000 levels deep) never stops the others from being saved', async () => {
    const file = join(mkdtempSync(join(os.tmpdir(), 'adforge-hist-')), 'history.json');
    const h = new HistoryStore(file);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20_000; i++) deep = (deep.d = {}) as Record<string, unknown>;
    for (let i = 0; i < 22; i++) await h.set(`p${i}`, entry(i, i === 3 ? { root } : {}));
    expect(h.size).toBe(22);
    expect(JSON.stringify(h.slice()).length).toBeGreaterThan(100); // GET /history still serialises
    const again = new HistoryStore(file);
    await again.load();
    expect(again.size).toBe(22);
    expect(again.get('p3')?.prompt[3]).toMatchObject({ note: expect.stringMatching(/could not be stored as JSON/) });
    expect(again.get('p21')?.prompt[1]).toBe('p21');
  });

  it('a prompt queued when the process died comes back as a failed, interrupted history entry (item 15)', async () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'adforge-queue-'));
    const plan = { outputs: [{ nodeId: '9' }] } as never;
    const a = new PromptRegistry(join(dir, 'history.json'), Date.now, join(dir, 'queue.json'));
    a.add({ promptId: 'queued-1', number: 4, graph: { '9': {} }, extraData: { client_id: 'c' }, clientId: 'c', plan, jobId: 'job-1' });
    await a.flushQueue();
    expect(JSON.parse(readFileSync(join(dir, 'queue.json'), 'utf8'))).toHaveLength(1);
    const b = new PromptRegistry(join(dir, 'history.json'), Date.now, join(dir, 'queue.json'));
    await b.load();
    expect(await b.recoverInterrupted(() => ({ status: 'failed', error: 'interrupted' }))).toEqual(['queued-1']);
    const h = b.history.get('queued-1');
    expect(h?.status).toMatchObject({ status_str: 'error', completed: false });
    expect(h?.status.messages[0][0]).toBe('execution_error');
    expect(h?.prompt).toEqual([4, 'queued-1', { '9': {} }, { client_id: 'c' }, ['9']]);
    // Recovered once: the queue file is empty now.
    expect(JSON.parse(readFileSync(join(dir, 'queue.json'), 'utf8'))).toEqual([]);
  });
});

describe('secrets and server paths never leave (items 10 and 12)', () => {
  it('argv loses the values of key/token flags and any known secret', () => {
    const argv = [
      'dist/cli.js',
      'serve',
      '--api-key',
      'open-sesame',
      '--port',
      '0',
      '--hf-token=hf_abc',
      'ADFORGE_API_KEY=zz',
      '--note',
      'has open-sesame inside',
    ];
    const out = redactArgv(argv, ['open-sesame']);
    expect(out).toEqual(['dist/cli.js', 'serve', '--api-key', '***', '--port', '0', '--hf-token=***', 'ADFORGE_API_KEY=***', '--note', 'has *** inside']);
    expect(JSON.stringify(out)).not.toMatch(/open-sesame|hf_abc|zz/);
  });

  it('URLs lose ?token=; error messages lose absolute paths; name errors are 4xx', () => {
    expect(redactUrl('/ws?clientId=a&token=KEY')).toBe('/ws?clientId=a&token=***');
    const msg = "ENAMETOOLONG: name too long, mkdir '/tmp/adforge-x/comfy/input/aaaa'";
    expect(publicMessage(msg)).toBe("ENAMETOOLONG: name too long, mkdir '<path>'");
    expect(publicMessage('failed at /srv/data/runs/x/final.png now')).toBe('failed at <path> now');
    expect(publicMessage('Not found: GET /comfy')).toBe('Not found: GET /comfy');
    expect(nameErrorOf({ code: 'ENAMETOOLONG' })).toMatchObject({ status: 400 });
    expect(nameErrorOf({ code: 'EACCES' })).toBeNull();
  });
});

describe('signed /api/view URLs (item 3)', () => {
  it('are valid for their path and parameters until they expire; nothing else passes', () => {
    const now = 1_800_000_000;
    const url = signedPath('/api/view', { filename: 'a.png', subfolder: '', type: 'output', token: 'KEY' }, now, 300);
    expect(url).not.toMatch(/KEY/);
    expect(hasValidSignature(url, now + 10)).toBe(true);
    expect(hasValidSignature(url, now + 301)).toBe(false);
    expect(hasValidSignature(url.replace('a.png', 'b.png'), now)).toBe(false);
    expect(hasValidSignature(url.replace('/api/view', '/api/other'), now)).toBe(false);
    expect(isSignedViewRequest('GET', signedPath('/comfy/api/view', { filename: 'x.png' }))).toBe(true);
    expect(isSignedViewRequest('POST', signedPath('/api/view', { filename: 'x.png' }))).toBe(false);
    expect(isSignedViewRequest('GET', '/api/view?filename=x.png')).toBe(false);
  });
});

describe('AdGen duration (item 5)', () => {
  it('is the difference of the printed whole-second stamps', () => {
    expect(runDuration(100.9, 101.2)).toBe(1);
    expect(runDuration(1_755_777_600.4, 1_755_777_690.1)).toBe(90);
    expect(runDuration(5, null)).toBeNull();
  });
});

describe('per-family queue bounds (item 9)', () => {
  function fakeService(): StudioService & { emit: (e: JobEvent) => void } {
    const listeners: ((e: JobEvent) => void)[] = [];
    return {
      list: () => [],
      retryAfterSeconds: () => 12.2,
      onEvent: (l: (e: JobEvent) => void) => {
        listeners.push(l);
        return () => listeners.splice(listeners.indexOf(l), 1);
      },
      emit: (e: JobEvent) => listeners.forEach((l) => l(e)),
    } as unknown as StudioService & { emit: (e: JobEvent) => void };
  }
  const job = (id: string, client: string, status: JobRecord['status']) => ({ job_id: id, client, status }) as JobRecord;

  it("counts the family's waiting jobs from events and refuses past the bound with Retry-After", async () => {
    const service = fakeService();
    const gate = new QueueGate(service, 'comfy', 2);
    let n = 0;
    const submit = async () => {
      const id = `j${n++}`;
      service.emit({ type: 'created', job: job(id, 'comfy', 'pending') });
      return id;
    };
    await gate.admit(submit);
    service.emit({ type: 'created', job: job('other', 'bridge', 'pending') }); // another family's job does not count
    await gate.admit(submit);
    const refused = await gate.admit(submit).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FamilyQueueFullError);
    expect(refused).toBeInstanceOf(BusyError);
    expect((refused as FamilyQueueFullError).retryAfterSeconds).toBe(13);
    expect((refused as FamilyQueueFullError).detail).toMatch(/Queue full: 2 comfy job\(s\)/);
    service.emit({ type: 'started', job: job('j0', 'comfy', 'running') });
    await expect(gate.admit(submit)).resolves.toBe('j2');
    // Concurrent submits hold their places while in flight.
    const slow = () => new Promise<string>((r) => setTimeout(() => r('late'), 20));
    service.emit({ type: 'finished', job: job('j1', 'comfy', 'stopped') });
    service.emit({ type: 'finished', job: job('j2', 'comfy', 'stopped') });
    const both = await Promise.allSettled([gate.admit(slow), gate.admit(slow), gate.admit(slow)]);
    expect(both.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    gate.close();
  });

  it('configured limits lay over the defaults section by section', () => {
    expect(serverLimits({ queue: { comfy: 3 } }).queue).toEqual({ ...DEFAULT_REQUEST_LIMITS.queue, comfy: 3 });
  });
});
