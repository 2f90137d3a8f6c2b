// Korean background prompts → the English prompt the CLIP/T5 encoders understand. The encoders'
// vocabularies are English (CLIP turns Hangul into byte fragments), so a bilingual glossary of the
// words that make a product backdrop (scene, material, light, colour, mood) is matched greedily
// inside each Korean word, particles are dropped, and every word is accounted for: translated,
// dropped as grammar, or left untranslated (reported, never silently lost).

export type GlossaryKind = 'scene' | 'material' | 'light' | 'colour' | 'style';

export interface GlossaryEntry {
  ko: string;
  en: string;
  kind: GlossaryKind;
}

const e = (kind: GlossaryKind, pairs: [string, string][]): GlossaryEntry[] => pairs.map(([ko, en]) => ({ ko, en, kind }));

export const GLOSSARY: readonly GlossaryEntry[] = [
  ...e('scene', [
    ['해변', 'beach'],
    ['바닷가', 'seaside'],
    ['바다', 'sea'],
    ['파도', 'waves'],
    ['모래사장', 'sandy beach'],
    ['숲속', 'in a forest'],
    ['숲', 'forest'],
    ['산', 'mountain'],
    ['정원', 'garden'],
    ['주방', 'kitchen'],
    ['부엌', 'kitchen'],
    ['욕실', 'bathroom'],
    ['거실', 'living room'],
    ['침실', 'bedroom'],
    ['카페', 'cafe'],
    ['사무실', 'office'],
    ['스튜디오', 'studio'],
    ['도시', 'city'],
    ['거리', 'street'],
    ['야경', 'city lights at night'],
    ['하늘', 'sky'],
    ['구름', 'clouds'],
    ['사막', 'desert'],
    ['눈밭', 'snowfield'],
    ['설원', 'snowfield'],
    ['호수', 'lake'],
    ['강', 'river'],
    ['공원', 'park'],
    ['테이블', 'table'],
    ['탁자', 'table'],
    ['책상', 'desk'],
    ['선반', 'shelf'],
    ['받침대', 'pedestal'],
    ['단상', 'podium'],
    ['포디움', 'podium'],
    ['배경', 'background'],
    ['벽', 'wall'],
    ['바닥', 'floor'],
    ['창가', 'by the window'],
    ['창문', 'window'],
    ['커튼', 'curtains'],
    ['식물', 'plants'],
    ['화분', 'potted plant'],
    ['야자수', 'palm trees'],
    ['수영장', 'swimming pool'],
    ['온실', 'greenhouse'],
    ['무대', 'stage'],
    ['매장', 'store'],
    ['진열대', 'display stand'],
    ['자연', 'nature'],
    ['봄', 'spring'],
    ['여름', 'summer'],
    ['가을', 'autumn'],
    ['겨울', 'winter'],
    ['크리스마스', 'christmas'],
    ['꽃밭', 'flower field'],
    ['꽃잎', 'petals'],
    ['꽃', 'flowers'],
    ['나뭇잎', 'leaves'],
    ['잎사귀', 'leaves'],
    ['자갈', 'pebbles'],
    ['조약돌', 'pebbles'],
    ['물방울', 'water droplets'],
    ['물결', 'ripples'],
    ['폭포', 'waterfall'],
    ['언덕', 'hill'],
    ['들판', 'meadow'],
    ['잔디', 'grass'],
    ['이끼', 'moss'],
    ['우주', 'outer space'],
    ['별', 'stars'],
    ['달', 'moon'],
    ['풍경', 'landscape'],
    ['실내', 'interior'],
    ['야외', 'outdoor'],
    ['호텔', 'hotel'],
    ['라운지', 'lounge'],
    ['레스토랑', 'restaurant'],
    ['조리대', 'kitchen counter'],
    ['세면대', 'bathroom sink'],
    ['제품', 'product'],
    ['상품', 'product'],
    ['산호', 'coral reef'],
  ]),
  ...e('material', [
    ['대리석', 'marble'],
    ['원목', 'natural wood'],
    ['나무', 'wood'],
    ['목재', 'wood'],
    ['유리', 'glass'],
    ['금속', 'metal'],
    ['스테인리스', 'stainless steel'],
    ['콘크리트', 'concrete'],
    ['석재', 'stone'],
    ['돌', 'stone'],
    ['화강암', 'granite'],
    ['모래', 'sand'],
    ['패브릭', 'fabric'],
    ['천', 'fabric'],
    ['린넨', 'linen'],
    ['실크', 'silk'],
    ['벨벳', 'velvet'],
    ['가죽', 'leather'],
    ['종이', 'paper'],
    ['도자기', 'porcelain'],
    ['세라믹', 'ceramic'],
    ['타일', 'tiles'],
    ['벽돌', 'brick'],
    ['얼음', 'ice'],
    ['물', 'water'],
    ['플라스틱', 'plastic'],
    ['아크릴', 'acrylic'],
    ['거울', 'mirror'],
    ['크롬', 'chrome'],
    ['황동', 'brass'],
    ['구리', 'copper'],
    ['테라조', 'terrazzo'],
    ['석고', 'plaster'],
    ['라탄', 'rattan'],
    ['대나무', 'bamboo'],
    ['코르크', 'cork'],
    ['새틴', 'satin'],
    ['모피', 'fur'],
    ['니트', 'knit'],
    ['진주', 'pearl'],
    ['크리스탈', 'crystal'],
    ['수정', 'quartz crystal'],
    ['눈', 'snow'],
  ]),
  ...e('light', [
    ['자연광', 'natural light'],
    ['햇빛', 'sunlight'],
    ['햇살', 'sunlight'],
    ['빛', 'light'],
    ['조명', 'lighting'],
    ['역광', 'backlight'],
    ['그림자', 'shadows'],
    ['석양', 'sunset'],
    ['노을', 'sunset glow'],
    ['일몰', 'sunset'],
    ['일출', 'sunrise'],
    ['황금빛', 'golden light'],
    ['네온', 'neon'],
    ['밤', 'night'],
    ['아침', 'morning'],
    ['낮', 'daylight'],
    ['저녁', 'evening'],
    ['새벽', 'dawn'],
    ['반사', 'reflections'],
    ['광택', 'glossy'],
    ['무광', 'matte'],
    ['반짝이는', 'sparkling'],
    ['보케', 'bokeh'],
    ['안개', 'fog'],
    ['스포트라이트', 'spotlight'],
    ['소프트박스', 'softbox'],
    ['촛불', 'candlelight'],
    ['달빛', 'moonlight'],
    ['부드러운', 'soft'],
    ['따뜻한', 'warm'],
    ['따스한', 'warm'],
    ['차가운', 'cool'],
    ['시원한', 'cool'],
    ['밝은', 'bright'],
    ['환한', 'bright'],
    ['어두운', 'dark'],
    ['은은한', 'subtle'],
    ['강렬한', 'dramatic'],
    ['극적인', 'dramatic'],
    ['화사한', 'radiant'],
    ['몽환적인', 'dreamy'],
    ['그늘', 'shade'],
  ]),
  ...e('colour', [
    ['빨간색', 'red'],
    ['빨간', 'red'],
    ['빨강', 'red'],
    ['붉은', 'red'],
    ['파란색', 'blue'],
    ['파란', 'blue'],
    ['파랑', 'blue'],
    ['푸른', 'blue'],
    ['노란색', 'yellow'],
    ['노란', 'yellow'],
    ['노랑', 'yellow'],
    ['초록색', 'green'],
    ['초록', 'green'],
    ['녹색', 'green'],
    ['흰색', 'white'],
    ['하얀색', 'white'],
    ['하얀', 'white'],
    ['흰', 'white'],
    ['화이트', 'white'],
    ['검은색', 'black'],
    ['검정색', 'black'],
    ['검정', 'black'],
    ['검은', 'black'],
    ['블랙', 'black'],
    ['회색', 'gray'],
    ['그레이', 'gray'],
    ['분홍색', 'pink'],
    ['분홍', 'pink'],
    ['핑크', 'pink'],
    ['보라색', 'purple'],
    ['보라', 'purple'],
    ['주황색', 'orange'],
    ['주황', 'orange'],
    ['갈색', 'brown'],
    ['베이지', 'beige'],
    ['금색', 'gold'],
    ['골드', 'gold'],
    ['은색', 'silver'],
    ['실버', 'silver'],
    ['하늘색', 'sky blue'],
    ['남색', 'navy blue'],
    ['민트', 'mint'],
    ['파스텔', 'pastel'],
    ['크림색', 'cream'],
    ['아이보리', 'ivory'],
    ['청록색', 'teal'],
    ['와인색', 'burgundy'],
    ['로즈골드', 'rose gold'],
    ['올리브', 'olive'],
    ['코랄', 'coral'],
    ['라벤더', 'lavender'],
    ['투명한', 'transparent'],
    ['투명', 'transparent'],
    ['무지개', 'rainbow'],
  ]),
  ...e('style', [
    ['미니멀한', 'minimal'],
    ['미니멀', 'minimal'],
    ['고급스러운', 'luxurious'],
    ['럭셔리', 'luxury'],
    ['모던한', 'modern'],
    ['모던', 'modern'],
    ['빈티지', 'vintage'],
    ['깨끗한', 'clean'],
    ['심플한', 'simple'],
    ['세련된', 'elegant'],
    ['우아한', 'elegant'],
    ['아늑한', 'cozy'],
    ['상큼한', 'fresh'],
    ['청량한', 'refreshing'],
    ['신선한', 'fresh'],
    ['고요한', 'serene'],
    ['평화로운', 'peaceful'],
    ['귀여운', 'cute'],
    ['화려한', 'glamorous'],
    ['자연스러운', 'natural'],
    ['사실적인', 'photorealistic'],
    ['고화질', 'high resolution'],
    ['제품사진', 'product photography'],
    ['광고', 'advertisement'],
    ['배경화면', 'wallpaper'],
    ['흐릿한', 'blurred'],
    ['흐린', 'blurred'],
    ['입체적인', 'three-dimensional'],
  ]),
];

