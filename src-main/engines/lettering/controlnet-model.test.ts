// SDXL + ControlNet on small graphs with the real exports' tensor signatures, on the CPU, through
// the real folder, lock, session, tokenizer, scheduler and VAE code: the fused graph of the ORT and
// TensorRT demos (controlnet_images / images, controlnet_scales) and the separate graphs
// (ControlNet with controlnet_cond + conditioning_scale; UNet with down-block / mid-block residual
// inputs, in three namings; residual outputs named or numbered).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StoppedError } from '../../core/errors';
import type { RgbaImage } from '../../imaging/types';
import { DiffusionMemoryError } from '../diffusion/errors';
import { fitText } from '../typography/text-fit';
import { writeControlNetFolder, writeInstallLock, writeSdxlTurboInstall, type ControlNetFolderOptions } from '../../../test/helpers/controlnet-graphs';
import { createControlNetModel, residualOutputs, type ControlNetModel, type ControlNetRequest } from './controlnet-model';
import { controlPlanes, glyphCanvas, type GlyphCanvas } from './glyphs';

const fontPath = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');
const root = mkdtempSync(join(tmpdir(), 'controlnet-model-'));
const baseDir = join(root, 'sdxl-turbo');
afterAll(() => rmSync(root, { recursive: true, force: true }));

let canvas: GlyphCanvas;
beforeAll(() => {
  writeSdxlTurboInstall(baseDir);
  canvas = glyphCanvas(fitText('SALE 여름', fontPath, { width: 400, height: 120 }), { nativeSize: 256, multiple: 32 });
});

function request(over: Partial<ControlNetRequest> = {}): ControlNetRequest {
  return {
    prompt: 'gold 3d text on a white studio background',
    negative: '',
    seed: 5,
    width: canvas.width,
    height: canvas.height,
    steps: 4,
    guidance: 0,
    control: controlPlanes(canvas.glyphs.data, canvas.width, canvas.height),
    controlScale: 0.7,
    ...over,
  };
}

/** Mean RGB distance between the pixels on the glyphs and those far from them. */
function glyphContrast(img: RgbaImage): number {
  const on = [0, 0, 0];
  const off = [0, 0, 0];
  let nOn = 0;
  let nOff = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const g = canvas.glyphs.data[i];
    const acc = g >= 200 ? on : g === 0 ? off : null;
    if (!acc) continue;
    for (let c = 0; c < 3; c++) acc[c] += img.data[i * 4 + c];
    if (g >= 200) nOn++;
    else nOff++;
  }
  return Math.hypot(on[0] / nOn - off[0] / nOff, on[1] / nOn - off[1] / nOff, on[2] / nOn - off[2] / nOff);
}

async function modelFor(name: string, o: ControlNetFolderOptions, logs: string[] = []): Promise<ControlNetModel> {
  writeControlNetFolder(join(root, name), o);
  return createControlNetModel({ baseDir, controlDir: join(root, name), providers: ['cpu'], log: (m) => logs.push(m) });
}

describe('residualOutputs', () => {
  it('takes named residuals by name and number, numbered ones by order with the mid last', () => {
    expect(residualOutputs(['mid_block_res_sample', 'down_block_res_samples.1', 'down_block_res_samples.0'])).toEqual({
      down: ['down_block_res_samples.0', 'down_block_res_samples.1'],
      mid: 'mid_block_res_sample',
    });
    expect(residualOutputs(['24549', '24552', '24580'])).toEqual({ down: ['24549', '24552'], mid: '24580' });
    expect(() => residualOutputs(['x'])).toThrow(/1 output/);
  });
});

