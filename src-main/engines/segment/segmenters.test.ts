// The segmenters' pre/post-processing through real ONNX sessions, using small graphs with the real
// models' tensor signatures whose output is a known function of the input: a wrong normalisation,
// channel order, missing/extra sigmoid or misaligned resize shows up in the mask pixels.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../imaging/types';
import { conv1x1Model } from '../../../test/helpers/onnx-graph';
import { createSegmenter } from './index';
import { createIsnetSegmenter } from './isnet';

/** 300×200: left third (255,0,0), middle third (0,255,0), right third (124,116,104). */
function thirds(): RgbaImage {
  const w = 300;
  const h = 200;
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data.set(x < 100 ? [255, 0, 0, 255] : x < 200 ? [0, 255, 0, 255] : [124, 116, 104, 255], (y * w + x) * 4);
  return { width: w, height: h, data };
}

const at = (m: { width: number; data: Buffer }, x: number, y: number) => m.data[y * m.width + x];

describe('BiRefNet segmenter (models/birefnet.onnx present)', () => {
  it('is chosen over IS-Net, normalises with ImageNet mean/std and applies the sigmoid', async () => {
    const modelsDir = mkdtempSync(join(tmpdir(), 'birefnet-'));
    // BiRefNet export signature: 'input_image' [1,3,1024,1024] → 'output_image' [1,1,1024,1024] logits.
    writeFileSync(
      join(modelsDir, 'birefnet.onnx'),
      conv1x1Model({ input: 'input_image', output: 'output_image', size: 1024, weights: [4, -4, 2], bias: 0, sigmoid: false }),
    );
    const seg = await createSegmenter({ modelsDir, cacheDir: join(modelsDir, 'cache'), providers: ['cpu'] });
    expect([seg.id, seg.provider]).toEqual(['birefnet', 'cpu']);
    const mask = await seg.segment(thirds());
    expect([mask.width, mask.height, mask.data.length]).toEqual([300, 200, 300 * 200]);
    // Hand-computed: logit = 4·(R/255−0.485)/0.229 − 4·(G/255−0.456)/0.224 + 2·(B/255−0.406)/0.225.
    // red:   4·2.2489 + 4·2.0357 + 2·(−1.8044) = 13.53 → σ ≈ 1 → 255
    // green: 4·(−2.1179) − 4·2.4286 + 2·(−1.8044) = −21.8 → σ ≈ 0 → 0
    // grey:  4·0.00557 − 4·(−0.00491) + 2·0.00818 = 0.0583 → σ = 0.5146 → 131
    expect(at(mask, 50, 100)).toBe(255);
    expect(at(mask, 150, 100)).toBe(0);
    expect(Math.abs(at(mask, 250, 100) - 131)).toBeLessThanOrEqual(1);
  });

  it('falls back to IS-Net when birefnet.onnx is not a loadable model', async () => {
    const modelsDir = mkdtempSync(join(tmpdir(), 'birefnet-bad-'));
    writeFileSync(join(modelsDir, 'birefnet.onnx'), 'not an onnx file');
    const logs: string[] = [];
    const seg = await createSegmenter({ modelsDir, cacheDir: join(tmpdir(), 'adforge-test-cache'), providers: ['cpu'], log: (m) => logs.push(m) });
    expect(seg.id).toBe('isnet-medium');
    expect(logs.join('\n')).toMatch(/birefnet\.onnx could not be loaded, using IS-Net/);
  });
});

describe('IS-Net segmenter pre/post-processing', () => {
  it('feeds (x − 128)/256 to "input", reads "output" as a probability (no second sigmoid)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isnet-tiny-'));
    const modelPath = join(dir, 'isnet-tiny.onnx');
    // Signature of the shipped model, with Sigmoid inside the graph like IS-Net.
    writeFileSync(modelPath, conv1x1Model({ input: 'input', output: 'output', size: 1024, weights: [8, 0, -8], bias: 0, sigmoid: true }));
    const seg = await createIsnetSegmenter({ cacheDir: dir, modelPath, providers: ['cpu'] });
    expect(seg.id).toBe('isnet-medium');
    const mask = await seg.segment(thirds());
    // logit = 8·(R−128)/256 − 8·(B−128)/256:
    // red: 3.969 + 4 = 7.97 → σ = 0.9997 → 255; green: −4 + 4 = 0 → 128;
    // grey: 8·(−4/256) − 8·(−24/256) = 0.625 → σ = 0.6514 → 166; a second sigmoid would give 168 and 159.
    expect(at(mask, 50, 100)).toBe(255);
    expect(Math.abs(at(mask, 150, 100) - 128)).toBeLessThanOrEqual(1);
    expect(Math.abs(at(mask, 250, 100) - 166)).toBeLessThanOrEqual(1);
    // The stretch-resize round trip keeps region boundaries where they were (±2 px).
    expect(at(mask, 97, 10)).toBeGreaterThanOrEqual(253);
    expect(Math.abs(at(mask, 103, 10) - 128)).toBeLessThanOrEqual(2);
  });

  it('stops before inference when the job is aborted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isnet-abort-'));
    const modelPath = join(dir, 'm.onnx');
    writeFileSync(modelPath, conv1x1Model({ input: 'input', output: 'output', size: 1024, weights: [1, 0, 0], bias: 0, sigmoid: true }));
    const seg = await createIsnetSegmenter({ cacheDir: dir, modelPath, providers: ['cpu'] });
    const ac = new AbortController();
    ac.abort();
    await expect(seg.segment(thirds(), ac.signal)).rejects.toThrow('Stopped by user');
  });
});