/** Grammar that carries no picture: particles, position words and conjunctions (dropped, reported). */
const PARTICLES = [
  '에서',
  '으로',
  '에게',
  '처럼',
  '같은',
  '위에',
  '위의',
  '위',
  '아래',
  '옆에',
  '옆',
  '앞에',
  '앞',
  '뒤에',
  '뒤',
  '속의',
  '속에',
  '속',
  '안에',
  '안',
  '의',
  '에',
  '와',
  '과',
  '을',
  '를',
  '은',
  '는',
  '이',
  '가',
  '로',
  '도',
  '및',
  '그리고',
  '있는',
  '가득한',
  '느낌',
  '스타일',
  '톤',
].sort((a, b) => b.length - a.length);

const BY_LENGTH = [...GLOSSARY].sort((a, b) => b.ko.length - a.ko.length);
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

export interface TranslatedPrompt {
  /** The prompt as sent to the encoders: English, in the user's order. */
  english: string;
  /** Korean glossary words found, with their English. */
  translated: { ko: string; en: string }[];
  /** Korean fragments the glossary does not know (left out of the English prompt). */
  untranslated: string[];
  /** Particles and position words dropped as grammar. */
  dropped: string[];
}

export function hasHangul(text: string): boolean {
  return HANGUL.test(text);
}

