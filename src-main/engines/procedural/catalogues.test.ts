import { describe, expect, it } from 'vitest';
import type { KeywordEntry } from '../prompt-keywords';
import { LOOKS } from './looks';
import { MATERIALS } from './materials';
import { TINT_COLOURS } from './materials/colours';

/** Every word of a catalogue, with the entry that lists it. */
function words(cat: readonly (KeywordEntry & { hints?: KeywordEntry['keywords'] })[]): [string, string][] {
  return cat.flatMap((e) => [...e.keywords.en, ...e.keywords.ko, ...(e.hints?.en ?? []), ...(e.hints?.ko ?? [])].map((w): [string, string] => [w, e.id]));
}

describe.each([
  ['looks', LOOKS],
  ['materials', MATERIALS],
  ['tint colours', TINT_COLOURS],
] as const)('%s catalogue', (_name, cat) => {
  it('has unique ids, and each word names one entry once', () => {
    expect(new Set(cat.map((e) => e.id)).size).toBe(cat.length);
    const seen = new Map<string, string>();
    for (const [w, id] of words(cat)) {
      expect(seen.get(w), `"${w}" in ${id} and ${seen.get(w)}`).toBeUndefined();
      seen.set(w, id);
    }
  });

  it('lists words lower-case and trimmed, Korean under ko and English under en', () => {
    for (const e of cat) {
      for (const w of e.keywords.en) expect(w).toMatch(/^[a-z0-9][a-z0-9 -]*[a-z0-9]$/);
      for (const w of e.keywords.ko) expect(w).toMatch(/^\p{Script=Hangul}[\p{Script=Hangul} ]*$/u);
    }
  });
});
