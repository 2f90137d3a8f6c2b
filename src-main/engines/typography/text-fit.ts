// Fits a headline into a box: wraps it (explicit newlines kept, Latin at spaces, Korean between
// 어절 and inside a word only when needed), picks the largest font size that fits, then balances
// the lines so the last one is not a lone orphan word.
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { TextFit } from '../contracts';
import { registerFont } from './fonts';

export interface FitOptions {
  /** Safe margin on every side, as a fraction of the box's smaller side (default 0.05). */
  margin?: number;
  /** Baseline spacing as a multiple of the font size (default 1.16: Hangul fills the em box). */
  lineSpacing?: number;
  /** Below this size a too-long word may be broken inside (default: 15% of the box height). */
  minFontSize?: number;
  /** Upper bound on the size (default: the box height). */
  maxFontSize?: number;
}

/** Widths are measured once at this size and scaled: Skia's advances are linear in the size. */
const REF_SIZE = 100;
/** Probe with tall and deep glyphs of both scripts so every line fits under the same metrics. */
const METRIC_PROBE = 'HÉQgjy|한글뷁';

let measureCtx: SKRSContext2D | null = null;
function ctx(): SKRSContext2D {
  measureCtx ??= createCanvas(8, 8).getContext('2d');
  return measureCtx;
}

class Measurer {
  private readonly cache = new Map<string, number>();
  readonly space: number;
  readonly ascent: number;
  readonly descent: number;
  constructor(readonly family: string) {
    const c = ctx();
    c.font = `${REF_SIZE}px "${family}"`;
    const m = c.measureText(METRIC_PROBE);
    this.ascent = Math.max(m.actualBoundingBoxAscent, m.fontBoundingBoxAscent * 0.9) / REF_SIZE;
    this.descent = Math.max(m.actualBoundingBoxDescent, 0.1 * REF_SIZE) / REF_SIZE;
    this.space = this.width(' ');
  }
  /** Width at REF_SIZE. */
  width(s: string): number {
    let w = this.cache.get(s);
    if (w === undefined) {
      const c = ctx();
      c.font = `${REF_SIZE}px "${this.family}"`;
      w = c.measureText(s).width;
      this.cache.set(s, w);
    }
    return w;
  }
}

/** Paragraphs (explicit newlines) of words (runs between spaces); blank lines dropped. */
export function splitParagraphs(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((p) => p.split(/[\s\u3000]+/u).filter((w) => w.length > 0))
    .filter((p) => p.length > 0);
}

