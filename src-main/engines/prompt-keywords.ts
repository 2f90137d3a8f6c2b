// One reading of prompts, English and Korean, for every engine that picks from a keyword catalogue
// (backdrop looks, lettering materials, tint colours, light side). Rules:
//  - The prompt is NFC-normalised and matched case-insensitively.
//  - English keywords match whole words: no Latin letter or digit may touch them ("sea" is not in
//    "season"), a plural -s/-es may follow. Hangul may touch them ("neon사인").
//  - Korean keywords of two or more syllables match anywhere: particles and compounds attach
//    without spaces ("대리석에", "대리석 위", "인조대리석").
//  - A one-syllable Korean keyword must start a Hangul run and be followed by nothing but
//    particles, so 금 matches "금으로" but not "금요일", and 눈 matches "눈이" but not "눈부신".
//  - A match inside a longer match does not count: "rose gold" is not also "gold".
//  - An entry is excluded when one of its keywords, or of its excludedBy words, is in the negative prompt.

export interface Keywords {
  readonly en: readonly string[];
  readonly ko: readonly string[];
}

export interface KeywordEntry<Id extends string = string> {
  readonly id: Id;
  readonly keywords: Keywords;
  /** Words that exclude the entry from the negative prompt without selecting it from the prompt. */
  readonly excludedBy?: Keywords;
}

export interface KeywordMatch<Id extends string = string> {
  id: Id;
  /** The prompt's words that matched, as written, in order of appearance. */
  matched: string[];
  /** Matches counted, a keyword of several words counting 2 (more specific). */
  score: number;
  /** Start of the first match in the NFC-normalised prompt. */
  first: number;
}

/**
 * What may follow a one-syllable Korean keyword in the same run: particles and a few nouns. Not
 * 속, 색, 빛 or 만, which make other words of these syllables (금속 metal, 밤색 brown, 눈빛 gaze, 천만).
 */
const KO_PARTICLES = [
  '이',
  '가',
  '을',
  '를',
  '은',
  '는',
  '의',
  '에',
  '에서',
  '에게',
  '로',
  '으로',
  '과',
  '와',
  '도',
  '랑',
  '이랑',
  '까지',
  '처럼',
  '같은',
  '같이',
  '보다',
  '하고',
  '들',
  '위',
  '톤',
  '느낌',
  '재질',
  '소재',
  '장식',
  '글자',
  '글씨',
  '텍스트',
  '효과',
  '스타일',
  '배경',
];

const HANGUL = /\p{Script=Hangul}/u;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const reCache = new Map<string, RegExp>();

function keywordRegExp(keyword: string): RegExp {
  let re = reCache.get(keyword);
  if (re) return re;
  const kw = escapeRe(keyword);
  if (!HANGUL.test(keyword)) re = new RegExp(`(?<![\\p{Script=Latin}\\p{N}])${kw}(?:s|es)?(?![\\p{Script=Latin}\\p{N}])`, 'giu');
  else if ([...keyword].length > 1) re = new RegExp(kw, 'gu');
  else re = new RegExp(`(?<!\\p{Script=Hangul})${kw}(?=(?:${KO_PARTICLES.join('|')})*(?!\\p{Script=Hangul}))`, 'gu');
  reCache.set(keyword, re);
  return re;
}

interface Hit {
  entry: number;
  start: number;
  end: number;
  weight: number;
}

function hitsOf(text: string, lower: string, keywords: readonly string[], entry: number, out: Hit[]): void {
  for (const kw of keywords) {
    // Cheap test first: almost every keyword is absent from a given prompt.
    if (!lower.includes(kw.toLowerCase())) continue;
    const weight = kw.includes(' ') ? 2 : 1;
    for (const m of text.matchAll(keywordRegExp(kw))) out.push({ entry, start: m.index!, end: m.index! + m[0].length, weight });
  }
}

/** Hits of every entry's words in text, less those inside a longer hit. */
function scan<E>(text: string, entries: readonly E[], words: (e: E) => readonly string[]): Hit[] {
  const lower = text.toLowerCase();
  const hits: Hit[] = [];
  entries.forEach((e, i) => hitsOf(text, lower, words(e), i, hits));
  return hits.filter((h) => !hits.some((g) => g.start <= h.start && h.end <= g.end && g.end - g.start > h.end - h.start));
}

/** Entries whose keywords occur in text, best first: higher score, then named earlier, then catalogue order. */
export function findKeywords<Id extends string>(text: string, catalogue: readonly KeywordEntry<Id>[]): KeywordMatch<Id>[] {
  const t = text.normalize('NFC');
  const byEntry = new Map<number, Hit[]>();
  for (const h of scan(t, catalogue, (e) => [...e.keywords.en, ...e.keywords.ko])) {
    const list = byEntry.get(h.entry) ?? [];
    // The same span found by two keywords of one entry ("brick" and "bricks") counts once.
    if (!list.some((g) => g.start === h.start && g.end === h.end)) list.push(h);
    byEntry.set(h.entry, list);
  }
  const out: KeywordMatch<Id>[] = [];
  for (const [entry, hits] of [...byEntry].sort((a, b) => a[0] - b[0])) {
    hits.sort((a, b) => a.start - b.start);
    out.push({
      id: catalogue[entry].id,
      matched: [...new Set(hits.map((h) => t.slice(h.start, h.end)))],
      score: hits.reduce((s, h) => s + h.weight, 0),
      first: hits[0].start,
    });
  }
  return out.sort((a, b) => b.score - a.score || a.first - b.first);
}

/** Entries the negative prompt rules out. */
export function excludedIds<Id extends string>(negative: string, catalogue: readonly KeywordEntry<Id>[]): Set<Id> {
  const words = (e: KeywordEntry<Id>) => [...e.keywords.en, ...e.keywords.ko, ...(e.excludedBy?.en ?? []), ...(e.excludedBy?.ko ?? [])];
  return new Set(scan(negative.normalize('NFC'), catalogue, words).map((h) => catalogue[h.entry].id));
}

/** Entries the prompt names and the negative prompt does not exclude, best first (see findKeywords). */
export function matchKeywords<Id extends string>(prompt: string, negative: string, catalogue: readonly KeywordEntry<Id>[]): KeywordMatch<Id>[] {
  const excluded = excludedIds(negative, catalogue);
  return findKeywords(prompt, catalogue).filter((m) => !excluded.has(m.id));
}
