// The ControlNet lettering end to end on the CPU through the real loading code: the shipped
// manifests (models/sdxl-turbo.json, models/sdxl-controlnet-canny.json) over model folders with the
// installer's lock file, the catalogue, the engine registry (auto / explicit choice, signature
// checks, shared sessions, the VRAM budget), the tokenizers, scheduler and VAE, the segmenter
// (a BiRefNet stand-in) and colour-key matte, the legibility guard with its retries and procedural
// fallback, then step 2 and step 3 of the pipeline composing the layer.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AppError, StoppedError } from '../../core/errors';
import type { SubStepId } from '../../core/jobs';
import type { RgbaImage } from '../../imaging/types';
import { runStep2, type Step2Input } from '../../pipeline/step2-text';
import { runStep3 } from '../../pipeline/step3-compose';
import type { StepContext } from '../../pipeline/types';
import { DiffusionMemoryError } from '../diffusion/errors';
import { ModelError } from '../models/errors';
import { releaseAllSessions } from '../onnx/sessions';
import { proceduralLettering } from '../procedural/lettering-engine';
import { EngineRegistry, type RegistryOptions } from '../registry';
import { conv1x1Model } from '../../../test/helpers/onnx-graph';
import { writeControlNetFolder, writeSdxlTurboInstall, type ControlNetFolderOptions } from '../../../test/helpers/controlnet-graphs';
import type { ControlNetLetteringEngine } from './controlnet-lettering';

const fontPath = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');
const shipped = path.resolve(import.meta.dirname, '../../../models');
const root = mkdtempSync(join(tmpdir(), 'controlnet-lettering-'));
afterAll(async () => {
  await releaseAllSessions();
  rmSync(root, { recursive: true, force: true });
});

const FUSED_MEAN: ControlNetFolderOptions = { variant: 'fused', ioType: 'float16', timestep: { type: 'float16', shape: [1] }, fill: 'mean', kappa: 3 };

/** A models folder with SDXL-Turbo, a ControlNet export and a BiRefNet stand-in that picks out the (blue) lettering. */
function modelsDir(name: string, cn: ControlNetFolderOptions | null, opts: { base?: boolean; segmenter?: 'good' | 'everything' } = {}): string {
  const dir = join(root, name);
  if (opts.base ?? true) writeSdxlTurboInstall(join(dir, 'sdxl-turbo'));
  if (cn) writeControlNetFolder(join(dir, 'sdxl-controlnet-canny'), cn);
  mkdirSync(dir, { recursive: true });
  // BiRefNet signature (input_image → output_image logits, ImageNet normalisation): blue → foreground.
  const seg = opts.segmenter ?? 'good';
  writeFileSync(
    join(dir, 'birefnet.onnx'),
    conv1x1Model({
      input: 'input_image',
      output: 'output_image',
      size: 1024,
      weights: seg === 'good' ? [-2, -2, 2] : [0, 0, 0],
      bias: seg === 'good' ? -2 : 10,
      sigmoid: false,
    }),
  );
  return dir;
}

