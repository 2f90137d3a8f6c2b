// Lettering materials: what each looks like (face gradient, bevel, lighting, side walls, effects)
// and how the words of text_model_prompt / negative_prompt pick one, in English and Korean.

export const MATERIAL_IDS = ['gold', 'rose-gold', 'silver', 'chrome', 'neon', 'wood', 'stone', 'marble', 'plastic', 'glass', 'candy'] as const;
export type MaterialId = (typeof MATERIAL_IDS)[number];
export const DEFAULT_MATERIAL: MaterialId = 'gold';

export type Rgb = [number, number, number];
/** [position 0..1 from the top of a line's capitals to its baseline, colour]. */
export type Stop = [number, Rgb];

export interface MaterialSpec {
  id: MaterialId;
  /** Face colour down each line: metals carry a "horizon" band, the look of a reflected studio. */
  face: Stop[];
  texture: 'none' | 'wood' | 'stone' | 'marble' | 'candy' | 'tube';
  /** Bevel width as a fraction of the font size, its profile, and how steep it reads. */
  bevel: { width: number; profile: 'round' | 'chisel'; relief: number };
  ambient: number;
  specular: number;
  shininess: number;
  specColor: Rgb;
  /** Side walls: colour next to the face and at the back. */
  side: { front: Rgb; back: Rgb };
  /** Extrusion depth as a fraction of the font size. */
  depth: number;
  /** Diagonal light streaks across the face (0 = none). */
  streaks: number;
  /** How far the bevel's tilt shifts the face gradient (metals mirror the studio; 0 = matte). */
  reflect: number;
  faceAlpha: number;
  sideAlpha: number;
  glow: { color: Rgb; strength: number } | null;
  shadow: { opacity: number; color: Rgb };
  /** Dark hairline at the face contour: keeps light faces readable over light walls and scenes. */
  outline: { color: Rgb; alpha: number };
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const scale = (a: Rgb, k: number): Rgb => [a[0] * k, a[1] * k, a[2] * k];
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

const base = {
  texture: 'none' as const,
  ambient: 0.45,
  specular: 0.6,
  shininess: 24,
  specColor: WHITE,
  streaks: 0,
  reflect: 0,
  faceAlpha: 1,
  sideAlpha: 1,
  glow: null,
  shadow: { opacity: 0.55, color: [18, 14, 10] as Rgb },
};

function metal(id: MaterialId, face: Stop[], side: { front: Rgb; back: Rgb }, specColor: Rgb, outline: Rgb): MaterialSpec {
  return {
    ...base,
    id,
    face,
    bevel: { width: 0.07, profile: 'chisel', relief: 1.4 },
    ambient: 0.3,
    specular: 0.9,
    shininess: 40,
    specColor,
    side,
    depth: 0.13,
    streaks: 0.28,
    reflect: 0.9,
    outline: { color: outline, alpha: 0.55 },
  };
}

/** The material's look; tint recolours the materials whose colour is a free choice. */
export function materialSpec(id: MaterialId, tint: Rgb | null = null): MaterialSpec {
  switch (id) {
    case 'gold':
      return metal(
        id,
        [[0, [255, 247, 205]], [0.3, [250, 212, 110]], [0.52, [201, 137, 38]], [0.56, [150, 92, 20]], [0.62, [214, 152, 52]], [0.85, [255, 224, 140]], [1, [226, 164, 62]]],
        { front: [168, 104, 22], back: [72, 38, 6] },
        [255, 246, 214],
        [74, 40, 4],
      );
    case 'rose-gold':
      return metal(
        id,
        [[0, [255, 242, 236]], [0.3, [248, 204, 190]], [0.52, [214, 146, 130]], [0.56, [172, 104, 94]], [0.62, [226, 164, 148]], [0.85, [255, 222, 210]], [1, [230, 172, 156]]],
        { front: [176, 106, 96], back: [78, 38, 38] },
        [255, 240, 236],
        [80, 36, 36],
      );
    case 'silver':
      return metal(
        id,
        [[0, [252, 253, 255]], [0.3, [216, 220, 228]], [0.52, [160, 166, 178]], [0.56, [118, 124, 136]], [0.62, [178, 184, 194]], [0.85, [236, 239, 244]], [1, [182, 188, 198]]],
        { front: [112, 118, 130], back: [40, 44, 52] },
        WHITE,
        [34, 38, 46],
      );
    case 'chrome':
      // Chrome mirrors a sky above the horizon and dark ground below: the classic hard-edged band.
      return {
        ...metal(
          id,
          [[0, [236, 246, 255]], [0.25, [150, 196, 240]], [0.5, [232, 242, 255]], [0.53, [64, 52, 50]], [0.62, [120, 98, 86]], [0.85, [226, 210, 196]], [1, [250, 246, 240]]],
          { front: [70, 82, 100], back: [18, 22, 30] },
          WHITE,
          [16, 20, 30],
        ),
        shininess: 60,
        streaks: 0.35,
      };
    case 'neon': {
      const c = tint ?? [255, 46, 170];
      return {
        ...base,
        id,
        // The tube: saturated at the glass wall, white-hot along the middle of each stroke.
        face: [[0, c], [1, c]],
        texture: 'tube',
        bevel: { width: 0.1, profile: 'round', relief: 0.6 },
        ambient: 0.9,
        specular: 0.35,
        shininess: 30,
        side: { front: scale(c, 0.35), back: scale(c, 0.12) },
        depth: 0.03,
        glow: { color: c, strength: 1 },
        shadow: { opacity: 0, color: BLACK },
        outline: { color: scale(c, 0.85), alpha: 0.9 },
      };
    }
    case 'wood':
      return {
        ...base,
        id,
        face: [[0, [214, 160, 104]], [1, [176, 118, 66]]],
        texture: 'wood',
        bevel: { width: 0.05, profile: 'round', relief: 1.2 },
        ambient: 0.5,
        specular: 0.15,
        shininess: 12,
        side: { front: [118, 72, 34], back: [52, 28, 10] },
        depth: 0.14,
        outline: { color: [54, 30, 12], alpha: 0.5 },
      };
    case 'stone':
      return {
        ...base,
        id,
        face: [[0, [206, 200, 188]], [1, [170, 164, 152]]],
        texture: 'stone',
        bevel: { width: 0.06, profile: 'chisel', relief: 1.3 },
        ambient: 0.45,
        specular: 0.08,
        shininess: 8,
        side: { front: [112, 108, 100], back: [44, 42, 38] },
        depth: 0.15,
        outline: { color: [34, 33, 31], alpha: 0.55 },
      };
    case 'marble':
      return {
        ...base,
        id,
        face: [[0, [250, 248, 244]], [1, [226, 222, 216]]],
        texture: 'marble',
        bevel: { width: 0.06, profile: 'chisel', relief: 1.3 },
        ambient: 0.5,
        specular: 0.35,
        shininess: 30,
        side: { front: [150, 146, 140], back: [70, 68, 66] },
        depth: 0.13,
        streaks: 0.12,
        outline: { color: [60, 58, 56], alpha: 0.6 },
      };
    case 'plastic': {
      const c = tint ?? [236, 52, 62];
      return {
        ...base,
        id,
        face: [[0, mix(c, WHITE, 0.18)], [0.6, c], [1, scale(c, 0.88)]],
        bevel: { width: 0.11, profile: 'round', relief: 1.1 },
        ambient: 0.45,
        specular: 0.85,
        shininess: 48,
        side: { front: scale(c, 0.62), back: scale(c, 0.28) },
        depth: 0.12,
        outline: { color: scale(c, 0.35), alpha: 0.5 },
      };
    }
    case 'glass': {
      const c = tint ?? [120, 200, 235];
      return {
        ...base,
        id,
        face: [[0, mix(c, WHITE, 0.9)], [0.5, mix(c, WHITE, 0.65)], [1, mix(c, WHITE, 0.8)]],
        bevel: { width: 0.1, profile: 'round', relief: 2.2 },
        ambient: 0.5,
        specular: 1,
        shininess: 90,
        side: { front: mix(c, WHITE, 0.2), back: scale(c, 0.45) },
        depth: 0.1,
        streaks: 0.5,
        faceAlpha: 0.34,
        sideAlpha: 0.7,
        shadow: { opacity: 0.25, color: scale(c, 0.25) },
        outline: { color: scale(c, 0.3), alpha: 0.85 },
      };
    }
    case 'candy': {
      const c = tint ?? [232, 32, 64];
      return {
        ...base,
        id,
        face: [[0, mix(c, WHITE, 0.25)], [0.6, c], [1, scale(c, 0.85)]],
        texture: 'candy',
        bevel: { width: 0.12, profile: 'round', relief: 1.2 },
        ambient: 0.5,
        specular: 0.95,
        shininess: 60,
        side: { front: scale(c, 0.6), back: scale(c, 0.3) },
        depth: 0.12,
        streaks: 0.15,
        outline: { color: scale(c, 0.35), alpha: 0.55 },
      };
    }
  }
}

// ---- choosing from words

interface Rule {
  id: MaterialId;
  /** English words/phrases matched on word boundaries. */
  en: string[];
  /** Korean words matched inside 어절; single-syllable ones (금, 은, 돌) only as a whole word or with a particle. */
  ko: string[];
  /** Loose words ("metallic", "glowing") that decide only when no material is named outright. */
  weak?: string[];
}

/** Order matters where words overlap: "rose gold" is checked before "gold". */
const RULES: Rule[] = [
  { id: 'rose-gold', en: ['rose gold', 'rose-gold', 'rosegold', 'pink gold'], ko: ['로즈골드', '로즈 골드', '핑크골드', '핑크 골드'] },
  { id: 'gold', en: ['gold', 'golden', 'gilded', 'brass'], ko: ['금', '금색', '금빛', '황금', '골드', '황동'] },
  { id: 'silver', en: ['silver', 'platinum', 'steel', 'aluminium', 'aluminum'], ko: ['은', '은색', '은빛', '실버', '백금', '스틸', '강철'] },
  { id: 'chrome', en: ['chrome', 'chromed', 'mirror', 'retro 80s'], ko: ['크롬', '거울', '미러'], weak: ['metal', 'metallic', '금속', '메탈'] },
  { id: 'neon', en: ['neon', 'led', 'light tube', 'fluorescent', 'cyberpunk'], ko: ['네온', '형광', '발광'], weak: ['glow', 'glowing', '글로우', '빛나는'] },
  { id: 'wood', en: ['wood', 'wooden', 'timber', 'oak', 'walnut'], ko: ['나무', '원목', '목재', '우드'] },
  { id: 'marble', en: ['marble'], ko: ['대리석', '마블'] },
  { id: 'stone', en: ['stone', 'rock', 'granite', 'concrete'], ko: ['돌', '석재', '바위', '화강암', '콘크리트', '스톤'], weak: ['carved', '조각'] },
  { id: 'plastic', en: ['plastic', 'toy', 'lego', 'vinyl', 'balloon', 'clay'], ko: ['플라스틱', '장난감', '풍선', '점토', '고무'] },
  { id: 'glass', en: ['glass', 'crystal', 'ice', 'icy'], ko: ['유리', '크리스탈', '수정', '얼음'], weak: ['transparent', 'translucent', '투명'] },
  { id: 'candy', en: ['candy', 'lollipop', 'jelly', 'gummy'], ko: ['캔디', '사탕', '젤리', '막대사탕'], weak: ['sweet', 'sugar', '달콤'] },
];

/** Generic words in a negative prompt that rule out a whole family. */
const FAMILY_EXCLUDES: { en: string[]; ko: string[]; ids: MaterialId[] }[] = [
  { en: ['metal', 'metallic', 'shiny metal'], ko: ['금속', '메탈'], ids: ['gold', 'rose-gold', 'silver', 'chrome'] },
];

/** Particles and suffixes that may follow a one-syllable Korean material noun (금으로, 은색의, 돌처럼). */
const KO_SUFFIX = /^(색|빛|으로|로|의|이|가|을|를|은|는|과|와|처럼|같은|느낌|재질|소재|장식|글자|글씨|텍스트|효과|스타일)*$/u;

interface Hit {
  id: MaterialId;
  at: number;
}

function escapeRe(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matchWord(text: string, lower: string, en: string[], ko: string[]): number {
  let best = -1;
  const take = (at: number) => {
    if (at >= 0 && (best < 0 || at < best)) best = at;
  };
  for (const word of en) {
    const m = new RegExp(`(^|[^a-z])${escapeRe(word)}([^a-z]|$)`).exec(lower);
    if (m) take(m.index + m[1].length);
  }
  for (const word of ko) {
    if ([...word].length > 1) {
      take(text.indexOf(word));
      continue;
    }
    // One syllable is too ambiguous inside words (은 is also a particle, 금 starts 금속): whole 어절 only.
    const re = /[\p{L}\p{N}]+/gu;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].startsWith(word) && KO_SUFFIX.test(m[0].slice(word.length))) {
        take(m.index);
        break;
      }
    }
  }
  return best;
}

