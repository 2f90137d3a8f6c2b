// Which lettering material and tint the words of text_model_prompt / negative_prompt ask for.
import type { Rgb } from '../../imaging/colour';
import { excludedIds, findKeywords, matchKeywords, type KeywordEntry, type Keywords } from '../prompt-keywords';
import { TINT_COLOURS } from './materials/colours';
import { MATERIALS, type MaterialId } from './materials';
import type { MaterialDef, MaterialSpec } from './materials/material-def';
import { roseGoldMaterial } from './materials/rose-gold';

const DEFAULT_MATERIAL: MaterialId = 'gold';
/** With nothing named, the first material the negative prompt leaves. */
const FALLBACK: MaterialId[] = [DEFAULT_MATERIAL, 'silver', 'plastic', 'candy', 'wood', 'stone', 'marble', 'glass', 'neon', 'chrome', 'rose-gold'];

const byId = new Map<MaterialId, MaterialDef<MaterialId>>(MATERIALS.map((m) => [m.id, m]));
const none: Keywords = { en: [], ko: [] };
const join = (...ks: (Keywords | undefined)[]): Keywords => ({ en: ks.flatMap((k) => k?.en ?? []), ko: ks.flatMap((k) => k?.ko ?? []) });

// Two tiers: names first, hints ("metallic") only when nothing is named. Every word of either tier
// excludes its material from the negative prompt.
const NAMED: KeywordEntry<MaterialId>[] = MATERIALS.map((m) => ({ id: m.id, keywords: m.keywords, excludedBy: join(m.hints, m.excludedBy) }));
const HINTED: KeywordEntry<MaterialId>[] = MATERIALS.map((m) => ({ id: m.id, keywords: m.hints ?? none, excludedBy: join(m.keywords, m.excludedBy) }));

/** The material's look; tint recolours the materials whose colour is free. */
export function materialSpec(id: MaterialId, tint: Rgb | null = null): MaterialSpec {
  return byId.get(id)!.spec(tint);
}

/**
 * The material named first in the prompt that the negative prompt does not exclude; gold when the
 * prompt names none (the product's default look), else the first material not excluded.
 */
export function chooseMaterial(prompt: string, negative: string): MaterialId {
  for (const tier of [NAMED, HINTED]) {
    const named = matchKeywords(prompt, negative, tier).sort((a, b) => a.first - b.first);
    if (named.length > 0) return named[0].id;
  }
  const excluded = excludedIds(negative, NAMED);
  return FALLBACK.find((id) => !excluded.has(id)) ?? DEFAULT_MATERIAL;
}

/** The prompt's own words that named (or hinted at) a material or a tint: what the procedural lettering understood. */
export function materialWords(prompt: string, negative: string): string[] {
  const words = [...matchKeywords(prompt, negative, NAMED), ...matchKeywords(prompt, negative, HINTED), ...findKeywords(prompt, TINT_COLOURS)].flatMap(
    (m) => m.matched,
  );
  return [...new Set(words)];
}

// "rose gold" / "pink gold" name a metal, not a colour: listed so that their "pink" is not a tint.
const TINT_WORDS: KeywordEntry[] = [...TINT_COLOURS, { id: 'metal', keywords: roseGoldMaterial.keywords }];

/** A colour word in the prompt (first mentioned), for the materials whose colour is free. */
export function chooseTint(prompt: string, material: MaterialId): Rgb | null {
  const free = byId.get(material)!.tint;
  if (!free) return null;
  const [first] = findKeywords(prompt, TINT_WORDS)
    .filter((m) => m.id !== 'metal')
    .sort((a, b) => a.first - b.first);
  const rgb = first ? TINT_COLOURS.find((c) => c.id === first.id)!.rgb : null;
  return rgb && (free.accepts?.(rgb) ?? true) ? rgb : null;
}
