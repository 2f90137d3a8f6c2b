// Decoding real files of every accepted format, made with sharp here: the pixels prove that EXIF
// rotation, first-frame GIF, 16-bit and CMYK conversion happened, and bad input gets clear 400/413s.
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors';
import { decodeBase64Image, decodeImage, encodePng, probeImage, sniffImageType, writePngAtomic } from './codec';

const solid = (r: number, g: number, b: number, w = 16, h = 12) => sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } });

/** 40x20: left half red, right half blue. */
async function halves(): Promise<Sharp> {
  const raw = Buffer.alloc(40 * 20 * 3);
  for (let y = 0; y < 20; y++)
    for (let x = 0; x < 40; x++) {
      const o = (y * 40 + x) * 3;
      if (x < 20) raw[o] = 255;
      else raw[o + 2] = 255;
    }
  return sharp(raw, { raw: { width: 40, height: 20, channels: 3 } });
}

const px = (img: { width: number; data: Buffer }, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];

async function expectAppError(p: Promise<unknown>, status: number, text: RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(status);
  expect((err as AppError).detail).toMatch(text);
}

describe('sniffImageType', () => {
  it('recognises every accepted format from its bytes and nothing else', async () => {
    const base = solid(10, 20, 30);
    expect(sniffImageType(await base.clone().png().toBuffer())).toBe('png');
    expect(sniffImageType(await base.clone().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageType(await base.clone().webp().toBuffer())).toBe('webp');
    expect(sniffImageType(await base.clone().avif().toBuffer())).toBe('avif');
    expect(sniffImageType(await base.clone().tiff().toBuffer())).toBe('tiff');
    expect(sniffImageType(await base.clone().gif().toBuffer())).toBe('gif');
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImageType(Buffer.from('hello world, not an image'))).toBeNull();
    expect(sniffImageType(Buffer.alloc(4))).toBeNull();
  });
});

describe('decodeBase64Image', () => {
  it('accepts raw base64, data URLs and line-wrapped base64', async () => {
    const png = await solid(1, 2, 3).png().toBuffer();
    const b64 = png.toString('base64');
    expect(decodeBase64Image(b64, 'product_image').equals(png)).toBe(true);
    expect(decodeBase64Image(`data:image/png;base64,${b64}`, 'product_image').equals(png)).toBe(true);
    const wrapped = b64.replace(/(.{60})/g, '$1\r\n') + '\n';
    expect(decodeBase64Image(`  ${wrapped}`, 'product_image').equals(png)).toBe(true);
  });

  it('rejects non-base64 with a 400 that names the field', () => {
    for (const bad of ['', 'not base64 at all!', 'data:image/png,rawtext', '%%%%']) {
      let caught: unknown = null;
      try {
        decodeBase64Image(bad, 'step1_image');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).status).toBe(400);
      expect((caught as AppError).detail).toContain('step1_image');
    }
  });
});

describe('probeImage', () => {
  it('reads size, format and alpha from the header, with EXIF rotation swapping width and height', async () => {
    const jpeg = await (await halves()).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await probeImage(jpeg, 'product_image')).toEqual({ format: 'jpeg', width: 20, height: 40, hasAlpha: false });
    const png = await solid(0, 0, 0).ensureAlpha(0.5).png().toBuffer();
    expect(await probeImage(png, 'product_image')).toMatchObject({ format: 'png', width: 16, height: 12, hasAlpha: true });
  });

  it('answers 400 for unknown or corrupt bytes and 413 above the pixel limit', async () => {
    await expectAppError(
      probeImage(Buffer.from('GIF89a but then nothing useful at all'), 'product_image'),
      400,
      /product_image: not a supported image \(PNG, JPEG, WebP, AVIF, TIFF, GIF\)/,
    );
    await expectAppError(probeImage(Buffer.from('just text, long enough to sniff'), 'product_image'), 400, /not a supported image/);
    const big = await solid(0, 0, 0, 300, 200).png().toBuffer();
    await expectAppError(probeImage(big, 'product_image', 50_000), 413, /product_image: 300x200/);
  });
});