const isHangul = (w: string) => /\p{Script=Hangul}/u.test(w);

function hits(prompt: string, strength: 'strong' | 'weak' = 'strong'): Hit[] {
  const text = prompt.normalize('NFC');
  // "rose gold" must not also count as gold.
  const lower = text.toLowerCase();
  const noRose = lower.replace(/rose[- ]?gold|pink gold/g, (s) => ' '.repeat(s.length));
  const noRoseKo = text.replace(/(로즈|핑크) ?골드/gu, (s) => ' '.repeat(s.length));
  const out: Hit[] = [];
  for (const rule of RULES) {
    const words = strength === 'strong' ? [...rule.en, ...rule.ko] : (rule.weak ?? []);
    const en = words.filter((w) => !isHangul(w));
    const ko = words.filter(isHangul);
    const rose = rule.id === 'rose-gold';
    const at = matchWord(rose ? text : noRoseKo, rose ? lower : noRose, en, ko);
    if (at >= 0) out.push({ id: rule.id, at });
  }
  return out;
}

/** Materials a negative prompt rules out. */
export function excludedMaterials(negative: string): Set<MaterialId> {
  const text = negative.normalize('NFC');
  const lower = text.toLowerCase();
  const out = new Set<MaterialId>(hits(negative).map((h) => h.id));
  for (const h of hits(negative, 'weak')) if (h.id !== 'chrome') out.add(h.id); // "metallic" handled as a family below
  for (const fam of FAMILY_EXCLUDES) if (matchWord(text, lower, fam.en, fam.ko) >= 0) for (const id of fam.ids) out.add(id);
  return out;
}