describe('fused UNet + ControlNet (ORT demo: controlnet_images [1,B,3,H,W], controlnet_scales, fp16 I/O, output latent)', () => {
  let model: ControlNetModel;
  const logs: string[] = [];
  beforeAll(async () => {
    model = await modelFor('fused', { variant: 'fused', ioType: 'float16', timestep: { type: 'float16', shape: [1] }, fill: 'mean', kappa: 3 }, logs);
  });
  afterAll(() => model.release());

  it('generates deterministically per seed, one progress call per step, with the control image steering the picture', async () => {
    const steps: number[] = [];
    const a = await model.generate(request({ onStep: (s) => steps.push(s) }));
    expect(steps).toEqual([1, 2, 3, 4]);
    expect(a.variant).toBe('fused');
    expect(await model.variant()).toBe('fused');
    expect([a.image.width, a.image.height]).toEqual([canvas.width, canvas.height]);
    expect(model.provider).toBe('cpu');
    const again = await model.generate(request());
    expect(again.image.data.equals(a.image.data)).toBe(true);
    const other = await model.generate(request({ seed: 6 }));
    expect(other.image.data.equals(a.image.data)).toBe(false);
    // The glyphs show: their pixels differ from the backdrop's; with no conditioning they do not.
    const off = await model.generate(request({ controlScale: 0 }));
    expect(glyphContrast(a.image)).toBeGreaterThan(100);
    expect(glyphContrast(off.image)).toBeLessThan(20);
    // The text encoders and VAE came from SDXL-Turbo's folder, the UNet from the ControlNet's.
    expect(logs).toEqual(
      expect.arrayContaining([
        'sdxl-controlnet-canny: loaded text_encoder on cpu',
        'sdxl-controlnet-canny: loaded unet on cpu',
        'sdxl-controlnet-canny: loaded vae_decoder on cpu',
      ]),
    );
    expect(model.sharedFiles.every((f) => f.startsWith(baseDir))).toBe(true);
  });

  it('runs the unconditional pass with guidance > 1 (a batch of 2 with the control image twice)', async () => {
    const plain = await model.generate(request({ steps: 2 }));
    const guided = await model.generate(request({ steps: 2, guidance: 3, negative: 'red wood' }));
    expect(guided.image.data.equals(plain.image.data)).toBe(false);
    expect(glyphContrast(guided.image)).toBeGreaterThan(50);
  });

  it('stops between denoising steps', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    await expect(
      model.generate(
        request({
          onStep: (s) => {
            seen.push(s);
            if (s === 2) ac.abort();
          },
        }),
        ac.signal,
      ),
    ).rejects.toBeInstanceOf(StoppedError);
    expect(seen).toEqual([1, 2]);
  });

  it('refuses a control image of the wrong size and a size off the grid', async () => {
    await expect(model.generate(request({ control: new Float32Array(12) }))).rejects.toThrow(/control image has 12 values/);
    await expect(model.generate(request({ width: 100 }))).rejects.toThrow(/multiples of 8/);
  });

  it('releaseOwn frees only the ControlNet folder’s graphs; the shared sessions stay loaded', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    try {
      await model.releaseOwn();
      expect(model.loader.events.slice(-1)).toEqual(['release:unet']);
      await model.generate(request({ steps: 1 }));
      const loaded = create.mock.calls.map((c) => String(c[0]));
      expect(loaded).toHaveLength(1);
      expect(loaded[0]).toContain(join('fused', 'unet', 'model.onnx'));
    } finally {
      create.mockRestore();
    }
  });
});

describe('fused graph, TensorRT naming (images [B,3,H,W], fp32 I/O, int64 timestep, output out_sample)', () => {
  it('is found and conditioned the same way', async () => {
    const model = await modelFor('fused-trt', {
      variant: 'fused',
      ioType: 'float32',
      timestep: { type: 'int64', shape: [1] },
      imagesName: 'images',
      imagesRank: 4,
      outputName: 'out_sample',
      fill: 'mean',
      kappa: 3,
    });
    try {
      const r = await model.generate(request({ guidance: 2 }));
      expect(r.variant).toBe('fused');
      expect(glyphContrast(r.image)).toBeGreaterThan(50);
    } finally {
      await model.release();
    }
  });
});

