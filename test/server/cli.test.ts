// `adforge generate` end to end: in-process StudioService, live progress on stderr, out.png on disk.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServerBundle, CLI, productColourShare, productPng, removeTempDirs, ROOT, runCli, tempDir } from './server-process';

afterAll(() => removeTempDirs());

describe('adforge CLI', () => {
  it('generate writes the finished ad and shows a progress line with percent, sub-step and ETA', async () => {
    buildServerBundle();
    const dir = tempDir('cli');
    const product = path.join(dir, 'p.png');
    writeFileSync(product, await productPng());
    const out = path.join(dir, 'nested', 'out.png');
    const r = spawnSync(
      process.execPath,
      [
        CLI,
        'generate',
        '--product',
        product,
        '--bg-prompt',
        'marble countertop, soft window light',
        '--text',
        '봄 신상품',
        '--style',
        'rose gold metallic',
        '--position',
        'bottom',
        '--mode',
        'overlay',
        '--seed',
        '5',
        '--aspect',
        '4:5',
        '--data-dir',
        path.join(dir, 'data'),
        '-o',
        out,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ADFORGE_PROVIDERS: 'cpu' } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(out);
    expect(r.stderr).toMatch(/\[\s*\d+%\] Cutting out the product · ETA \d+s/);
    expect(r.stderr).toMatch(/\[100%\] Done/);
    const png = readFileSync(out);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 816, 1024]); // 4:5 at long edge 1024
    expect(await productColourShare(png)).toBeGreaterThan(0.01);
  });

  it('generate takes the text controls: an outline and a call-to-action button land in the PNG', async () => {
    buildServerBundle();
    const dir = tempDir('cli');
    const out = path.join(dir, 'cta.png');
    const r = runCli([
      'generate',
      '--bg-prompt',
      'soft grey studio',
      '--text',
      'SALE',
      '--outline',
      '#00ff00',
      '--cta',
      '지금 구매하기',
      '--cta-button',
      '#d0103a',
      '--align',
      'left',
      '--data-dir',
      path.join(dir, 'data'),
      '-o',
      out,
    ]);
    expect(r.code, r.output).toBe(0);
    const { data } = await sharp(readFileSync(out)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let green = 0;
    let button = 0;
    for (let i = 0; i < data.length; i += 3) {
      if (data[i] < 60 && data[i + 1] > 200 && data[i + 2] < 60) green++;
      if (Math.abs(data[i] - 0xd0) + Math.abs(data[i + 1] - 0x10) + Math.abs(data[i + 2] - 0x3a) < 40) button++;
    }
    expect(green).toBeGreaterThan(500);
    expect(button).toBeGreaterThan(2000);
    const bad = runCli(['generate', '--text', 'x', '--outline', 'red', '-o', path.join(dir, 'o.png')]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('text_effects.outline: a colour as #rrggbb');
  });

  it('generate rejects a bad option with the field named, before any work', () => {
    const r = runCli(['generate', '--text', 'x', '--position', 'left', '-o', path.join(tempDir('cli'), 'o.png')]);
    expect(r.code).toBe(1);
    expect(r.output).toContain('text_position: must be one of "top", "center", "bottom", "auto"');
  });

  it('models lists every engine model with its state, and the procedural fallbacks', () => {
    const r = runCli(['models', '--data-dir', tempDir('cli')]);
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/segment\s+isnet-medium\s+bundled/);
    expect(r.output).toMatch(/background\s+sdxl-turbo\s+(missing|installed|partial)/);
    expect(r.output).toMatch(/background\s+procedural-backdrop\s+built in/);
    expect(r.output).toContain('onnxruntime-node backends: cpu');
  });
});