describe('decodeImage', () => {
  it('applies EXIF orientation to the pixels (orientation 6: rotate 90° clockwise)', async () => {
    const jpeg = await (await halves()).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const { image, format, hasAlpha } = await decodeImage(jpeg, 'product_image');
    expect([image.width, image.height, format, hasAlpha]).toEqual([20, 40, 'jpeg', false]);
    // The left (red) half of the stored pixels is the top half once displayed.
    const top = px(image, 10, 5);
    const bottom = px(image, 10, 34);
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200);
    expect(bottom[0]).toBeLessThan(60);
    expect(top[3]).toBe(255);
  });

  it('decodes PNG (with alpha), WebP, AVIF, TIFF and greyscale to 8-bit RGBA', async () => {
    const rgba = Buffer.alloc(4 * 4 * 4);
    for (let i = 0; i < 16; i++) rgba.set(i < 8 ? [255, 128, 0, 255] : [0, 0, 0, 0], i * 4);
    const png = await sharp(rgba, { raw: { width: 4, height: 4, channels: 4 } })
      .png()
      .toBuffer();
    const dp = await decodeImage(png, 'product_image');
    expect(dp.hasAlpha).toBe(true);
    expect(px(dp.image, 0, 0)).toEqual([255, 128, 0, 255]);
    expect(px(dp.image, 0, 3)[3]).toBe(0);

    for (const [fmt, buf] of [
      ['webp', await solid(40, 160, 90).webp({ lossless: true }).toBuffer()],
      ['avif', await solid(40, 160, 90).avif({ quality: 90 }).toBuffer()],
      ['tiff', await solid(40, 160, 90).tiff().toBuffer()],
    ] as const) {
      const d = await decodeImage(buf, 'product_image');
      expect(d.format).toBe(fmt);
      const [r, g, b, a] = px(d.image, 5, 5);
      expect(Math.abs(r - 40) + Math.abs(g - 160) + Math.abs(b - 90)).toBeLessThan(15);
      expect(a).toBe(255);
    }

    const grey = await sharp(Buffer.alloc(16 * 12, 77), { raw: { width: 16, height: 12, channels: 1 } })
      .png()
      .toBuffer();
    expect(px((await decodeImage(grey, 'product_image')).image, 3, 3)).toEqual([77, 77, 77, 255]);
  });

  it('uses the first frame of an animated GIF', async () => {
    const red = await solid(255, 0, 0, 8, 6).png().toBuffer();
    const blue = await solid(0, 0, 255, 8, 6).png().toBuffer();
    const gif = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const { image, format } = await decodeImage(gif, 'product_image');
    expect([image.width, image.height, format]).toEqual([8, 6, 'gif']);
    expect(px(image, 4, 3)).toEqual([255, 0, 0, 255]);
    // Not stacked frames: exactly one frame of pixels.
    expect(image.data.length).toBe(8 * 6 * 4);
  });

  it('converts 16-bit PNG and CMYK JPEG to 8-bit sRGB', async () => {
    const p16 = await solid(200, 100, 50, 4, 4).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(p16).metadata()).depth).toBe('ushort');
    const d16 = await decodeImage(p16, 'product_image');
    expect(d16.image.data.length).toBe(4 * 4 * 4);
    expect(px(d16.image, 1, 1)).toEqual([200, 100, 50, 255]);

    const cmyk = await solid(200, 100, 50, 8, 8).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const [r, g, b] = px((await decodeImage(cmyk, 'product_image')).image, 4, 4);
    expect(Math.abs(r - 200)).toBeLessThan(15);
    expect(Math.abs(g - 100)).toBeLessThan(15);
    expect(r > g && g > b).toBe(true);
  });

  it('rejects truncated files with 400', async () => {
    const jpeg = await solid(9, 9, 9, 64, 64).jpeg().toBuffer();
    await expectAppError(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'product_image'), 400, /product_image: not a supported image/);
  });
});

describe('encodePng / writePngAtomic', () => {
  it('writes RGBA and masks that read back identically, leaving no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'decode-test-'));
    const rgba = { width: 3, height: 2, data: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]) };
    const mask = { width: 3, height: 2, data: Buffer.from([0, 50, 100, 150, 200, 255]) };
    await writePngAtomic(join(dir, 'a.png'), rgba);
    await writePngAtomic(join(dir, 'm.png'), mask);
    expect(await readdir(dir)).toEqual(['a.png', 'm.png']);
    const back = await sharp(await readFile(join(dir, 'a.png')))
      .raw()
      .toBuffer();
    expect(back.equals(rgba.data)).toBe(true);
    const maskPng = await encodePng(mask);
    expect((await sharp(maskPng).metadata()).channels).toBe(1);
    const m = await sharp(maskPng).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(m.data.equals(mask.data)).toBe(true);
  });
});
