// Runs one job's steps inside the pipeline worker: reads inputs from the run folder, runs steps
// start_step..stop_step over the resident engines, writes each step's artifacts (temp then rename)
// as soon as it is done, and reports engine choices, step results and sub-step timings.
import { readFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, type ArtifactName, type EngineRole, type StepId, type SubStepId } from '../core/jobs';
import { hasTextLayer, outputSize } from '../core/params';
import { throwIfAborted } from '../core/errors';
import type { WorkerConfig, WorkerJob } from './job';
import { UPLOADS } from './job';
import { EngineRegistry } from '../engines/registry';
import { decodeImage, readGray, writePngAtomic } from '../imaging/codec';
import { cutOutProduct } from './cutout';
import { runStep1 } from './step1-background';
import { runStep2 } from './step2-text';
import { runStep3 } from './step3-compose';
import { textLayerFromUpload } from './text-matte';
import { estimateScene } from '../engines/scene-estimate';
import { writeFileAtomic } from '../imaging/atomic-write';
import type { GrayImage, RgbaImage } from '../imaging/types';
import type { SceneInfo } from '../engines/contracts';
import type { StepContext } from './types';

/** What an engine said about its work, for the job's honest status (shown by the API and the studio). */
export interface EngineDetail {
  /** The prompt as the model received it (after the Korean glossary), or null for engines that read no prompt. */
  promptUsed?: string | null;
  /** Words of the user's prompt the engine understood (procedural engines: the keywords matched). */
  understood?: string[];
  /** Request parameters the engine ignored. */
  ignored?: string[];
  /** Why a fallback or another engine than asked for was used. */
  note?: string | null;
}

export interface PipelineEvents {
  engine(role: EngineRole, engine: string, provider: string | null, detail?: EngineDetail): void;
  stepResult(step: StepId, artifact: ArtifactName): void;
  subStepDone(subStep: SubStepId, seconds: number): void;
}

/**
 * The worker's engines, kept resident for every later job. The segmenter loads now (every job
 * needs it); a diffusion engine loads with the first job that asks for one.
 */
