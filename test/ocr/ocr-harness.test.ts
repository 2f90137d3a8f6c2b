// Proves the OCR harness itself: plain rendered text is read back exactly, so a failure in the
// legibility test is about the ad, not about the reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctcGreedy } from './ctc';
import { dbBoxes } from './db-postprocess';
import { dictionaryHasHangul, PaddleOcr, sortReadingOrder } from './paddle-ocr';
import { gradient, renderText } from './render-text';
import { cer, normalizeText, readsBack } from './text-metrics';
import { alphaOver } from '../../src-main/imaging/composite';

describe('OCR building blocks (pure)', () => {
  it('CTC greedy collapses repeats, drops blanks, maps the last class to a space', () => {
    const charset = ['A', 'B'];
    // classes: 0 blank, 1 'A', 2 'B', 3 space; steps: A A blank A space B B
    const seq = [1, 1, 0, 1, 3, 2, 2];
    const probs = new Float32Array(seq.length * 4);
    seq.forEach((c, t) => (probs[t * 4 + c] = 0.9));
    expect(ctcGreedy(probs, seq.length, 4, charset).text).toBe('AA B');
  });

  it('DB post-processing finds one box per blob, drops weak ones, expands by area·1.5/perimeter', () => {
    const w = 40,
      h = 20;
    const prob = new Float32Array(w * h);
    for (let y = 5; y < 9; y++) for (let x = 4; x < 20; x++) prob[y * w + x] = 0.9; // strong 16×4
    for (let y = 12; y < 16; y++) for (let x = 25; x < 35; x++) prob[y * w + x] = 0.4; // weak
    const boxes = dbBoxes(prob, w, h);
    expect(boxes).toHaveLength(1);
    const d = (16 * 4 * 1.5) / (2 * 20);
    expect(boxes[0].x0).toBeCloseTo(4 - d);
    expect(boxes[0].y1).toBeCloseTo(9 + d);
  });

  it('reading order is rows top to bottom, left to right within a row', () => {
    const b = (x: number, y: number) => ({ x, y, width: 50, height: 20 });
    expect(sortReadingOrder([b(100, 52), b(0, 0), b(0, 50), b(100, 3)])).toEqual([b(0, 0), b(100, 3), b(0, 50), b(100, 52)]);
  });

  it('text metrics normalise case and spacing and count edits', () => {
    expect(normalizeText(' Summer  sale! ')).toBe('SUMMERSALE');
    expect(readsBack('SUMMER SALE', 'summer-sale')).toBe(true);
    expect(cer('ABCD', 'ABXD')).toBeCloseTo(0.25);
  });
});

describe('PaddleOCR harness on rendered text', () => {
  let ocr: PaddleOcr;
  beforeAll(async () => {
    ocr = await PaddleOcr.load();
  });
  afterAll(async () => {
    await ocr?.release();
  });

  it('reads a plain rendered Latin string exactly', async () => {
    const img = renderText('Fresh Coffee 2024', { fontSize: 56, color: '#111111', background: '#ffffff', padding: 24 });
    const r = await ocr.read(img);
    expect(r.text).toBe('Fresh Coffee 2024');
  });

  it('finds and reads a headline on a 640² scene, and nothing elsewhere', async () => {
    const scene = gradient(640, 640, [200, 220, 240], [250, 240, 220]);
    const t = renderText('BIG SUMMER SALE', { fontSize: 60, color: '#202060', padding: 4 });
    const img = alphaOver(scene, t, 40, 300);
    const r = await ocr.read(img);
    expect(readsBack('BIG SUMMER SALE', r.text)).toBe(true);
    expect(r.lines.every((l) => l.box.y > 280 && l.box.y < 400)).toBe(true);
  });

  it('the shipped dictionary has no Hangul syllables, so Korean cannot be read by this model', () => {
    expect(ocr.charset.length).toBe(6623);
    expect(dictionaryHasHangul(ocr.charset)).toBe(false);
  });
});
