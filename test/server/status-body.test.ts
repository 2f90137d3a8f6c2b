// GET /status bodies (built as bytes for speed) are valid JSON with every nanoCocoa field, the
// images spliced in intact; and the base64 cache serves what is on disk, never a stale copy.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobRecord, SystemMetrics } from '../../src-main/core/service';
import { Base64Cache } from '../../src-main/server/base64-cache';
import { statusBody } from '../../src-main/server/status-body';

const SEED_FIELDS = [
  'job_id',
  'status',
  'progress_percent',
  'current_step',
  'sub_step',
  'message',
  'elapsed_sec',
  'eta_seconds',
  'step_eta_seconds',
  'system_metrics',
  'parameters',
  'step1_result',
  'step2_result',
  'final_result',
];

const metrics: SystemMetrics = { cpu_percent: 12.5, ram_used_gb: 3, ram_total_gb: 24, ram_percent: 12.5, gpu_info: [] };

function job(over: Partial<JobRecord> = {}): JobRecord {
  return {
    job_id: '9b2f7c1e-1111-4222-8333-444455556666',
    status: 'running',
    start_step: 1,
    stop_step: 3,
    progress_percent: 45,
    current_step: 'step2_text',
    sub_step: 'text_generation',
    message: 'Rendering 3D lettering',
    error: null,
    created_at: 1700000000.5,
    start_time: 1700000001,
    finished_at: null,
    elapsed_sec: 12.345,
    eta_seconds: 4.6,
    step_eta_seconds: 1.2,
    parameters: { text_content: '새 "제품"\n' } as unknown as JobRecord['parameters'],
    engines: { segment: 'isnet-medium' },
    engine_reports: { segment: { engine: 'isnet-medium', provider: 'cpu' } },
    execution_provider: 'cpu',
    artifacts: ['input', 'step1'],
    reused_steps: [],
    client: 'nanococoa',
    timings: {},
    ...over,
  };
}

describe('statusBody', () => {
  it('is JSON with every seed field in documented order, images spliced, extensions after', () => {
    const b64 = Buffer.from(Buffer.from('PNG bytes \u0000\u00ff').toString('base64'), 'latin1');
    const parsed = JSON.parse(statusBody(job(), metrics, { step1: b64 }).toString('utf8'));
    expect(Object.keys(parsed).slice(0, SEED_FIELDS.length)).toEqual(SEED_FIELDS);
    expect(parsed.step1_result).toBe(b64.toString('latin1'));
    expect(parsed.step2_result).toBeNull();
    expect(parsed.final_result).toBeNull();
    expect(parsed).toMatchObject({
      elapsed_sec: 12.3,
      eta_seconds: 5,
      step_eta_seconds: 1,
      step1_url: `/files/${job().job_id}/step1.png`,
      final_url: null,
      execution_provider: 'cpu',
    });
    expect(parsed.parameters.text_content).toBe('새 "제품"\n');
    expect('error' in parsed).toBe(false);
  });

  it('adds error on failure', () => {
    const parsed = JSON.parse(statusBody(job({ status: 'failed', error: 'interrupted', message: 'interrupted' }), metrics, {}).toString());
    expect(parsed.error).toBe('interrupted');
  });
});

describe('Base64Cache', () => {
  it('returns the file as base64, null when missing, and the new bytes after an eviction', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'adforge-b64-'));
    const f = path.join(dir, 'a.png');
    const cache = new Base64Cache(1024);
    expect(cache.get(f)).toBeNull();
    writeFileSync(f, Buffer.from([1, 2, 3, 4]));
    expect(cache.get(f)!.toString('latin1')).toBe(Buffer.from([1, 2, 3, 4]).toString('base64'));
    writeFileSync(f, Buffer.from([9, 9, 9, 9, 9]));
    cache.evict(f); // what a step-result event does
    expect(cache.get(f)!.toString('latin1')).toBe(Buffer.from([9, 9, 9, 9, 9]).toString('base64'));
    cache.evictFolderNamed(path.basename(dir), path.sep);
    expect(cache.size).toBe(0);
  });

  it('stays within its byte budget, dropping the least recently used', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'adforge-b64-'));
    const cache = new Base64Cache(300); // each entry: 150 bytes -> 200 base64 chars
    const files = ['a', 'b', 'c'].map((n) => path.join(dir, n));
    for (const f of files) writeFileSync(f, Buffer.alloc(150, 7));
    for (const f of files) cache.get(f);
    expect(cache.size).toBe(1);
    expect(cache.get(files[0])!.length).toBe(200);
  });
});
