import { describe, expect, it } from 'vitest';
import { excludedIds, findKeywords, matchKeywords, type KeywordEntry } from './prompt-keywords';

const CAT: KeywordEntry[] = [
  { id: 'marble', keywords: { en: ['marble'], ko: ['대리석'] } },
  { id: 'concrete', keywords: { en: ['concrete', 'cement'], ko: ['콘크리트'] } },
  { id: 'beach', keywords: { en: ['beach', 'sea'], ko: ['해변', '바다'] } },
  { id: 'gold', keywords: { en: ['gold'], ko: ['금', '골드'] }, excludedBy: { en: ['metallic'], ko: ['금속'] } },
  { id: 'rose', keywords: { en: ['rose gold'], ko: ['로즈골드'] } },
  { id: 'snow', keywords: { en: ['snow'], ko: ['눈', '눈밭'] } },
  { id: 'city', keywords: { en: ['night city', 'night'], ko: ['야경'] } },
];
const ids = (prompt: string, negative = '') => matchKeywords(prompt, negative, CAT).map((m) => m.id);

describe('matchKeywords: English', () => {
  it('matches whole words, any case, plurals allowed', () => {
    expect(ids('A Marble table')).toEqual(['marble']);
    expect(ids('two marbles')).toEqual(['marble']);
    expect(ids('CONCRETE wall')).toEqual(['concrete']);
    expect(ids('beaches at dawn')).toEqual(['beach']);
  });

  it('does not match inside another word', () => {
    expect(ids('preconcreted slab, season sale, goldfish')).toEqual([]);
    expect(ids('marble2 x')).toEqual([]);
  });

  it('lets Hangul touch an English word (a particle after it)', () => {
    expect(ids('marble로 만든 바닥')).toEqual(['marble']);
  });
});

describe('matchKeywords: Korean', () => {
  it('matches words of two or more syllables with particles or compounds around them', () => {
    expect(ids('대리석에 놓인 병')).toEqual(['marble']);
    expect(ids('대리석 위')).toEqual(['marble']);
    expect(ids('인조대리석')).toEqual(['marble']);
    expect(ids('해변에서 찍은 사진')).toEqual(['beach']);
  });

  it('matches a one-syllable word alone or followed by particles only', () => {
    expect(ids('눈 덮인 산')).toEqual(['snow']);
    expect(ids('눈이 오는 날')).toEqual(['snow']);
    expect(ids('금으로 만든 글자')).toEqual(['gold']);
    expect(ids('눈부신 여름')).toEqual([]);
    expect(ids('금요일 세일')).toEqual([]);
    expect(ids('황금')).toEqual([]); // not at the start of the run
    expect(ids('금속 질감')).toEqual([]);
  });
});

describe('matchKeywords: scoring, overlap, negative', () => {
  it('a match inside a longer one does not count', () => {
    expect(ids('rose gold letters')).toEqual(['rose']);
    expect(ids('로즈골드 글씨')).toEqual(['rose']);
    expect(ids('눈밭')).toEqual(['snow']);
    expect(findKeywords('night city', CAT)).toEqual([{ id: 'city', matched: ['night city'], score: 2, first: 0 }]);
  });

  it('ranks by score (phrases count 2), then by the first mention', () => {
    expect(ids('sea, beach and marble')).toEqual(['beach', 'marble']);
    expect(ids('marble by the sea')).toEqual(['marble', 'beach']);
    expect(ids('marble at night city')).toEqual(['city', 'marble']);
  });

  it('reports the words it understood, as written, once each', () => {
    const [m] = findKeywords('Marble, 대리석에, marbles and MARBLE', CAT);
    expect(m.matched).toEqual(['Marble', '대리석', 'marbles', 'MARBLE']);
    expect(findKeywords('marble marble', CAT)[0]).toMatchObject({ matched: ['marble'], score: 2 });
  });

  it('excludes entries named in the negative prompt, in either language, and by excludedBy words', () => {
    expect(ids('marble on the beach', 'beach')).toEqual(['marble']);
    expect(ids('대리석 해변', '바다, 해변')).toEqual(['marble']);
    expect(ids('gold letters', 'metallic')).toEqual([]);
    expect(ids('gold letters', '금속')).toEqual([]);
    expect([...excludedIds('rose gold, blurry', CAT)]).toEqual(['rose']); // not gold
  });

  it('handles mixed English and Korean prompts', () => {
    expect(ids('luxury 대리석 and sea')).toEqual(['marble', 'beach']);
    expect(findKeywords('snow 눈 덮인', CAT)[0]).toMatchObject({ id: 'snow', matched: ['snow', '눈'], score: 2 });
  });

  it('normalises decomposed Hangul (NFD) before matching', () => {
    expect(ids('대리석'.normalize('NFD'))).toEqual(['marble']);
  });
});
