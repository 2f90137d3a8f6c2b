import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitText, measureWidth, splitParagraphs } from './text-fit';
import { type TextFit } from '../contracts';

const font = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');
const box = { width: 880, height: 266 };
const margin = Math.round(0.05 * Math.min(box.width, box.height));
const availW = box.width - 2 * margin;
const availH = box.height - 2 * margin;

/** The laid-out block must sit inside the safe area, measured with the real font at the chosen size. */
function expectInside(fit: TextFit, b = box) {
  const m = Math.round(0.05 * Math.min(b.width, b.height));
  for (const line of fit.lines) expect(measureWidth(fit.family, fit.fontSize, line)).toBeLessThanOrEqual(b.width - 2 * m + 0.01);
  expect(fit.blockHeight).toBeLessThanOrEqual(b.height - 2 * m + 0.01);
}

/** "Largest size": 4% larger no longer fits, so the block nearly fills the width or the height. */
function expectFilling(fit: TextFit) {
  const fillsW = fit.blockWidth >= availW * 0.85;
  const fillsH = fit.blockHeight >= availH * 0.85;
  expect(fillsW || fillsH).toBe(true);
}

describe('fitText', () => {
  it('sets a short Latin headline on one line at a large size', () => {
    const fit = fitText('SUMMER SALE', font, box);
    expect(fit.lines).toEqual(['SUMMER SALE']);
    expect(fit.fontSize).toBeGreaterThan(100);
    expectInside(fit);
    expectFilling(fit);
  });

  it('wraps Latin at spaces into several lines and keeps them inside the box', () => {
    const text = 'Fresh roasted coffee beans delivered to your door every single morning';
    const fit = fitText(text, font, box);
    expect(fit.lines.length).toBeGreaterThanOrEqual(2);
    expect(fit.lines.join(' ')).toBe(text);
    expectInside(fit);
    expectFilling(fit);
  });

  it('breaks Korean between 어절 and never inside a word that fits', () => {
    const text = '신선한 원두로 내린 커피를 매일 아침 문 앞까지 배달해 드립니다';
    const fit = fitText(text, font, box);
    expect(fit.lines.length).toBeGreaterThanOrEqual(2);
    expect(fit.lines.join(' ')).toBe(text);
    const words = new Set(text.split(' '));
    for (const line of fit.lines) for (const w of line.split(' ')) expect(words.has(w)).toBe(true);
    expectInside(fit);
    expectFilling(fit);
  });

  it('lays out mixed Hangul and Latin', () => {
    const fit = fitText('NEW 신제품 출시 50% OFF', font, box);
    expect(fit.lines.join(' ')).toBe('NEW 신제품 출시 50% OFF');
    expectInside(fit);
    expectFilling(fit);
  });

  it('honours explicit newlines', () => {
    const fit = fitText('여름 한정\nSUMMER ONLY', font, box);
    expect(fit.lines).toEqual(['여름 한정', 'SUMMER ONLY']);
    expectInside(fit);
  });

  it('breaks one very long word inside only when it alone is too wide to stay readable', () => {
    const narrow = { width: 300, height: 400 };
    const word = '초특가할인이벤트진행중입니다지금바로확인하세요';
    const fit = fitText(word, font, narrow);
    expect(fit.lines.length).toBeGreaterThan(1);
    expect(fit.lines.join('')).toBe(word);
    // Unbroken, the word would need a tiny size to fit the width.
    const nm = Math.round(0.05 * 300);
    const unbrokenSize = ((300 - 2 * nm) * 100) / measureWidth(fit.family, 100, word);
    expect(fit.fontSize).toBeGreaterThan(unbrokenSize * 3);
    expectInside(fit, narrow);
    // A word that fits at a readable size stays whole.
    const whole = fitText('Supercalifragilistic', font, box);
    expect(whole.lines).toEqual(['Supercalifragilistic']);
  });

  it('balances lines instead of leaving one orphan word on the last line', () => {
    const fit = fitText('one two three four five six seven eight nine ten eleven', font, { width: 600, height: 300 });
    expect(fit.lines.length).toBeGreaterThanOrEqual(2);
    const widths = fit.lines.map((l) => measureWidth(fit.family, fit.fontSize, l));
    const last = widths[widths.length - 1];
    expect(last).toBeGreaterThan(Math.max(...widths) * 0.5);
    expect(fit.lines[fit.lines.length - 1].split(' ').length).toBeGreaterThan(1);
  });

  it('gives the largest size: a bigger box gives a bigger font', () => {
    const small = fitText('여름 세일', font, { width: 400, height: 120 });
    const big = fitText('여름 세일', font, { width: 800, height: 240 });
    expect(big.fontSize).toBeGreaterThan(small.fontSize * 1.8);
  });

  it('rejects text without visible characters', () => {
    expect(() => fitText('   \n\t ', font, box)).toThrow();
    expect(splitParagraphs(' a  b \n\n c ')).toEqual([['a', 'b'], ['c']]);
  });
});
