// Which models a job will load, through the real loading code: the shipped manifests over tiny
// SDXL-Turbo and ControlNet exports with the installer's lock file, the catalogue and the engine
// registry with a VRAM budget. The plan must name exactly what the loads then read: the model that
// is not resident, its bytes on disk, the base's encoders and VAE only when no resident model holds
// them, and nothing once the model is resident.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GenerateRequestSchema, type GenerateRequestInput } from '../core/params';
import { releaseAllSessions } from '../engines/onnx/sessions';
import { EngineRegistry, type ModelLoadEvent } from '../engines/registry';
import { conv1x1Model } from '../../test/helpers/onnx-graph';
import { writeControlNetFolder, writeSdxlTurboInstall } from '../../test/helpers/controlnet-graphs';
import type { WorkerJob } from './job';
import { plannedLoads, requestedEngines } from './planned-loads';

const shipped = path.resolve(import.meta.dirname, '../../models');
const fontPath = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');
const root = mkdtempSync(join(tmpdir(), 'planned-loads-'));
afterAll(async () => {
  await releaseAllSessions();
  rmSync(root, { recursive: true, force: true });
});

function modelsDir(name: string): string {
  const dir = join(root, name);
  writeSdxlTurboInstall(join(dir, 'sdxl-turbo'));
  writeControlNetFolder(join(dir, 'sdxl-controlnet-canny'), {
    variant: 'fused',
    ioType: 'float16',
    timestep: { type: 'float16', shape: [1] },
    fill: 'mean',
    kappa: 3,
  });
  mkdirSync(dir, { recursive: true });
  // A BiRefNet stand-in (blue → foreground) for the lettering's matte.
  writeFileSync(
    join(dir, 'birefnet.onnx'),
    conv1x1Model({ input: 'input_image', output: 'output_image', size: 1024, weights: [-2, -2, 2], bias: -2, sigmoid: false }),
  );
  return dir;
}

function job(input: GenerateRequestInput, startStep: 1 | 2 | 3 = 1): WorkerJob {
  const params = { ...GenerateRequestSchema.parse({ text_content: '여름 SALE', ...input }), seed: 7 };
  return { jobId: 'j', runDir: root, fontPath, params, startStep, stopStep: 3 };
}

const registry = (dir: string, vramBudgetGb: number | null) =>
  new EngineRegistry({ modelsDir: dir, manifestDirs: [shipped], cacheDir: join(dir, 'cache'), providers: ['cpu'], vramBudgetGb, log: () => {} });

const background = async (reg: EngineRegistry) => {
  const bg = await reg.background('sdxl-turbo');
  await bg.engine.render({ width: 64, height: 64, prompt: 'studio', negative: '', seed: 1, productColors: [], steps: 1, guidance: 0 });
};

const lettering = async (reg: EngineRegistry) => {
  const choice = await reg.letteringChoice('auto');
  const req = {
    text: 'SALE',
    fontPath,
    box: { width: 300, height: 100 },
    stylePrompt: 'gold 3d text',
    negativePrompt: '',
    lightDir: { x: 0.45, y: 0.89 },
    seed: 9,
  };
  // Whatever the legibility guard decides afterwards, the model loaded to draw the first attempt.
  await choice.engine.render(choice.engine.layout(req), req);
};

/** Components read from disk, per model, with their bytes. */
function loaded(events: ModelLoadEvent[]): Record<string, { components: string[]; bytes: number }> {
  const out: Record<string, { components: string[]; bytes: number }> = {};
  for (const e of events) {
    if (e.phase !== 'end') continue;
    const m = (out[e.id] ??= { components: [], bytes: 0 });
    m.components.push(e.component);
    m.bytes += e.bytes;
    expect(e.seconds).toBeGreaterThanOrEqual(0);
  }
  return out;
}