/** Translates the Korean words of a prompt through the glossary; other text passes unchanged. */
export function translatePrompt(prompt: string): TranslatedPrompt {
  const translated: { ko: string; en: string }[] = [];
  const untranslated: string[] = [];
  const dropped: string[] = [];
  if (!hasHangul(prompt)) return { english: prompt.trim().replace(/\s+/g, ' '), translated, untranslated, dropped };

  const out: string[] = [];
  // Split into Hangul runs and everything else, keeping the separators' order.
  for (const piece of prompt.split(/([\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+)/)) {
    if (!piece) continue;
    if (!hasHangul(piece)) {
      out.push(piece);
      continue;
    }
    const words: string[] = [];
    let pos = 0;
    let unknown = '';
    const flushUnknown = () => {
      if (!unknown) return;
      // An unknown stem may still end in a particle: report only the stem.
      let stem = unknown;
      for (const p of PARTICLES)
        if (stem.length > p.length && stem.endsWith(p)) {
          dropped.push(p);
          stem = stem.slice(0, -p.length);
          break;
        }
      untranslated.push(stem);
      unknown = '';
    };
    // A one-syllable word (산, 별, 달, 빛…) counts only as a whole word: at a word start, and followed
    // by the end, a particle or another glossary word, so 특별한 does not become "stars".
    const wordEndsAt = (end: number) =>
      end === piece.length || PARTICLES.some((p) => piece.startsWith(p, end)) || BY_LENGTH.some((g) => g.ko.length > 1 && piece.startsWith(g.ko, end));
    while (pos < piece.length) {
      const hit = BY_LENGTH.find((g) => piece.startsWith(g.ko, pos) && (g.ko.length > 1 || (unknown === '' && wordEndsAt(pos + 1))));
      if (hit) {
        flushUnknown();
        words.push(hit.en);
        translated.push({ ko: hit.ko, en: hit.en });
        pos += hit.ko.length;
        continue;
      }
      // Particles only count at a word boundary after something (a lone '이' is not grammar).
      const particle =
        unknown === '' && (pos > 0 || piece.length > 1) ? PARTICLES.find((p) => piece.startsWith(p, pos) && (pos > 0 || p.length === piece.length)) : undefined;
      if (particle) {
        dropped.push(particle);
        pos += particle.length;
        continue;
      }
      unknown += piece[pos];
      pos += 1;
    }
    flushUnknown();
    if (words.length > 0) out.push(` ${words.join(' ')} `);
  }
  const english = out
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/([,;])(?:\s*[,;])+/g, '$1')
    .replace(/^[\s,;]+|[\s,;]+$/g, '')
    .trim();
  return { english, translated, untranslated, dropped };
}
