// Tokenizers from a model folder's files through @huggingface/tokenizers: CLIP (77, BOS…EOS, pad
// per tokenizer_config: "!" or EOS; also from vocab.json + merges.txt) and T5 (256, EOS, pad 0).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipTokenizerJson, clipVocab, t5TokenizerJson } from '../../../test/helpers/diffusion-graphs';
import { loadClipTokenizer, loadT5Tokenizer } from './tokenizer';

const root = mkdtempSync(join(tmpdir(), 'diffusion-tok-'));

function folder(name: string, files: Record<string, unknown>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, v] of Object.entries(files)) writeFileSync(join(dir, f), typeof v === 'string' ? v : JSON.stringify(v));
  return dir;
}

const { vocab, merges } = clipVocab();
const BOS = vocab['<|startoftext|>'];
const EOS = vocab['<|endoftext|>'];

describe('CLIP tokenizer', () => {
  it('encodes BOS, the BPE words, EOS, then pads with "!" (id 0) to 77 when the config says so', async () => {
    const tok = await loadClipTokenizer(folder('sd2', { 'tokenizer.json': clipTokenizerJson(), 'tokenizer_config.json': { pad_token: '!' } }));
    expect(tok.padId).toBe(0);
    const enc = tok.encode('White   Marble, soft window light');
    expect(enc.ids).toHaveLength(77);
    expect(enc.ids.slice(0, 8)).toEqual([
      BOS,
      vocab['white</w>'],
      vocab['marble</w>'],
      vocab[',</w>'],
      vocab['soft</w>'],
      vocab['window</w>'],
      vocab['light</w>'],
      EOS,
    ]);
    expect(enc.ids.slice(8).every((id) => id === 0)).toBe(true);
    expect(enc.attentionMask.filter(Boolean)).toHaveLength(8);
    expect(enc.truncated).toBe(false);
    expect(enc.text).toBe('White   Marble, soft window light');
  });

  it('pads with EOS when the config names <|endoftext|> or nothing (SD 1.x, SDXL tokenizer 1, FLUX)', async () => {
    const eos = await loadClipTokenizer(folder('sdxl1', { 'tokenizer.json': clipTokenizerJson(), 'tokenizer_config.json': { pad_token: '<|endoftext|>' } }));
    expect(eos.encode('red').ids.slice(2)).toEqual(new Array(75).fill(EOS));
    const none = await loadClipTokenizer(folder('bare', { 'tokenizer.json': clipTokenizerJson() }));
    expect(none.padId).toBe(EOS);
    const bang = await loadClipTokenizer(folder('bare2', { 'tokenizer.json': clipTokenizerJson() }), { defaultPad: '!' });
    expect(bang.padId).toBe(0);
  });

  it('truncates long prompts to 75 tokens + BOS/EOS and reports the text kept', async () => {
    const tok = await loadClipTokenizer(folder('long', { 'tokenizer.json': clipTokenizerJson() }));
    const words = Array.from({ length: 100 }, (_, i) => (i % 2 ? 'marble' : 'wood'));
    const enc = tok.encode(words.join(' '));
    expect(enc.ids).toHaveLength(77);
    expect(enc.ids[0]).toBe(BOS);
    expect(enc.ids[76]).toBe(EOS);
    expect(enc.truncated).toBe(true);
    expect(enc.text.split(' ')).toHaveLength(75);
    // A graph with a static window of another length gets exactly that many ids.
    expect(tok.encode('red', 16).ids).toHaveLength(16);
  });

  it('builds the same tokenizer from vocab.json + merges.txt (exports that ship only the slow files)', async () => {
    const fast = await loadClipTokenizer(folder('fast', { 'tokenizer.json': clipTokenizerJson() }));
    const slow = await loadClipTokenizer(folder('slow', { 'vocab.json': vocab, 'merges.txt': `#version: 0.2\n${merges.join('\n')}\n` }));
    for (const text of ['a photo of white marble', 'Sunset beach, warm light 123', '한글 and émoji ✨'])
      expect(slow.encode(text).ids).toEqual(fast.encode(text).ids);
  });

  it('says what is missing', async () => {
    await expect(loadClipTokenizer(folder('empty', {}))).rejects.toThrow(/tokenizer\.json/);
  });
});

describe('T5 tokenizer', () => {
  it('encodes Unigram pieces, appends </s> (1) and pads with <pad> (0) to 256', async () => {
    const tok = await loadT5Tokenizer(
      folder('t5', { 'tokenizer.json': t5TokenizerJson(), 'tokenizer_config.json': { eos_token: '</s>', pad_token: '<pad>' } }),
    );
    const enc = tok.encode('white marble, soft light');
    expect(enc.ids).toHaveLength(256);
    const body = enc.ids.slice(0, enc.ids.indexOf(1));
    expect(body.length).toBeGreaterThanOrEqual(4);
    expect(enc.ids[body.length]).toBe(1);
    expect(enc.ids.slice(body.length + 1).every((id) => id === 0)).toBe(true);
    expect(tok.bosId).toBeNull();
  });

  it('truncates to maxLength − 1 tokens + </s>', async () => {
    const tok = await loadT5Tokenizer(folder('t5b', { 'tokenizer.json': t5TokenizerJson() }), { maxLength: 8 });
    const enc = tok.encode('white marble soft light wood red glass table gold');
    expect(enc.ids).toHaveLength(8);
    expect(enc.ids[7]).toBe(1);
    expect(enc.truncated).toBe(true);
    expect(enc.text).toBe('white marble soft light wood red glass');
  });
});
