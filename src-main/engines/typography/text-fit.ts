// Fits a headline into a box: wraps it (explicit newlines kept, Latin at spaces, Korean between
// 어절 and inside a word only when needed), picks the largest font size that fits, then balances
// the lines so the last one is not a lone orphan word.
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { DEFAULT_LINE_HEIGHT, type TextAlign } from '../../core/params';
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
  /** Extra space after every character, in em (default 0; tracking as designers set it). */
  letterSpacing?: number;
  /** How the lines line up with one another (default centre). */
  align?: TextAlign;
}

/** Widths are measured once at this size and scaled: Skia's advances are linear in the size. */
const REF_SIZE = 100;
/** Probe with tall and deep glyphs of both scripts so every line fits under the same metrics. */
const METRIC_PROBE = 'HÉQgjy|한글뷁';

/** Letter spacing goes after each shaped cluster (a decomposed 한 is one), so count graphemes. */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
function graphemeCount(s: string): number {
  let n = 0;
  for (const _ of graphemes.segment(s)) n++;
  return n;
}

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
  constructor(
    readonly family: string,
    /** Letter spacing in em. */
    readonly tracking = 0,
  ) {
    const c = ctx();
    c.letterSpacing = '0px';
    c.font = `${REF_SIZE}px "${family}"`;
    const m = c.measureText(METRIC_PROBE);
    this.ascent = Math.max(m.actualBoundingBoxAscent, m.fontBoundingBoxAscent * 0.9) / REF_SIZE;
    this.descent = Math.max(m.actualBoundingBoxDescent, 0.1 * REF_SIZE) / REF_SIZE;
    // A space between two words carries the spacing of the gap before it and after it.
    this.space = this.width(' ') + 2 * tracking * REF_SIZE;
  }
  /** Width at REF_SIZE, the spacing between its characters included (none after the last). */
  width(s: string): number {
    let w = this.cache.get(s);
    if (w === undefined) {
      const c = ctx();
      c.letterSpacing = '0px';
      c.font = `${REF_SIZE}px "${this.family}"`;
      w = c.measureText(s).width + this.tracking * REF_SIZE * Math.max(0, graphemeCount(s) - 1);
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
  const tracking = opts.letterSpacing ?? 0;
  const m = new Measurer(family, tracking);
  const spacing = opts.lineSpacing ?? DEFAULT_LINE_HEIGHT;
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
  let lineWidths: number[] = [];
  for (let i = 0; i < 3; i++) {
    lineWidths = lines.map((l) => measureWidth(family, size, l, tracking));
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
    align: opts.align ?? 'center',
    letterSpacing: tracking * size,
  };
}

/** Left edge of line `i` relative to the block's left edge, for the fit's alignment. */
export function lineLeft(fit: TextFit, i: number): number {
  const free = fit.blockWidth - fit.lineWidths[i];
  return fit.align === 'left' ? 0 : fit.align === 'right' ? free : free / 2;
}

/**
 * Sets the font and spacing on a drawing context and draws every line at its aligned place,
 * left-aligned from `left` with the first baseline at `firstBaseline`; `scale` maps layout px to
 * canvas px. Every lettering engine draws glyphs through this, so they agree with the fit.
 */
export function drawLines(
  c: Pick<SKRSContext2D, 'font' | 'textAlign' | 'textBaseline' | 'letterSpacing' | 'fillText'>,
  fit: TextFit,
  left: number,
  firstBaseline: number,
  scale = 1,
): void {
  c.font = `${fit.fontSize * scale}px "${fit.family}"`;
  c.letterSpacing = `${fit.letterSpacing * scale}px`;
  c.textAlign = 'left';
  c.textBaseline = 'alphabetic';
  fit.lines.forEach((line, i) => c.fillText(line, left + lineLeft(fit, i) * scale, firstBaseline + i * fit.lineHeight * scale));
  c.letterSpacing = '0px';
}

/** The width a string has at `size` with this font and letter spacing (em), no spacing after the last character. */
export function measureWidth(family: string, size: number, s: string, tracking = 0): number {
  const c = ctx();
  c.font = `${size}px "${family}"`;
  c.letterSpacing = `${tracking * size}px`;
  const w = c.measureText(s).width - (s.length > 0 ? tracking * size : 0);
  c.letterSpacing = '0px';
  return w;
}