/** Breaks one word into chunks no wider than maxW (REF units); code points keep Hangul syllables whole. */
function breakWord(word: string, maxW: number, m: Measurer): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  let cur = '';
  for (const ch of chars) {
    if (cur && m.width(cur + ch) > maxW) {
      out.push(cur);
      cur = ch;
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Greedy wrap of every paragraph at width maxW (REF units). Returns null when a word is wider than
 * maxW and breaking inside words is not allowed.
 */
function wrap(paragraphs: string[][], maxW: number, m: Measurer, breakWords: boolean): string[] | null {
  const lines: string[] = [];
  for (const words of paragraphs) {
    let cur = '';
    let curW = 0;
    for (const word of words) {
      const w = m.width(word);
      if (cur && curW + m.space + w <= maxW) {
        cur += ` ${word}`;
        curW += m.space + w;
        continue;
      }
      if (cur) lines.push(cur);
      if (w <= maxW) {
        cur = word;
        curW = w;
        continue;
      }
      if (!breakWords) return null;
      const parts = breakWord(word, maxW, m);
      lines.push(...parts.slice(0, -1));
      cur = parts[parts.length - 1];
      curW = m.width(cur);
    }
    if (cur) lines.push(cur);
  }
  return lines;
}

/** Largest size (0.25 px steps) whose wrap fits availW x availH, with its lines. */
function largestFit(
  paragraphs: string[][],
  m: Measurer,
  availW: number,
  availH: number,
  spacing: number,
  maxSize: number,
  breakWords: boolean,
): { size: number; lines: string[] } | null {
  const fits = (size: number): string[] | null => {
    const scale = size / REF_SIZE;
    const lines = wrap(paragraphs, availW / scale, m, breakWords);
    if (!lines) return null;
    const h = (m.ascent + m.descent + (lines.length - 1) * spacing) * size;
    return h <= availH ? lines : null;
  };
  let lo = 1;
  let hi = Math.max(1, maxSize);
  if (!fits(lo)) return null;
  const top = fits(hi);
  if (top) return { size: hi, lines: top };
  // Fitting is monotone in the size (bigger glyphs never need fewer lines), so bisect.
  while (hi - lo > 0.25) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return { size: lo, lines: fits(lo) ?? [] };
}

/** Narrowest wrap width that keeps the same line count: evens out the lines (no orphan last word). */
function balance(paragraphs: string[][], m: Measurer, maxW: number, count: number, breakWords: boolean): string[] {
  const greedy = wrap(paragraphs, maxW, m, breakWords) ?? [];
  if (count <= paragraphs.length) return greedy; // one line per paragraph: nothing to balance
  let lo = 0;
  let hi = maxW;
  let best = greedy;
  for (let i = 0; i < 18 && hi - lo > 0.5; i++) {
    const mid = (lo + hi) / 2;
    const lines = wrap(paragraphs, mid, m, breakWords);
    if (lines && lines.length <= count) {
      hi = mid;
      best = lines;
    } else lo = mid;
  }
  return best;
}

/**
 * Lays `text` out in `box` with the font at fontPath at the largest size that fits inside the safe
 * margins. Throws on text with no visible characters (callers reject empty headlines first).
 */
export function fitText(text: string, fontPath: string, box: { width: number; height: number }, opts: FitOptions = {}): TextFit {
  const paragraphs = splitParagraphs(text);
  if (paragraphs.length === 0) throw new Error('fitText: text has no visible characters');
  const family = registerFont(fontPath);
  const m = new Measurer(family);
  const spacing = opts.lineSpacing ?? 1.16;
  const marginPx = Math.round((opts.margin ?? 0.05) * Math.min(box.width, box.height));
  const availW = Math.max(1, box.width - 2 * marginPx);
  const availH = Math.max(1, box.height - 2 * marginPx);
  const maxSize = Math.min(opts.maxFontSize ?? box.height, availH / (m.ascent + m.descent));
  const minSize = opts.minFontSize ?? Math.max(10, box.height * 0.15);

  // Words stay whole unless that forces the text below the readable minimum (a long URL, a long
  // compound 어절 in a narrow box); then a word may break between characters.
  let breakWords = false;
  let fit = largestFit(paragraphs, m, availW, availH, spacing, maxSize, false);
  if (!fit || fit.size < minSize) {
    const broken = largestFit(paragraphs, m, availW, availH, spacing, maxSize, true);
    if (broken && (!fit || broken.size > fit.size)) {
      fit = broken;
      breakWords = true;
    }
  }
  if (!fit) fit = { size: 1, lines: wrap(paragraphs, Infinity, m, false) ?? [] };

  let size = fit.size;
  const lines = balance(paragraphs, m, availW / (size / REF_SIZE), fit.lines.length, breakWords);
  // Verify with real measurements at the final size (hinting can differ from scaled advances).
  const c = ctx();
  let lineWidths: number[] = [];
  for (let i = 0; i < 3; i++) {
    c.font = `${size}px "${family}"`;
    lineWidths = lines.map((l) => c.measureText(l).width);
    const w = Math.max(...lineWidths);
    if (w <= availW) break;
    size = Math.floor(size * (availW / w) * 4) / 4;
  }
  const lineHeight = size * spacing;
  const ascent = m.ascent * size;
  const descent = m.descent * size;
  return {
    fontSize: size,
    lines,
    lineHeight,
    blockWidth: Math.max(...lineWidths),
    blockHeight: ascent + descent + (lines.length - 1) * lineHeight,
    family,
    ascent,
    descent,
    lineWidths,
  };
}

/** Exposed for tests: the width a string has at `size` with this fit's font. */
export function measureWidth(family: string, size: number, s: string): number {
  const c = ctx();
  c.font = `${size}px "${family}"`;
  return c.measureText(s).width;
}