/** A user manifest folder whose sdxl-controlnet-canny says the ControlNet takes the glyph mask. */
function maskManifestDir(): string {
  const dir = join(root, 'manifests-mask');
  mkdirSync(dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(shipped, 'sdxl-controlnet-canny.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'sdxl-controlnet-canny.json'), JSON.stringify({ ...m, control: { image: 'mask', scale: 0.7 } }));
  return dir;
}

function registry(dir: string, over: Partial<RegistryOptions> = {}, logs: string[] = []): EngineRegistry {
  return new EngineRegistry({ modelsDir: dir, manifestDirs: [shipped], cacheDir: join(dir, 'cache'), providers: ['cpu'], log: (m) => logs.push(m), ...over });
}

function context(signal = new AbortController().signal) {
  const events: [SubStepId, number, string | undefined][] = [];
  const ctx: StepContext = { signal, progress: (s, f, m) => events.push([s, f, m]), seed: 1, log: () => {} };
  return { ctx, events };
}

const input = (over: Partial<Step2Input> = {}): Step2Input => ({
  text: '여름 SALE',
  fontPath,
  stylePrompt: 'gold metallic 3D text, studio lighting',
  negativePrompt: '',
  width: 512,
  height: 512,
  scene: null,
  seed: 42,
  ...over,
});

/** Every border row and column of a trimmed layer has some alpha. */
function trimmed(img: RgbaImage): boolean {
  const { width: w, height: h, data } = img;
  const row = (y: number) => Array.from({ length: w }, (_, x) => data[(y * w + x) * 4 + 3]).some((a) => a > 0);
  const col = (x: number) => Array.from({ length: h }, (_, y) => data[(y * w + x) * 4 + 3]).some((a) => a > 0);
  return row(0) && row(h - 1) && col(0) && col(w - 1);
}

describe('lettering engine choice (registry)', () => {
  it('auto without the models installed: the procedural renderer, nothing to report', async () => {
    const reg = registry(modelsDir('none', null, { base: false }));
    const { ctx } = context();
    const r = await runStep2(input(), ctx, reg.lettering());
    expect([r.engine, r.provider, r.material, r.note]).toEqual(['procedural-lettering', null, 'gold', null]);
    expect(await reg.letteringInventory()).toEqual([
      { id: 'sdxl-controlnet-canny', installed: false, base: { id: 'sdxl-turbo', installed: false }, resident: false, minVramGB: 12, fitsBudget: true },
    ]);
    expect(reg.lettering('procedural')).toBe(proceduralLettering);
  });

  it('refuses an unknown engine, and an explicit request without its base model says what to install', async () => {
    const reg = registry(modelsDir('no-base', FUSED_MEAN, { base: false }));
    expect(() => reg.lettering('wordart')).toThrow(AppError);
    const { ctx } = context();
    const err = await runStep2(input(), ctx, reg.lettering('sdxl-controlnet-canny')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).message).toMatch(
      /sdxl-controlnet-canny runs on sdxl-turbo's text encoders and VAE: model sdxl-turbo is missing.*adforge models install sdxl-turbo/,
    );
    // auto: the procedural renderer, silently (not installed is the normal case).
    expect((await runStep2(input(), ctx, reg.lettering())).engine).toBe('procedural-lettering');
  });

  it('over the VRAM budget: auto says so and draws procedurally; an explicit request is refused', async () => {
    const reg = registry(modelsDir('budget', FUSED_MEAN), { vramBudgetGb: 8 });
    const { ctx } = context();
    const r = await runStep2(input(), ctx, reg.lettering());
    expect(r.engine).toBe('procedural-lettering');
    expect(r.note).toBe(
      'procedural lettering used: sdxl-controlnet-canny is installed but needs about 12 GB of GPU memory, more than the VRAM budget of 8 GB (ADFORGE_VRAM_GB)',
    );
    await expect(runStep2(input(), ctx, reg.lettering('sdxl-controlnet-canny'))).rejects.toThrow(/more than the VRAM budget of 8 GB/);
  });
});

describe('generated lettering through step 2 and step 3', () => {
  afterEach(() => vi.restoreAllMocks());

  it('fused export, glyph-mask control: a matted RGBA layer that passes the guard, composed by step 3', async () => {
    const logs: string[] = [];
    const dir = modelsDir('fused-mask', FUSED_MEAN);
    const reg = new EngineRegistry({
      modelsDir: dir,
      manifestDirs: [shipped, maskManifestDir()],
      cacheDir: join(dir, 'cache'),
      providers: ['cpu'],
      log: (m) => logs.push(m),
    });
    expect((await reg.letteringInventory())[0]).toMatchObject({ installed: true, base: { id: 'sdxl-turbo', installed: true } });
    const { ctx, events } = context();
    const r = await runStep2(input(), ctx, reg.lettering());
    expect([r.engine, r.provider, r.material, r.note]).toEqual(['sdxl-controlnet-canny', 'cpu', 'generated', null]);
    expect(r.ignored).toEqual([]);
    expect(trimmed(r.image)).toBe(true);
    // Progress per denoising step inside text_generation, rising.
    const steps = events.filter(([s, , m]) => s === 'text_generation' && m?.startsWith('denoising step'));
    expect(steps.map(([, , m]) => m)).toEqual(['denoising step 1/4', 'denoising step 2/4', 'denoising step 3/4', 'denoising step 4/4']);
    const fractions = events.filter(([s]) => s === 'text_generation').map(([, f]) => f);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    // The layer is at the layout's scale: about the size of the procedural layer of the same layout.
    const procedural = await runStep2(input(), context().ctx, proceduralLettering);
    expect(r.fontSize).toBe(procedural.fontSize);
    expect(r.image.width / procedural.image.width).toBeGreaterThan(0.8);
    expect(r.image.width / procedural.image.width).toBeLessThan(1.25);
    // Opaque letters, transparent counters/background: the layer is not a filled box.
    let opaque = 0;
    let clear = 0;
    for (let i = 3; i < r.image.data.length; i += 4) {
      if (r.image.data[i] > 240) opaque++;
      else if (r.image.data[i] === 0) clear++;
    }
    expect(opaque / (r.image.width * r.image.height)).toBeGreaterThan(0.2);
    expect(clear / (r.image.width * r.image.height)).toBeGreaterThan(0.2);
    expect(logs.join('\n')).toMatch(
      /sdxl-controlnet-canny \(fused\) seed 42: legibility worst IoU 0\.\d\d at '.', mean 0\.\d\d \((segmenter|colour-key) matte\) → kept/,
    );
    expect(logs).toContain('engines: sdxl-controlnet-canny resident for lettering');

    // Step 3 composes it like any lettering layer.
    const background: RgbaImage = { width: 512, height: 512, data: Buffer.alloc(512 * 512 * 4) };
    for (let i = 0; i < 512 * 512; i++) background.data.set([200, 205, 210, 255], i * 4);
    const r3 = await runStep3(
      { background, textLayer: r.image, productMask: null, scene: null, mode: 'overlay', position: 'top', box: null, strength: 0.4 },
      context().ctx,
    );
    const { x, y, width, height } = r3.placed;
    expect(y + height).toBeLessThan(512 / 2);
    let changedInside = 0;
    let changedOutside = 0;
    for (let py = 0; py < 512; py++)
      for (let px = 0; px < 512; px++) {
        const o = (py * 512 + px) * 4;
        const changed = r3.image.data[o] !== 200 || r3.image.data[o + 2] !== 210;
        const inside = px >= x - 1 && px <= x + width + 1 && py >= y - 1 && py <= y + height + 1;
        if (changed && inside) changedInside++;
        if (changed && !inside) changedOutside++;
      }
    expect(changedInside).toBeGreaterThan(0.15 * width * height);
    expect(changedOutside).toBe(0);
    await reg.release();
  });

  it('separate export (ControlNet + residual UNet), canny control from the shipped manifest, a guard threshold from the settings', async () => {
    const logs: string[] = [];
    const dir = modelsDir('separate-canny', {
      variant: 'separate',
      ioType: 'float32',
      timestep: { type: 'float32', shape: [1] },
      naming: 'diffusersjs',
      scale: { type: 'float64', shape: [] },
      outputs: 'numbered',
      fill: 'touch',
    });
    const reg = registry(dir, { letteringGuard: { minIou: 0.3 } }, logs);
    const choice = await reg.letteringChoice('auto');
    const engine = choice.engine as ControlNetLetteringEngine;
    const req = {
      text: '여름 SALE',
      fontPath,
      box: { width: 440, height: 133 },
      stylePrompt: 'gold 3d text',
      negativePrompt: 'blurry',
      lightDir: { x: 0.45, y: 0.89 },
      seed: 9,
    };
    const r = await engine.render(engine.layout(req), req);
    expect(engine.id).toBe('sdxl-controlnet-canny');
    expect(engine.attempts).toHaveLength(1);
    expect(engine.attempts[0]).toMatchObject({ seed: 9, variant: 'separate', passed: true });
    expect(engine.attempts[0].report.worst).toBeGreaterThanOrEqual(0.3);
    expect(r.material).toBe('generated');
    // SDXL-Turbo runs without guidance: the negative prompt cannot act, and the job says so.
    expect(r.ignored).toEqual(['negative_prompt (needs guidance_scale > 1)']);
    expect(logs).toEqual(expect.arrayContaining(['sdxl-controlnet-canny: loaded controlnet on cpu']));
    await reg.release();
  });

  it('the segmenter’s matte is used where it fits the glyphs, the colour key where it does not', async () => {
    const good = registry(modelsDir('seg-good', FUSED_MEAN), { letteringGuard: { minIou: 0 } });
    const junk = registry(modelsDir('seg-junk', FUSED_MEAN, { segmenter: 'everything' }), { letteringGuard: { minIou: 0 } });
    const req = { text: 'SALE', fontPath, box: { width: 440, height: 133 }, stylePrompt: 'gold', negativePrompt: '', lightDir: { x: 0.45, y: 0.89 }, seed: 3 };
    const sources: string[] = [];
    for (const reg of [good, junk]) {
      const engine = (await reg.letteringChoice('auto')).engine as ControlNetLetteringEngine;
      await engine.render(engine.layout(req), req);
      sources.push(engine.attempts[0].matte);
      await reg.release();
    }
    expect(sources).toEqual(['segmenter', 'colour-key']);
  });
});

describe('legibility guard: retries, then the procedural renderer with the reason', () => {
  // kappa 0: the UNet ignores the control image, so no letter shapes come out of any seed.
  const DEAF: ControlNetFolderOptions = { variant: 'fused', ioType: 'float32', timestep: { type: 'float32', shape: [1] }, kappa: 0 };

  it('fails twice (one retry by default), then draws the nearest material procedurally and says why', async () => {
    const logs: string[] = [];
    const reg = registry(modelsDir('deaf', DEAF), {}, logs);
    const { ctx, events } = context();
    const r = await runStep2(input(), ctx, reg.lettering());
    expect(r.engine).toBe('procedural-lettering');
    expect(r.provider).toBeNull();
    expect(r.material).toBe('gold');
    expect(r.note).toMatch(/^controlnet lettering failed the legibility check twice \(IoU 0\.\d\d < 0\.6 at '.'\): procedural gold used$/);
    // Exactly the procedural layer of the same layout and seed.
    const procedural = await runStep2(input(), context().ctx, proceduralLettering);
    expect(r.image.data.equals(procedural.image.data)).toBe(true);
    // Two generations, two seeds, and the retry shown in the progress.
    expect(logs.filter((l) => /legibility worst IoU .* → rejected/.test(l))).toHaveLength(2);
    const seeds = logs.map((l) => /seed (\d+):/.exec(l)?.[1]).filter(Boolean);
    expect(new Set(seeds).size).toBe(2);
    expect(events.some(([s, , m]) => s === 'text_generation' && /^retry 1\/1: legibility IoU 0\.\d\d < 0\.6$/.test(m ?? ''))).toBe(true);
    await reg.release();
  });

  it('the number of retries and the threshold are settings', async () => {
    const reg = registry(modelsDir('deaf-3', DEAF), { letteringGuard: { retries: 2, minIou: 0.75 } });
    const r = await runStep2(input({ stylePrompt: 'chrome letters' }), context().ctx, reg.lettering());
    expect(r.note).toMatch(/^controlnet lettering failed the legibility check 3 times \(IoU 0\.\d\d < 0\.75 at '.'\): procedural chrome used$/);
    await reg.release();
    const bad = registry(modelsDir('deaf-bad', DEAF), { letteringGuard: { retries: -1 } });
    await expect(bad.letteringChoice('auto')).rejects.toThrow(/retries must be a whole number ≥ 0, got -1/);
    await bad.release();
    const bad2 = registry(modelsDir('deaf-bad2', DEAF), { letteringGuard: { minIou: 2 } });
    await expect(bad2.letteringChoice('auto')).rejects.toThrow(/minimum IoU must be in 0\.\.1/);
    await bad2.release();
  });
});

describe('failures', () => {
  it('auto: an export without ControlNet inputs falls back with the reason; asked for by name, the job fails', async () => {
    const dir = modelsDir('plain-unet', null);
    const cn = join(dir, 'sdxl-controlnet-canny', 'unet');
    mkdirSync(cn, { recursive: true });
    copyFileSync(join(dir, 'sdxl-turbo', 'unet', 'model.onnx'), join(cn, 'model.onnx'));
    copyFileSync(join(dir, 'sdxl-turbo', 'unet', 'model.onnx_data'), join(cn, 'model.onnx_data'));
    const reg = registry(dir);
    const r = await runStep2(input(), context().ctx, reg.lettering());
    expect(r.engine).toBe('procedural-lettering');
    expect(r.note).toMatch(/^sdxl-controlnet-canny lettering failed \(sdxl-controlnet-canny: .*takes no ControlNet inputs.*\): procedural gold used$/);
    await expect(runStep2(input(), context().ctx, reg.lettering('sdxl-controlnet-canny'))).rejects.toThrow(/takes no ControlNet inputs/);
    await reg.release();
  });

  it('an export whose tensors do not match the manifest is refused by the signature check', async () => {
    const dir = modelsDir('bad-signature', { variant: 'fused', ioType: 'float32', timestep: { type: 'int32', shape: [1] } });
    const reg = registry(dir);
    const err = await runStep2(input(), context().ctx, reg.lettering('sdxl-controlnet-canny')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/sdxl-controlnet-canny\/unet: the ONNX file does not match its manifest:[\s\S]*input "timestep" is int32/);
    await reg.release();
  });

  it('out of GPU memory is a DiffusionMemoryError, not a silent fallback, even with auto', async () => {
    const reg = registry(modelsDir('oom', { variant: 'fused', ioType: 'float32', timestep: { type: 'float32', shape: [1] }, oom: true }));
    await expect(runStep2(input(), context().ctx, reg.lettering())).rejects.toBeInstanceOf(DiffusionMemoryError);
    await reg.release();
  });

  it('stops between denoising steps', async () => {
    const reg = registry(modelsDir('stop', FUSED_MEAN));
    const ac = new AbortController();
    const ctx: StepContext = { signal: ac.signal, seed: 1, log: () => {}, progress: (_s, _f, m) => m === 'denoising step 2/4' && ac.abort() };
    await expect(runStep2(input(), ctx, reg.lettering())).rejects.toBeInstanceOf(StoppedError);
    await reg.release();
  });
});

describe('one VRAM budget for backgrounds and lettering', () => {
  afterEach(() => vi.restoreAllMocks());

  it('with SDXL-Turbo resident for backgrounds, the lettering reuses its encoder and VAE sessions', async () => {
    const logs: string[] = [];
    const dir = modelsDir('shared', FUSED_MEAN);
    const reg = registry(dir, { vramBudgetGb: 40 }, logs);
    const create = vi.spyOn(ort.InferenceSession, 'create');
    const bg = await reg.background('sdxl-turbo');
    await bg.engine.render({ width: 64, height: 64, prompt: 'studio', negative: '', seed: 1, productColors: [], steps: 1, guidance: 0 });
    await runStep2(input(), context().ctx, reg.lettering());
    const loaded = create.mock.calls.map((c) => path.relative(dir, String(c[0])));
    for (const shared of ['text_encoder', 'text_encoder_2', 'vae_decoder'])
      expect(loaded.filter((p) => p === join('sdxl-turbo', shared, 'model.onnx'))).toHaveLength(1);
    expect(loaded).toContain(join('sdxl-controlnet-canny', 'unet', 'model.onnx'));
    expect(logs).toContain("engines: sdxl-controlnet-canny resident for lettering (sharing sdxl-turbo's text encoders and VAE with the background engine)");
    // Both stay resident within the budget; POST /free releases both.
    expect((await reg.inventory()).resident).toBe('sdxl-turbo');
    expect((await reg.letteringInventory())[0].resident).toBe(true);
    expect(await reg.release()).toEqual(['sdxl-turbo', 'sdxl-controlnet-canny']);
  });

  it('when both do not fit the budget, loading one releases the other first', async () => {
    const logs: string[] = [];
    const reg = registry(modelsDir('tight', FUSED_MEAN), { vramBudgetGb: 15 }, logs);
    await reg.background('sdxl-turbo');
    await runStep2(input(), context().ctx, reg.lettering());
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^engines: sdxl-turbo and sdxl-controlnet-canny need ~2\d\.\d GB together, over the 15 GB VRAM budget: releasing sdxl-turbo$/),
        'engines: sdxl-turbo released',
      ]),
    );
    expect((await reg.inventory()).resident).toBeNull();
    await reg.background('sdxl-turbo');
    expect(logs).toEqual(expect.arrayContaining([expect.stringMatching(/releasing sdxl-controlnet-canny$/), 'engines: sdxl-controlnet-canny released']));
    expect((await reg.letteringInventory())[0].resident).toBe(false);
    expect(await reg.release()).toEqual(['sdxl-turbo']);
  });
});
