// Which procedural look a background prompt asks for, and from which side it asks the light to come.
import { excludedIds, findKeywords, matchKeywords, type KeywordEntry } from '../prompt-keywords';
import { LOOK_IDS, LOOKS, type LookId } from './looks';
import type { LookDef } from './looks/look-def';

export interface LookChoice {
  look: LookDef<LookId>;
  /** The prompt's words that chose it ([] for the default or a seed-chosen look). */
  matched: string[];
}

const byId = new Map<LookId, LookDef<LookId>>(LOOKS.map((l) => [l.id, l]));
const lookById = (id: LookId): LookDef<LookId> => byId.get(id)!;

/**
 * The look the prompt names most often (on a tie, first) that `negative` does not exclude; with
 * none named, the studio sweep; if that is excluded too, a seed-chosen look among those left.
 */
export function pickLook(prompt: string, negative: string, seed: number): LookChoice {
  const [best] = matchKeywords(prompt, negative, LOOKS);
  if (best) return { look: lookById(best.id), matched: best.matched };
  const excluded = excludedIds(negative, LOOKS);
  const left = LOOK_IDS.filter((l) => !excluded.has(l));
  const id = excluded.has('studio') && left.length > 0 ? left[(seed >>> 0) % left.length] : 'studio';
  return { look: lookById(id), matched: [] };
}

export const chooseLook = (prompt: string, negative: string, seed: number): LookId => pickLook(prompt, negative, seed).look.id;

const LIGHT_SIDES: KeywordEntry<'left' | 'right'>[] = [
  {
    id: 'left',
    keywords: {
      en: ['from the left', 'on the left', 'left side light', 'left-side light', 'left side lighting', 'left-side lighting', 'lit from left'],
      ko: ['왼쪽', '좌측'],
    },
  },
  {
    id: 'right',
    keywords: {
      en: ['from the right', 'on the right', 'right side light', 'right-side light', 'right side lighting', 'right-side lighting', 'lit from right'],
      ko: ['오른쪽', '우측'],
    },
  },
];

/**
 * Where the prompt says the light comes from: -1 left, +1 right, 0 when it does not say or says
 * both (the look's default is used); with the words that said it.
 */
export function lightSideFromPrompt(prompt: string): { side: -1 | 0 | 1; matched: string[] } {
  const found = findKeywords(prompt, LIGHT_SIDES);
  if (found.length !== 1) return { side: 0, matched: [] };
  return { side: found[0].id === 'left' ? -1 : 1, matched: found[0].matched };
}
