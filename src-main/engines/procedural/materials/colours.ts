// Colour words that tint the materials whose colour is free (neon, plastic, glass, candy).
import type { Rgb } from '../../../imaging/colour';
import type { KeywordEntry } from '../../prompt-keywords';

export interface TintColour extends KeywordEntry {
  rgb: Rgb;
}

export const TINT_COLOURS: TintColour[] = [
  { id: 'red', rgb: [236, 40, 52], keywords: { en: ['red', 'crimson', 'scarlet'], ko: ['빨간', '빨강', '빨간색', '붉은', '레드'] } },
  { id: 'orange', rgb: [255, 128, 24], keywords: { en: ['orange'], ko: ['주황', '주황색', '오렌지'] } },
  { id: 'yellow', rgb: [255, 206, 24], keywords: { en: ['yellow'], ko: ['노란', '노랑', '노란색', '옐로'] } },
  { id: 'green', rgb: [40, 200, 90], keywords: { en: ['green', 'lime', 'mint'], ko: ['초록', '초록색', '녹색', '그린', '민트'] } },
  { id: 'cyan', rgb: [30, 200, 255], keywords: { en: ['cyan', 'aqua', 'turquoise', 'sky blue', 'teal'], ko: ['하늘색', '청록', '시안'] } },
  { id: 'blue', rgb: [40, 96, 240], keywords: { en: ['blue', 'navy', 'cobalt'], ko: ['파란', '파랑', '파란색', '블루', '남색'] } },
  { id: 'purple', rgb: [150, 70, 240], keywords: { en: ['purple', 'violet', 'lavender'], ko: ['보라', '보라색', '퍼플', '라벤더'] } },
  { id: 'pink', rgb: [255, 80, 170], keywords: { en: ['pink', 'magenta', 'hot pink'], ko: ['분홍', '분홍색', '핑크', '마젠타'] } },
  { id: 'white', rgb: [250, 250, 250], keywords: { en: ['white'], ko: ['흰', '하얀', '흰색', '화이트'] } },
  { id: 'black', rgb: [44, 44, 48], keywords: { en: ['black'], ko: ['검은', '검정', '검정색', '블랙'] } },
];