/**
 * The material named first in the prompt that the negative prompt does not exclude; gold when the
 * prompt names none (the product's default look), else the first material not excluded.
 */
export function chooseMaterial(prompt: string, negative: string): MaterialId {
  const excluded = excludedMaterials(negative);
  for (const strength of ['strong', 'weak'] as const) {
    const named = hits(prompt, strength)
      .filter((h) => !excluded.has(h.id))
      .sort((a, b) => a.at - b.at);
    if (named.length > 0) return named[0].id;
  }
  const fallback: MaterialId[] = [DEFAULT_MATERIAL, 'silver', 'plastic', 'candy', 'wood', 'stone', 'marble', 'glass', 'neon', 'chrome', 'rose-gold'];
  return fallback.find((id) => !excluded.has(id)) ?? DEFAULT_MATERIAL;
}

const COLOURS: { rgb: Rgb; en: string[]; ko: string[] }[] = [
  { rgb: [236, 40, 52], en: ['red', 'crimson', 'scarlet'], ko: ['빨간', '빨강', '빨간색', '붉은', '레드'] },
  { rgb: [255, 128, 24], en: ['orange'], ko: ['주황', '주황색', '오렌지'] },
  { rgb: [255, 206, 24], en: ['yellow'], ko: ['노란', '노랑', '노란색', '옐로'] },
  { rgb: [40, 200, 90], en: ['green', 'lime', 'mint'], ko: ['초록', '초록색', '녹색', '그린', '민트'] },
  { rgb: [30, 200, 255], en: ['cyan', 'aqua', 'turquoise', 'sky blue', 'teal'], ko: ['하늘색', '청록', '시안'] },
  { rgb: [40, 96, 240], en: ['blue', 'navy', 'cobalt'], ko: ['파란', '파랑', '파란색', '블루', '남색'] },
  { rgb: [150, 70, 240], en: ['purple', 'violet', 'lavender'], ko: ['보라', '보라색', '퍼플', '라벤더'] },
  { rgb: [255, 80, 170], en: ['pink', 'magenta', 'hot pink'], ko: ['분홍', '분홍색', '핑크', '마젠타'] },
  { rgb: [250, 250, 250], en: ['white'], ko: ['흰', '하얀', '흰색', '화이트'] },
  { rgb: [44, 44, 48], en: ['black'], ko: ['검은', '검정', '검정색', '블랙'] },
];

/** A colour word in the prompt (first mentioned), for the materials whose colour is free. */
export function chooseTint(prompt: string, material: MaterialId): Rgb | null {
  if (!['neon', 'plastic', 'glass', 'candy'].includes(material)) return null;
  const text = prompt.normalize('NFC');
  // "pink gold" / "rose gold" name a metal, not a colour.
  const lower = text.toLowerCase().replace(/rose[- ]?gold|pink gold/g, ' ');
  let best: { rgb: Rgb; at: number } | null = null;
  for (const c of COLOURS) {
    const at = matchWord(text, lower, c.en, c.ko);
    if (at >= 0 && (!best || at < best.at)) best = { rgb: c.rgb, at };
  }
  // Black neon cannot glow; keep the default.
  if (best && material === 'neon' && best.rgb[0] + best.rgb[1] + best.rgb[2] < 200) return null;
  return best?.rgb ?? null;
}
