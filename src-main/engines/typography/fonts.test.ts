import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors';
import { DEFAULT_FONT, listFonts, registerFont, resolveFont } from './fonts';

const bundled = path.resolve('fonts');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'adforge-fonts-'));
const user = path.join(tmp, 'user');
const outside = path.join(tmp, 'outside');
mkdirSync(path.join(user, 'Brand'), { recursive: true });
mkdirSync(outside);
copyFileSync(path.join(bundled, 'NanumGothic/NanumGothicBold.ttf'), path.join(user, 'Brand/Headline.ttf'));
copyFileSync(path.join(bundled, 'NanumSquare/NanumSquareL.ttf'), path.join(outside, 'secret.ttf'));
writeFileSync(path.join(user, 'notes.txt'), 'not a font');
symlinkSync(path.join(outside, 'secret.ttf'), path.join(user, 'escape.ttf'));
symlinkSync(outside, path.join(user, 'escdir'));
symlinkSync(path.join(user, 'Brand/Headline.ttf'), path.join(user, 'alias.ttf'));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function rejection(name: string | null, dirs = { bundled, user }): AppError {
  try {
    resolveFont(name, dirs);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error(`resolveFont(${JSON.stringify(name)}) did not throw`);
}

describe('listFonts', () => {
  it('lists the bundled fonts with the default first, then user fonts', () => {
    const fonts = listFonts({ bundled, user });
    expect(fonts[0]).toEqual({ name: DEFAULT_FONT, family: 'NanumSquare', source: 'bundled' });
    const names = fonts.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['NanumSquare/NanumSquareEB.ttf', 'NanumGothic/NanumGothic.ttf', 'Brand/Headline.ttf', 'alias.ttf']));
    const firstUser = fonts.findIndex((f) => f.source === 'user');
    expect(fonts.slice(0, firstUser).every((f) => f.source === 'bundled')).toBe(true);
    expect(fonts.slice(firstUser).every((f) => f.source === 'user')).toBe(true);
    expect(fonts.find((f) => f.name === 'Brand/Headline.ttf')?.family).toBe('NanumGothic');
  });

  it('leaves out non-fonts and links that lead outside the folder', () => {
    const names = listFonts({ bundled, user }).map((f) => f.name);
    expect(names).not.toContain('notes.txt');
    expect(names).not.toContain('escape.ttf');
    expect(names.some((n) => n.startsWith('escdir/'))).toBe(false);
    expect(names.every((n) => !n.includes('\\') && !path.isAbsolute(n))).toBe(true);
  });

  it('works when the user folder does not exist or is not configured', () => {
    const a = listFonts({ bundled, user: path.join(tmp, 'nope') });
    const b = listFonts({ bundled, user: null });
    expect(a.map((f) => f.name)).toEqual(b.map((f) => f.name));
    expect(a[0].name).toBe(DEFAULT_FONT);
    expect(a.every((f) => f.source === 'bundled')).toBe(true);
  });
});

describe('resolveFont', () => {
  it('resolves null and empty to the default font inside the bundled folder', () => {
    expect(resolveFont(null, { bundled, user })).toBe(path.join(bundled, DEFAULT_FONT));
    expect(resolveFont('', { bundled, user })).toBe(path.join(bundled, DEFAULT_FONT));
  });

  it('resolves listed names from either folder', () => {
    expect(resolveFont('NanumGothic/NanumGothic.ttf', { bundled, user })).toBe(path.join(bundled, 'NanumGothic/NanumGothic.ttf'));
    expect(resolveFont('Brand/Headline.ttf', { bundled, user })).toBe(path.join(user, 'Brand/Headline.ttf'));
    // A link that stays inside the folder is fine.
    expect(resolveFont('alias.ttf', { bundled, user })).toBe(path.join(user, 'Brand/Headline.ttf'));
  });

  it.each([
    ['../etc/passwd'],
    ['/etc/passwd'],
    ['a/../../x.ttf'],
    ['../outside/secret.ttf'],
    ['NanumSquare/../../fonts/NanumSquare/NanumSquareB.ttf'],
    ['NanumSquare\\NanumSquareB.ttf'],
    ['NanumSquare/NanumSquareB.ttf\0.png'],
    ['C:/Windows/Fonts/arial.ttf'],
    ['./NanumSquare/NanumSquareB.ttf'],
    ['escape.ttf'],
    ['escdir/secret.ttf'],
    ['NoSuchFont.ttf'],
    ['notes.txt'],
  ])('rejects %j with a 400 naming font_name', (name) => {
    const err = rejection(name);
    expect(err.status).toBe(400);
    expect(err.field).toBe('font_name');
    expect(err.detail).toContain('font_name');
    expect(err.detail).toContain('GET /fonts');
  });
});

describe('registerFont', () => {
  it('registers once per file and returns a family alias canvas can draw with', () => {
    const file = path.join(bundled, DEFAULT_FONT);
    const a = registerFont(file);
    expect(registerFont(file)).toBe(a);
    expect(registerFont(path.join(bundled, 'NanumSquare/NanumSquareL.ttf'))).not.toBe(a);
  });

  it('rejects a file that is not a font', () => {
    expect(() => registerFont(path.join(user, 'notes.txt'))).toThrow(AppError);
  });
});