export async function createEngines(config: WorkerConfig, log: (m: string) => void): Promise<EngineRegistry> {
  const registry = new EngineRegistry({
    modelsDir: config.modelsDir,
    manifestDirs: config.manifestDirs ?? [config.modelsDir],
    cacheDir: config.cacheDir,
    providers: config.providers,
    vramBudgetGb: config.vramBudgetGb ?? null,
    ...(config.letteringGuard ? { letteringGuard: config.letteringGuard } : {}),
    log,
  });
  const segmenter = await registry.segmenter();
  log(`segmentation engine ${segmenter.id} on ${segmenter.provider}`);
  return registry;
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * Wraps ctx.progress so that every change of sub-step closes the previous one with its measured
 * duration: the ETA model learns from real timings without each step having to time itself.
 */
function timedContext(ctx: StepContext, events: PipelineEvents): { ctx: StepContext; finish: () => void } {
  let current: SubStepId | null = null;
  let since = 0;
  const close = () => {
    if (current) events.subStepDone(current, (performance.now() - since) / 1000);
    current = null;
  };
  const progress: StepContext['progress'] = (subStep, fraction, message) => {
    if (subStep !== current) {
      close();
      current = subStep;
      since = performance.now();
    }
    ctx.progress(subStep, fraction, message);
  };
  return { ctx: { ...ctx, progress }, finish: close };
}

export async function runPipeline(job: WorkerJob, engines: EngineRegistry, outer: StepContext, events: PipelineEvents): Promise<void> {
  const { ctx, finish } = timedContext(outer, events);
  const p = job.params;
  const dir = job.runDir;
  const at = (name: ArtifactName) => join(dir, ARTIFACTS[name]);
  const upload = (name: keyof typeof UPLOADS) => join(dir, UPLOADS[name]);
  const text = (p.text_content ?? '').trim();
  // No headline means background only, unless the text layer itself was supplied at step 3.
  const lastStep = hasTextLayer(p.text_content, job.startStep) ? job.stopStep : 1;

  let step1: RgbaImage;
  let mask: GrayImage | null = null;
  let scene: SceneInfo | null = null;

  // ---- step 1: product + scene, or a stored/uploaded step-1 image
  if (job.startStep === 1) {
    const size = outputSize(p.aspect_ratio, p.long_edge);
    let cutout = null;
    if (await exists(upload('product'))) {
      ctx.progress('decode_product', 0);
      if (await exists(at('cutout'))) {
        // A step-1 rerun of a stored job with its own photo (from_job_id): the service copied the
        // photo's cut-out along with it, so moving the product or changing the scene does not cut
        // the product out again.
        const stored = await decodeImage(await readFile(at('cutout')), 'product_image');
        cutout = { image: stored.image, box: { x: 0, y: 0, width: stored.image.width, height: stored.image.height }, engine: 'reused' };
        events.engine('segment', 'reused', null, { note: 'cut-out reused from the earlier job (same photo)' });
      } else {
        const decoded = await decodeImage(await readFile(upload('product')), 'product_image');
        await writePngAtomic(at('input'), decoded.image);
        throwIfAborted(ctx.signal);
        ctx.progress('segmentation', 0);
        const segmenter = await engines.segmenter();
        cutout = await cutOutProduct(decoded.image, decoded.hasAlpha, segmenter, ctx.signal);
        events.engine('segment', cutout.engine, cutout.engine === 'input-alpha' ? null : segmenter.provider);
        await writePngAtomic(at('cutout'), cutout.image);
      }
      throwIfAborted(ctx.signal);
    }
    ctx.progress('background_generation', 0, 'Loading the background engine');
    const bg = await engines.background(p.bg_engine);
    throwIfAborted(ctx.signal);
    const r1 = await runStep1(
      {
        cutout,
        width: size.width,
        height: size.height,
        prompt: p.bg_prompt,
        negative: p.bg_negative_prompt,
        productScale: p.product_scale,
        productBox: p.product_box ?? null,
        strength: p.strength,
        // Leave the headline's band free: the product stands further back for a bottom headline.
        reserve: text && !p.text_box && (p.text_position === 'top' || p.text_position === 'bottom') ? p.text_position : null,
        steps: p.num_inference_steps,
        guidance: p.guidance_scale,
        repaint: bg.diffusion
          ? {
              engine: bg.diffusion,
              prompt: p.bg_composition_prompt ?? p.bg_prompt,
              negative: p.bg_composition_negative_prompt ?? p.bg_negative_prompt,
              strength: p.strength,
              steps: p.num_inference_steps,
              guidance: p.guidance_scale,
            }
          : null,
      },
      bg.engine,
      ctx,
    );
    ({ image: step1, mask, scene } = r1);
    events.engine('background', bg.engine.id, bg.engine.provider, {
      promptUsed: r1.promptUsed,
      understood: r1.understood,
      ignored: bg.diffusion ? r1.ignored : [...r1.ignored, 'strength (harmonization amount only)', 'bg_composition_prompt', 'bg_composition_negative_prompt'],
      note: bg.note ?? (bg.diffusion && cutout && !r1.repainted ? 'strength 0: the ring around the product was not repainted' : null),
    });
    ctx.progress('encode_step1', 0);
    await writePngAtomic(at('mask'), mask);
    await writeFileAtomic(at('scene'), JSON.stringify(scene, null, 2));
    await writePngAtomic(at('step1'), step1);
    events.stepResult('step1_background', 'step1');
  } else {
    const reused = await exists(at('step1'));
    const decoded = await decodeImage(await readFile(reused ? at('step1') : upload('step1')), 'step1_image');
    step1 = decoded.image;
    if (!reused) await writePngAtomic(at('step1'), step1);
    if (await exists(at('mask'))) mask = await readGray(at('mask'));
    if (await exists(at('scene'))) scene = JSON.parse(await readFile(at('scene'), 'utf8')) as SceneInfo;
  }
  throwIfAborted(ctx.signal);

  if (lastStep === 1) {
    // Background only (no headline): the scene is the finished ad.
    // It is saved inside step 1 (still its encode_step1 sub-step), so current_step and the
    // progress label say step 1, not "saving the final ad" of a step 3 that never ran.
    if (!text && job.startStep === 1) {
      await writePngAtomic(at('final'), step1);
      events.stepResult('step1_background', 'final');
    } else if (!text) {
      ctx.progress('encode_final', 0);
      await writePngAtomic(at('final'), step1);
      events.stepResult('step3_composite', 'final');
    }
    finish();
    return;
  }

  // ---- step 2: the text layer
  let textLayer: RgbaImage;
  if (job.startStep <= 2) {
    const r2 = await runStep2(
      {
        text,
        fontPath: job.fontPath,
        stylePrompt: p.text_model_prompt,
        negativePrompt: p.negative_prompt,
        width: step1.width,
        height: step1.height,
        scene,
        seed: p.seed,
        typography: { letterSpacing: p.letter_spacing, lineHeight: p.line_height, align: p.text_align },
      },
      ctx,
      engines.lettering(p.text_engine),
      { steps: p.num_inference_steps, guidance: p.guidance_scale },
    );
    events.engine('text', r2.engine, r2.provider, { understood: r2.understood, ignored: r2.ignored, note: r2.note });
    textLayer = r2.image;
    ctx.progress('encode_step2', 0);
    await writePngAtomic(at('step2'), textLayer);
    events.stepResult('step2_text', 'step2');
  } else {
    const reused = await exists(at('step2'));
    const decoded = await decodeImage(await readFile(reused ? at('step2') : upload('step2')), 'step2_image');
    textLayer = reused ? decoded.image : textLayerFromUpload(decoded.image, decoded.hasAlpha);
    if (!reused) await writePngAtomic(at('step2'), textLayer);
  }
  throwIfAborted(ctx.signal);
  if (lastStep === 2) {
    finish();
    return;
  }

  // ---- step 3: composition. Uploaded step-1 images come without a mask: find the product in the
  // scene so `behind` and `auto` still respect it.
  if (!mask && (p.composition_mode === 'behind' || (p.text_position === 'auto' && !p.text_box))) {
    ctx.progress('text_placement', 0, 'Finding the product in the scene');
    const segmenter = await engines.segmenter();
    mask = await segmenter.segment(step1, ctx.signal);
    events.engine('segment', segmenter.id, segmenter.provider);
    await writePngAtomic(at('mask'), mask);
  }
  if (!scene) scene = estimateScene(step1, mask);
  events.engine('compose', 'procedural', null);
  const r3 = await runStep3(
    {
      background: step1,
      textLayer,
      productMask: mask,
      scene,
      mode: p.composition_mode,
      position: p.text_position,
      box: p.text_box,
      strength: p.composition_strength,
      effects: p.text_effects,
      subText: p.sub_text ? { spec: p.sub_text, fontPath: job.fontPath } : null,
    },
    ctx,
  );
  ctx.progress('encode_final', 0);
  await writePngAtomic(at('final'), r3.image);
  events.stepResult('step3_composite', 'final');
  finish();
}
