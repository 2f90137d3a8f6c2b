// Which procedural look a background prompt asks for: keyword tables (English and Korean) and the
// choice rule. Negative-prompt words exclude looks outright.

export const LOOK_IDS = [
  'studio',
  'marble',
  'wood',
  'concrete',
  'pastel',
  'neon',
  'sunset',
  'beach',
  'garden',
  'kitchen',
  'office',
  'nightcity',
  'linen',
  'water',
  'snow',
  'brick',
] as const;
export type LookId = (typeof LOOK_IDS)[number];

/**
 * Keywords per look. English entries match whole words (plural -s/-es allowed); phrases match as
 * written. Korean entries match the start of a word, because Korean particles attach to the end
 * ("해변에서", "대리석 위에"); an entry starting with '=' must be the whole word (short, ambiguous
 * syllables such as 눈 "snow/eye" or 물 "water", which start many unrelated words).
 */
export const LOOK_KEYWORDS: Record<LookId, readonly string[]> = {
  studio: ['studio', 'sweep', 'seamless', 'minimal', 'minimalist', 'plain', 'backdrop', 'cyclorama', '스튜디오', '미니멀', '심플', '단색', '무지'],
  marble: ['marble', 'travertine', 'granite', 'luxury', '대리석', '마블', '고급'],
  wood: ['wood', 'wooden', 'oak', 'walnut', 'timber', 'plank', 'parquet', 'rustic', '나무', '원목', '우드', '목재'],
  concrete: ['concrete', 'cement', 'industrial', 'brutalist', 'terrazzo', '콘크리트', '시멘트', '인더스트리얼'],
  pastel: ['pastel', 'candy', 'pink', 'lavender', 'mint', 'cute', 'playful', '파스텔', '핑크', '분홍', '귀여운'],
  neon: ['neon', 'cyberpunk', 'synthwave', 'vaporwave', 'glow', 'glowing', 'led', 'club', '네온', '사이버펑크', '클럽'],
  sunset: ['sunset', 'sunrise', 'dusk', 'dawn', 'golden hour', 'twilight', '노을', '일몰', '석양', '황혼', '해질녘', '일출', '저녁놀'],
  beach: ['beach', 'sea', 'ocean', 'sand', 'sandy', 'coast', 'seaside', 'tropical', 'summer', 'shore', '해변', '바다', '모래', '해안', '여름', '바닷가', '해수욕장'],
  garden: ['garden', 'plant', 'leaf', 'leaves', 'foliage', 'forest', 'nature', 'natural', 'green', 'park', 'flower', 'botanical', 'greenery', 'jungle', '정원', '숲', '식물', '자연', '꽃', '공원', '풀', '나뭇잎', '초록'],
  kitchen: ['kitchen', 'countertop', 'counter', 'cooking', 'culinary', '주방', '부엌', '키친', '조리대'],
  office: ['office', 'desk', 'workspace', 'workplace', 'window', 'business', '사무실', '오피스', '책상', '창가', '업무'],
  nightcity: ['night city', 'city night', 'city lights', 'skyline', 'night', 'nightscape', 'urban', 'downtown', '야경', '도시', '=밤', '밤거리', '밤하늘', '도심'],
  linen: ['linen', 'fabric', 'cloth', 'textile', 'cotton', 'silk', 'drape', 'draped', '린넨', '리넨', '패브릭', '직물', '=천', '면직물', '실크'],
  water: ['water', 'pool', 'underwater', 'caustic', 'caustics', 'aqua', 'splash', 'ripple', 'wave', '=물', '물결', '물가', '수영장', '수중', '아쿠아'],
  snow: ['snow', 'snowy', 'winter', 'ice', 'icy', 'frost', 'frozen', 'christmas', '=눈', '눈밭', '눈이', '눈덮인', '설경', '겨울', '얼음', '크리스마스'],
  brick: ['brick', 'bricks', 'loft', 'exposed brick', 'red brick', '벽돌', '로프트'],
};

const HANGUL = /[\uac00-\ud7a3]/;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Positions (character index) at which `keyword` occurs in the lower-cased prompt, per the rules above. */
const reCache = new Map<string, RegExp>();

function keywordHits(text: string, keyword: string): number[] {
  // Cheap substring test first: almost every keyword is absent from a given prompt.
  if (!text.includes(keyword.startsWith('=') ? keyword.slice(1) : keyword)) return [];
  let re = reCache.get(keyword);
  if (!re) reCache.set(keyword, (re = keywordRegExp(keyword)));
  const hits: number[] = [];
  for (const m of text.matchAll(re)) hits.push(m.index ?? 0);
  return hits;
}

function keywordRegExp(keyword: string): RegExp {
  const exact = keyword.startsWith('=');
  const kw = exact ? keyword.slice(1) : keyword;
  let re: RegExp;
  if (HANGUL.test(kw)) {
    // Word start: beginning or a non-Hangul/non-letter before. Whole word when exact.
    re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(kw)}${exact ? '(?![\\p{L}\\p{N}])' : ''}`, 'gu');
  } else {
    re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(kw)}(?:s|es)?(?![\\p{L}\\p{N}])`, 'gu');
  }
  return re;
}

export interface LookScore {
  look: LookId;
  hits: number;
  first: number;
}

/** Keyword hits of every look in a prompt (looks with no hit are omitted), best first. */
export function scoreLooks(prompt: string): LookScore[] {
  const text = prompt.toLowerCase().normalize('NFC');
  const scores: LookScore[] = [];
  for (const look of LOOK_IDS) {
    let hits = 0;
    let first = Infinity;
    for (const kw of LOOK_KEYWORDS[look]) {
      const h = keywordHits(text, kw);
      // Multi-word phrases are more specific than single words ("night city" beats "city").
      hits += h.length * (kw.includes(' ') ? 2 : 1);
      if (h.length) first = Math.min(first, h[0]);
    }
    if (hits > 0) scores.push({ look, hits, first });
  }
  // More hits win; on a tie the look named first in the prompt wins.
  return scores.sort((a, b) => b.hits - a.hits || a.first - b.first);
}

/** Looks excluded by the negative prompt (any of their keywords appears in it). */
export function excludedLooks(negative: string): Set<LookId> {
  return new Set(scoreLooks(negative).map((s) => s.look));
}

/**
 * The look for a prompt: the best-scoring look not excluded by `negative`; with no keyword, the
 * studio sweep; if that is excluded too, a seed-chosen look among those left.
 */
export function chooseLook(prompt: string, negative: string, seed: number): LookId {
  const excluded = excludedLooks(negative);
  for (const s of scoreLooks(prompt)) if (!excluded.has(s.look)) return s.look;
  if (!excluded.has('studio')) return 'studio';
  const left = LOOK_IDS.filter((l) => !excluded.has(l));
  if (left.length === 0) return 'studio';
  return left[(seed >>> 0) % left.length];
}

/**
 * Where the prompt says the light comes from: -1 from the left, +1 from the right, 0 when it does
 * not say (the look's default is used).
 */
export function lightSideFromPrompt(prompt: string): -1 | 0 | 1 {
  const t = prompt.toLowerCase();
  const left = /\b(from|on) the left\b|\bleft[- ]side light|\blit from left|왼쪽|좌측/.test(t);
  const right = /\b(from|on) the right\b|\bright[- ]side light|\blit from right|오른쪽|우측/.test(t);
  if (left && !right) return -1;
  if (right && !left) return 1;
  return 0;
}
