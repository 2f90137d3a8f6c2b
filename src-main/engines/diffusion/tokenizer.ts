// Prompt tokenizers for the text encoders, loaded from the model folder through
// @huggingface/tokenizers (the library runs the normaliser, pre-tokeniser, BPE/Unigram model and
// post-processor of the folder's tokenizer.json). What is ours: fixed-length padding and
// truncation the way diffusers calls them (CLIP 77 with BOS…EOS then pad; T5 N tokens with EOS
// then pad 0), and the pad token per tokenizer_config.json.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

export interface EncodedPrompt {
  /** Exactly maxLength ids. */
  ids: number[];
  /** 1 for real tokens (specials included), 0 for padding. */
  attentionMask: number[];
  /** True when the prompt was longer than the encoder's window and was cut. */
  truncated: boolean;
  /** The text the ids stand for: the prompt itself, or what is left of it after truncation. */
  text: string;
}

export interface PromptTokenizer {
  kind: 'clip' | 't5';
  maxLength: number;
  padId: number;
  eosId: number;
  bosId: number | null;
  /** Fixed-length ids; `maxLength` overrides the default window (a graph with a static sequence length). */
  encode(text: string, maxLength?: number): EncodedPrompt;
}

type Json = Record<string, unknown>;

async function readJson(path: string): Promise<Json | null> {
  if (!existsSync(path)) return null;
  return JSON.parse(await readFile(path, 'utf8')) as Json;
}

/** A special token given as "x" or {content: "x"} in tokenizer_config.json / special_tokens_map.json. */
function tokenText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return null;
}

/** The CLIP tokenizer.json that HF's CLIPTokenizerFast writes, assembled from vocab.json + merges.txt. */
export function clipTokenizerJsonFromVocab(vocab: Record<string, number>, mergesTxt: string): Json {
  const merges = mergesTxt
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#version'))
    // CLIP keeps 49152 − 256 − 2 merges (the file has a few more); CLIPTokenizer does the same slice.
    .slice(0, 49152 - 256 - 2);
  const special = (content: string) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special('<|startoftext|>'), special('<|endoftext|>')],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['<|endoftext|>', vocab['<|endoftext|>']],
      cls: ['<|startoftext|>', vocab['<|startoftext|>']],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<|endoftext|>',
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

async function loadLibraryTokenizer(dir: string, allowVocabMerges: boolean): Promise<{ tok: Tokenizer; config: Json }> {
  const config = { ...((await readJson(join(dir, 'special_tokens_map.json'))) ?? {}), ...((await readJson(join(dir, 'tokenizer_config.json'))) ?? {}) };
  let json = await readJson(join(dir, 'tokenizer.json'));
  if (!json && allowVocabMerges && existsSync(join(dir, 'vocab.json')) && existsSync(join(dir, 'merges.txt'))) {
    // Many SD exports ship only the slow tokenizer's files; the same BPE runs from them.
    json = clipTokenizerJsonFromVocab((await readJson(join(dir, 'vocab.json'))) as Record<string, number>, await readFile(join(dir, 'merges.txt'), 'utf8'));
  }
  if (!json) throw new Error(`no tokenizer in ${dir}: expected tokenizer.json${allowVocabMerges ? ' (or vocab.json + merges.txt)' : ''}`);
  return { tok: new Tokenizer(json, config), config };
}

function idOf(tok: Tokenizer, token: string | null, what: string, dir: string): number {
  const id = token === null ? undefined : tok.token_to_id(token);
  if (id === undefined) throw new Error(`tokenizer in ${dir} has no ${what} token ${JSON.stringify(token)}`);
  return id;
}

export interface ClipTokenizerOptions {
  /** Window of the text encoder (77 for every CLIP in SD/SDXL/FLUX). */
  maxLength?: number;
  /**
   * Pad token when tokenizer_config.json names none: 'eos' (SD 1.x, SDXL tokenizer 1, FLUX CLIP)
   * or '!' (SD 2.x / SD-Turbo, SDXL tokenizer_2).
   */
  defaultPad?: 'eos' | '!';
}

/** CLIP BPE: <|startoftext|> prompt <|endoftext|>, truncated to maxLength, padded with the pad token. */
export async function loadClipTokenizer(dir: string, opts: ClipTokenizerOptions = {}): Promise<PromptTokenizer> {
  const { tok, config } = await loadLibraryTokenizer(dir, true);
  const maxLength = opts.maxLength ?? 77;
  const bosId = idOf(tok, tokenText(config.bos_token) ?? '<|startoftext|>', 'BOS', dir);
  const eosId = idOf(tok, tokenText(config.eos_token) ?? '<|endoftext|>', 'EOS', dir);
  const padText = tokenText(config.pad_token) ?? (opts.defaultPad === '!' ? '!' : null);
  const padId = padText === null ? eosId : idOf(tok, padText, 'pad', dir);
  return {
    kind: 'clip',
    maxLength,
    padId,
    eosId,
    bosId,
    encode(text, max = maxLength) {
      const body = tok.encode(text, { add_special_tokens: false }).ids;
      const room = max - 2;
      const truncated = body.length > room;
      const kept = truncated ? body.slice(0, room) : body;
      const ids = [bosId, ...kept, eosId];
      const attentionMask = ids.map(() => 1);
      while (ids.length < max) {
        ids.push(padId);
        attentionMask.push(0);
      }
      return { ids, attentionMask, truncated, text: truncated ? tok.decode(kept, { skip_special_tokens: true }).trim() : text };
    },
  };
}

export interface T5TokenizerOptions {
  /** T5 window: 256 for FLUX.1-schnell (512 for dev). */
  maxLength?: number;
}

/** T5 (Unigram / SentencePiece): prompt </s>, truncated to maxLength, padded with <pad> (id 0). */
export async function loadT5Tokenizer(dir: string, opts: T5TokenizerOptions = {}): Promise<PromptTokenizer> {
  const { tok, config } = await loadLibraryTokenizer(dir, false);
  const maxLength = opts.maxLength ?? 256;
  const eosId = idOf(tok, tokenText(config.eos_token) ?? '</s>', 'EOS', dir);
  const padId = idOf(tok, tokenText(config.pad_token) ?? '<pad>', 'pad', dir);
  return {
    kind: 't5',
    maxLength,
    padId,
    eosId,
    bosId: null,
    encode(text, max = maxLength) {
      const body = tok.encode(text, { add_special_tokens: false }).ids;
      const room = max - 1;
      const truncated = body.length > room;
      const kept = truncated ? body.slice(0, room) : body;
      const ids = [...kept, eosId];
      const attentionMask = ids.map(() => 1);
      while (ids.length < max) {
        ids.push(padId);
        attentionMask.push(0);
      }
      return { ids, attentionMask, truncated, text: truncated ? tok.decode(kept, { skip_special_tokens: true }).trim() : text };
    },
  };
}
