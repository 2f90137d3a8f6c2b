// Korean → English background prompts through the bilingual glossary.
import { describe, expect, it } from 'vitest';
import { GLOSSARY, translatePrompt } from './glossary';

describe('glossary', () => {
  it('has at least 120 entries over scene, material, light and colour, each Korean word once', () => {
    expect(GLOSSARY.length).toBeGreaterThanOrEqual(120);
    const kinds = new Set(GLOSSARY.map((g) => g.kind));
    for (const k of ['scene', 'material', 'light', 'colour']) expect(kinds.has(k as never)).toBe(true);
    const ko = GLOSSARY.map((g) => g.ko);
    expect(new Set(ko).size).toBe(ko.length);
    for (const g of GLOSSARY) expect(g.en).toMatch(/^[a-z0-9 -]+$/);
  });

  it('translates a Korean prompt word by word, dropping particles', () => {
    const r = translatePrompt('흰 대리석 위의 부드러운 창문 빛');
    expect(r.english).toBe('white marble soft window light');
    expect(r.translated.map((t) => t.ko)).toEqual(['흰', '대리석', '부드러운', '창문', '빛']);
    expect(r.untranslated).toEqual([]);
    expect(r.dropped).toContain('위의');
  });

  it('keeps punctuation and English, and reports unknown Korean words', () => {
    const r = translatePrompt('향수병과 따뜻한 햇살, 해변의 모래, golden hour');
    expect(r.english).toBe('warm sunlight, beach sand, golden hour');
    expect(r.untranslated).toEqual(['향수병']);
    expect(r.dropped).toEqual(expect.arrayContaining(['과', '의']));
  });

  it('matches words glued together and longest first', () => {
    expect(translatePrompt('흰대리석').english).toBe('white marble');
    expect(translatePrompt('하늘색 배경').english).toBe('sky blue background');
    expect(translatePrompt('로즈골드 조명').english).toBe('rose gold lighting');
  });

  it('does not read one-syllable words inside unknown words (특별한 is not "stars")', () => {
    const r = translatePrompt('특별한 달콤한 배경');
    expect(r.english).toBe('background');
    expect(r.untranslated).toEqual(['특별한', '달콤한']);
    expect(translatePrompt('별 달 산').english).toBe('stars moon mountain');
  });

  it('leaves English prompts as they are (whitespace tidied)', () => {
    const r = translatePrompt('  white marble,  soft light ');
    expect(r).toEqual({ english: 'white marble, soft light', translated: [], untranslated: [], dropped: [] });
  });
});