describe('which models a job will load', () => {
  it('asks for the engines of the steps the job runs', () => {
    expect(requestedEngines(job({ bg_engine: 'sdxl-turbo', text_engine: 'procedural' }))).toEqual({ background: 'sdxl-turbo', lettering: 'procedural' });
    expect(requestedEngines(job({ text_content: null }))).toEqual({ background: 'auto', lettering: null });
    expect(requestedEngines(job({}, 2))).toEqual({ background: null, lettering: 'auto' });
    expect(requestedEngines(job({}, 3))).toEqual({ background: null, lettering: null });
  });

  it('over a tight VRAM budget: each switch between background and lettering plans the full load, then nothing while resident', async () => {
    const dir = modelsDir('tight');
    const reg = registry(dir, 15);
    const events: ModelLoadEvent[] = [];
    reg.onModelLoad((e) => events.push(e));
    const bgJob = job({ bg_engine: 'sdxl-turbo', text_engine: 'procedural' });
    const letterJob = job({ bg_engine: 'procedural', text_engine: 'auto' });

    const first = await plannedLoads(bgJob, reg);
    expect(first).toEqual([{ role: 'background', id: 'sdxl-turbo', subStep: 'background_generation', bytes: expect.any(Number) }]);
    await background(reg);
    const bg = loaded(events);
    expect(Object.keys(bg)).toEqual(['sdxl-turbo']);
    expect(bg['sdxl-turbo'].components).toEqual(['text_encoder', 'text_encoder_2', 'unet', 'vae_decoder']);
    // The plan counts every file of the model (tokenizers, the VAE encoder): the loads read most of it.
    expect(bg['sdxl-turbo'].bytes).toBeLessThanOrEqual(first[0].bytes);
    expect(bg['sdxl-turbo'].bytes).toBeGreaterThan(0.5 * first[0].bytes);
    // Resident: the next job on the same engine loads nothing.
    expect(await plannedLoads(bgJob, reg)).toEqual([]);

    // The lettering and SDXL-Turbo do not fit 15 GB together: SDXL-Turbo goes, and the lettering
    // loads its UNet and SDXL-Turbo's encoders and VAE again.
    const switched = await plannedLoads(letterJob, reg);
    expect(switched).toEqual([{ role: 'text', id: 'sdxl-controlnet-canny', subStep: 'text_generation', bytes: expect.any(Number) }]);
    events.length = 0;
    await lettering(reg);
    const cn = loaded(events)['sdxl-controlnet-canny'];
    expect(cn.components.sort()).toEqual(['text_encoder', 'text_encoder_2', 'unet', 'vae_decoder']);
    expect(cn.bytes).toBeLessThanOrEqual(switched[0].bytes);
    expect(cn.bytes).toBeGreaterThan(0.9 * switched[0].bytes);
    expect(await plannedLoads(letterJob, reg)).toEqual([]);
    // And back: the background engine is the one to load again.
    expect((await plannedLoads(bgJob, reg)).map((l) => l.id)).toEqual(['sdxl-turbo']);
    // A job using both plans both loads, in the order they happen.
    expect((await plannedLoads(job({ bg_engine: 'sdxl-turbo', text_engine: 'auto' }), reg)).map((l) => l.id)).toEqual(['sdxl-turbo', 'sdxl-controlnet-canny']);
    reg.onModelLoad(null);
    await reg.release();
  });

  it('within the budget, the lettering shares the resident background engine’s encoders and VAE: only its own UNet is planned and read', async () => {
    const dir = modelsDir('roomy');
    const reg = registry(dir, 40);
    const events: ModelLoadEvent[] = [];
    reg.onModelLoad((e) => events.push(e));
    const letterJob = job({ bg_engine: 'procedural', text_engine: 'auto' });
    const alone = (await plannedLoads(letterJob, reg))[0].bytes;
    await background(reg);
    const shared = await plannedLoads(letterJob, reg);
    expect(shared).toHaveLength(1);
    expect(shared[0].bytes).toBeLessThan(alone);
    events.length = 0;
    await lettering(reg);
    const cn = loaded(events);
    expect(cn['sdxl-controlnet-canny'].components).toEqual(['unet']);
    expect(cn['sdxl-controlnet-canny'].bytes).toBe(shared[0].bytes);
    // Both resident: nothing to load for either.
    expect(await plannedLoads(job({ bg_engine: 'auto', text_engine: 'auto' }), reg)).toEqual([]);
    await reg.release();
  });
});
