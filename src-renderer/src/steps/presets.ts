// Suggestion chips for the prompts (scene examples, lettering materials) in both UI languages,
// shared by the steps and by variations (four headline styles are four of these materials).

export const EXAMPLES = {
  en: [
    ['Marble', 'white marble countertop, soft window light from the left, luxury'],
    ['Wood', 'warm oak wooden table, rustic kitchen, morning light'],
    ['Beach', 'sandy beach at golden hour, ocean in the distance'],
    ['Garden', 'green garden with leaves and soft daylight'],
    ['Neon', 'neon glow, cyberpunk club, purple and blue light'],
    ['Pastel', 'pastel pink studio sweep, playful and cute'],
    ['Snow', 'snowy winter scene, christmas, soft light'],
    ['Studio', 'minimalist studio with a soft seamless sweep, gentle daylight from the left'],
  ],
  ko: [
    ['대리석', '하얀 대리석 위, 왼쪽 창가의 부드러운 빛, 고급스러운 분위기'],
    ['원목', '따뜻한 원목 테이블, 아침 햇살이 드는 부엌'],
    ['해변', '노을 지는 해변, 멀리 보이는 바다'],
    ['정원', '초록 식물과 나뭇잎이 있는 정원, 부드러운 햇빛'],
    ['네온', '네온 조명, 사이버펑크 클럽, 보라와 파랑 빛'],
    ['파스텔', '파스텔 핑크 스튜디오, 귀여운 분위기'],
    ['겨울', '눈 덮인 겨울 풍경, 크리스마스, 은은한 빛'],
    ['스튜디오', '미니멀 스튜디오, 부드러운 배경지, 왼쪽에서 오는 자연광'],
  ],
} as const;

export const MATERIAL_CHIPS = {
  en: [
    ['Gold', 'gold metallic 3D text with glossy bevel, studio lighting'],
    ['Rose gold', 'rose gold metallic 3D letters, polished bevel, soft light'],
    ['Chrome', 'polished chrome 3D text, mirror reflections'],
    ['Silver', 'brushed silver 3D lettering, subtle bevel'],
    ['Neon', 'glowing neon tube letters, vivid pink glow'],
    ['Wood', 'carved wood 3D letters, warm oak grain'],
    ['Marble', 'white marble 3D letters with grey veins'],
    ['Glass', 'clear glass 3D text, refractive, soft highlights'],
    ['Candy', 'glossy candy 3D letters, playful pastel colours'],
    ['Plastic', 'matte plastic 3D text, bold toy-like colours'],
  ],
  ko: [
    ['골드', '금속 광택의 골드 3D 글자, 반짝이는 베벨, 스튜디오 조명'],
    ['로즈골드', '로즈골드 금속 3D 글자, 매끈한 베벨'],
    ['크롬', '거울처럼 반사되는 크롬 3D 글자'],
    ['실버', '브러시드 실버 3D 글자, 은은한 베벨'],
    ['네온', '빛나는 네온 튜브 글자, 선명한 핑크 glow'],
    ['원목', '따뜻한 원목 결의 3D 글자'],
    ['대리석', '회색 결이 있는 흰 대리석 3D 글자'],
    ['유리', '투명한 유리 3D 글자, 굴절과 하이라이트'],
    ['캔디', '반짝이는 캔디 3D 글자, 파스텔 색'],
    ['플라스틱', '무광 플라스틱 3D 글자, 장난감 같은 색'],
  ],
} as const;