describe('separate ControlNet + UNet with residual inputs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('diffusers.js style: fp64 scalar conditioning_scale, numbered outputs, down_block_N inputs, fp32', async () => {
    const logs: string[] = [];
    const model = await modelFor(
      'sep-djs',
      {
        variant: 'separate',
        ioType: 'float32',
        timestep: { type: 'float32', shape: [1] },
        naming: 'diffusersjs',
        scale: { type: 'float64', shape: [] },
        outputs: 'numbered',
        fill: 'mean',
        kappa: 3,
      },
      logs,
    );
    try {
      const steps: number[] = [];
      const r = await model.generate(request({ onStep: (s) => steps.push(s) }));
      expect(steps).toEqual([1, 2, 3, 4]);
      expect(r.variant).toBe('separate');
      expect(logs).toEqual(expect.arrayContaining(['sdxl-controlnet-canny: loaded controlnet on cpu', 'sdxl-controlnet-canny: loaded unet on cpu']));
      expect(glyphContrast(r.image)).toBeGreaterThan(100);
      const off = await model.generate(request({ controlScale: 0 }));
      expect(glyphContrast(off.image)).toBeLessThan(20);
      // Guidance: the ControlNet and the UNet both run the conditional and unconditional rows.
      const guided = await model.generate(request({ guidance: 3, negative: 'wood' }));
      expect(guided.image.data.equals(r.image.data)).toBe(false);
    } finally {
      await model.release();
    }
  });

  it('optimum-style names: fp32 [1] conditioning_scale, named outputs, down_block_additional_residuals.N, fp16 I/O', async () => {
    const model = await modelFor('sep-dotted', {
      variant: 'separate',
      ioType: 'float16',
      timestep: { type: 'float16', shape: [1] },
      naming: 'dotted',
      scale: { type: 'float32', shape: [1] },
      outputs: 'named',
      fill: 'mean',
      kappa: 3,
    });
    try {
      const r = await model.generate(request());
      expect(r.variant).toBe('separate');
      expect(glyphContrast(r.image)).toBeGreaterThan(100);
    } finally {
      await model.release();
    }
  });

  it('underscore naming (down_block_additional_residuals_N) is found too', async () => {
    const model = await modelFor('sep-us', {
      variant: 'separate',
      ioType: 'float32',
      timestep: { type: 'int64', shape: [1] },
      naming: 'underscore',
      scale: { type: 'float32', shape: [1] },
      outputs: 'named',
    });
    try {
      expect(await model.variant()).toBe('separate');
    } finally {
      await model.release();
    }
  });
});

describe('what the model refuses, with reasons', () => {
  it('a UNet without ControlNet inputs', async () => {
    const dir = join(root, 'plain');
    mkdirSync(join(dir, 'unet'), { recursive: true });
    copyFileSync(join(baseDir, 'unet', 'model.onnx'), join(dir, 'unet', 'model.onnx'));
    copyFileSync(join(baseDir, 'unet', 'model.onnx_data'), join(dir, 'unet', 'model.onnx_data'));
    const model = await createControlNetModel({ baseDir, controlDir: dir, providers: ['cpu'] });
    await expect(model.generate(request())).rejects.toThrow(/takes no ControlNet inputs .*controlnet_images/);
    await model.release();
  });

  it('a residual UNet without the ControlNet graph', async () => {
    const model = await modelFor('sep-missing', {
      variant: 'separate',
      ioType: 'float32',
      timestep: { type: 'float32', shape: [1] },
      naming: 'dotted',
      scale: { type: 'float32', shape: [1] },
      outputs: 'named',
    });
    await model.release();
    rmSync(join(root, 'sep-missing', 'controlnet'), { recursive: true });
    writeInstallLock(join(root, 'sep-missing'), 'sdxl-controlnet-canny', null);
    const broken = await createControlNetModel({ baseDir, controlDir: join(root, 'sep-missing'), providers: ['cpu'] });
    await expect(broken.generate(request())).rejects.toThrow(/no controlnet\/model\.onnx/);
    await broken.release();
  });

  it('a cut-off download (the lock names the file and its size)', async () => {
    await (await modelFor('cut', { variant: 'fused', ioType: 'float32', timestep: { type: 'float32', shape: [1] } })).release();
    writeFileSync(join(root, 'cut', 'unet', 'model.onnx.data'), 'short');
    await expect(createControlNetModel({ baseDir, controlDir: join(root, 'cut'), providers: ['cpu'] })).rejects.toThrow(
      /incomplete .*unet\/model\.onnx\.data is 5 bytes/,
    );
  });

  it('out of memory in the UNet becomes DiffusionMemoryError naming the component and size', async () => {
    const model = await modelFor('oom', { variant: 'fused', ioType: 'float32', timestep: { type: 'float32', shape: [1] }, oom: true });
    try {
      const err = await model.generate(request()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DiffusionMemoryError);
      expect((err as DiffusionMemoryError).component).toBe('unet');
      expect(String((err as Error).message)).toMatch(new RegExp(`${canvas.width}×${canvas.height}`));
    } finally {
      await model.release();
    }
  });
});
