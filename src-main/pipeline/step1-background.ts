// Step 1 after segmentation: build the scene, stand the product in it with its shadows, harmonize
// the rim, and on diffusion scenes repaint a ring around the product. Order matters: shadows go on
// the backdrop before the product is pasted, the product's own pixels are pasted unchanged, only
// the rim is harmonized, and after a ring repaint the product's pixels are pasted back.
import { throwIfAborted } from '../core/errors';
import type { BackgroundEngine, DiffusionEngine } from '../engines/contracts';
import { generationSize } from '../engines/diffusion/background-engine';
import { pasteBackProduct, ringMask } from '../engines/diffusion/ring-mask';
import { dominantColors } from '../imaging/colour';
import { subSeed } from '../imaging/random';
import { harmonizeRim } from './harmonize';
import { alphaOf, boundsOf, cloneRgba, createGray, cropGray, cropRgba, pasteGray } from '../imaging/raster';
import { alphaOver } from '../imaging/composite';
import { resizeGray, resizeRgba } from '../imaging/resize';
import { baseRow, groundLimitFor, placeProduct, placeProductAt, type TextReserve } from './placement';
import { mirrorLayer } from '../imaging/layer';
import type { ProductBox } from '../core/params';
import { applyShadow, castShadowMap, combineShadows, contactShadowMap, DEFAULT_SHADOW_STYLE, shadowColorFor } from './shadow';
import type { Cutout, SceneInfo } from '../engines/contracts';
import type { GrayImage, Rect, RgbaImage } from '../imaging/types';
import type { StepContext } from './types';

export interface Step1Input {
  cutout: Cutout | null;
  width: number;
  height: number;
  prompt: string;
  negative: string;
  /** Product height / frame height (params.product_scale). */
  productScale: number;
  /** Harmonization amount 0..1 (params.strength on procedural engines). */
  strength: number;
  /**
   * Keep a band free for the headline: 'bottom' stands the product further back on the floor,
   * 'top' keeps its top below ~30 % of the height. Omitted/null: the scene's own ground line.
   */
  reserve?: TextReserve;
  /** Where the designer put the product (params.product_box): overrides productScale and the automatic placement. */
  productBox?: ProductBox | null;
  /** Diffusion scenes: repaint a ring around the placed product (contact shadow, reflections, light spill). */
  repaint?: RingRepaint | null;
  /** Denoising steps and guidance for diffusion background engines (ignored by procedural ones). */
  steps?: number;
  guidance?: number;
}

/** The product-ring repaint request (params: bg_composition_prompt, strength, steps, guidance). */
export interface RingRepaint {
  engine: DiffusionEngine;
  prompt: string;
  negative: string;
  /** img2img strength 0..1 over the ring; 0 turns the repaint off. */
  strength: number;
  steps: number;
  guidance: number;
}

export interface Step1Result {
  /** Opaque scene with the product. */
  image: RgbaImage;
  /** Placed product alpha over the full canvas (all zero without a product). */
  mask: GrayImage;
  /** The scene as written to scene.json; productFlip says the product was mirrored. */
  scene: SceneInfo & { productFlip?: boolean };
  /** What the background engine said about the prompt (for the job's honest status). */
  promptUsed: string | null;
  understood: string[];
  ignored: string[];
  /** True when the ring around the product was repainted by the diffusion engine. */
  repainted: boolean;
}

export async function runStep1(input: Step1Input, engine: BackgroundEngine, ctx: StepContext): Promise<Step1Result> {
  const { width, height, cutout } = input;
  throwIfAborted(ctx.signal);
  ctx.progress('background_generation', 0);
  const productColors = cutout ? dominantColors(cutout.image, 3) : [];
  const maxGroundY = cutout ? groundLimitFor(input.reserve, height) : null;
  const bg = await engine.render(
    {
      width,
      height,
      prompt: input.prompt,
      negative: input.negative,
      seed: ctx.seed,
      productColors,
      ...(maxGroundY === null ? {} : { maxGroundY }),
      ...(input.steps === undefined ? {} : { steps: input.steps }),
      ...(input.guidance === undefined ? {} : { guidance: input.guidance }),
      progress: (f, m) => ctx.progress('background_generation', f, m),
    },
    ctx.signal,
  );
  ctx.log(`backdrop: engine ${engine.id}, look ${bg.scene.look}`);
  ctx.progress('background_generation', 1);
  throwIfAborted(ctx.signal);

  const said = { promptUsed: bg.promptUsed ?? null, understood: bg.understood ?? [], ignored: bg.ignored ?? [] };
  if (!cutout) return { image: bg.image, mask: createGray(width, height), scene: { ...bg.scene, productBox: null }, ...said, repainted: false };

  ctx.progress('product_placement', 0);
  const pb = input.productBox ?? null;
  const product = pb?.flip ? mirrorLayer(cutout.image) : cutout.image;
  const frame = { productWidth: product.width, productHeight: product.height, productBaseRow: baseRow(product), frameWidth: width, frameHeight: height };
  const { baseY, ...rect } = pb
    ? placeProductAt(pb, frame)
    : placeProduct({
        ...frame,
        groundY: bg.scene.groundY,
        productScale: input.productScale,
        reserve: input.reserve ?? null,
        ...(bg.floor ? { floor: bg.floor } : {}),
      });
  const scaled = await resizeRgba(product, rect.width, rect.height);
  const mask = pasteGray(createGray(width, height), alphaOf(scaled), rect.x, rect.y);
  throwIfAborted(ctx.signal);
  ctx.progress('product_placement', 0.3);
  const shadowOpts = { groundY: baseY, lightDir: bg.scene.lightDir, scale: height / 1024, style: bg.shadow ?? DEFAULT_SHADOW_STYLE };
  const shadows = combineShadows(castShadowMap(mask, shadowOpts), contactShadowMap(mask, shadowOpts));
  const image = applyShadow(bg.image, shadows, shadowColorFor(bg.scene.lightColor));
  const backdrop = cloneRgba(image);
  alphaOver(image, scaled, rect.x, rect.y, { inPlace: true });
  ctx.progress('product_placement', 1);
  throwIfAborted(ctx.signal);

  ctx.progress('harmonization', 0);
  harmonizeRim(image, backdrop, mask, {
    lightDir: bg.scene.lightDir,
    lightColor: bg.scene.lightColor,
    strength: input.strength,
    scale: height / 1024,
  });
  ctx.progress('harmonization', 1);
  throwIfAborted(ctx.signal);

  let out = image;
  const repaint = input.repaint && input.repaint.strength > 0 ? input.repaint : null;
  if (repaint) out = await repaintRing(image, mask, rect, repaint, ctx);
  // The ground line reported downstream is the row the base really stands on.
  const placed = { ...bg.scene, groundY: baseY, productBox: rect, ...(pb ? { productFlip: pb.flip } : {}) };
  return { image: out, mask, scene: placed, ...said, repainted: repaint !== null };
}

/**
 * The product-ring repaint: the region around the product is cut out, brought to the model's
 * native size, repainted by masked img2img over the ring (so contact shadow, reflections and light
 * spill come from the model), scaled back and blended in through the ring; then the product's own
 * pixels are pasted back, so inside the eroded product mask nothing the model did survives.
 */
async function repaintRing(image: RgbaImage, mask: GrayImage, product: Rect, r: RingRepaint, ctx: StepContext): Promise<RgbaImage> {
  ctx.progress('ring_repaint', 0, 'Repainting shadows and light around the product');
  const scale = image.height / 1024;
  const outer = Math.max(8, Math.round(0.12 * product.height));
  const radii = { outer, inner: Math.max(1, Math.round(3 * scale)), feather: Math.max(1, Math.round(6 * scale)) };
  const ring = ringMask(mask, radii);
  const area = boundsOf(ring);
  if (!area) return image;
  // Square-ish context around the ring so the model sees the floor and the wall around the product.
  const pad = Math.round(outer * 0.5);
  const x0 = Math.max(0, area.x - pad),
    y0 = Math.max(0, area.y - pad);
  const box = { x: x0, y: y0, width: Math.min(image.width, area.x + area.width + pad) - x0, height: Math.min(image.height, area.y + area.height + pad) - y0 };
  const gen = generationSize(r.engine.nativeSize, box.width, box.height);
  const init = await resizeRgba(cropRgba(image, box), gen.width, gen.height);
  const genMask = await resizeGray(cropGray(ring, box), gen.width, gen.height);
  const result = await r.engine.generate(
    {
      prompt: r.prompt,
      negative: r.negative,
      seed: subSeed(ctx.seed, 'ring-repaint'),
      width: gen.width,
      height: gen.height,
      steps: r.steps,
      guidance: r.guidance,
      init,
      strength: r.strength,
      mask: genMask,
      onStep: (step, total) => ctx.progress('ring_repaint', step / total, `Repainting around the product, step ${step}/${total}`),
    },
    ctx.signal,
  );
  const painted = await resizeRgba(result.image, box.width, box.height);
  // Blend through the full-resolution ring: outside it the scene stays byte for byte.
  const out = cloneRgba(image);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const gi = (y + box.y) * image.width + x + box.x;
      const w = ring.data[gi];
      if (w === 0) continue;
      const o = gi * 4,
        p = (y * box.width + x) * 4;
      for (let c = 0; c < 3; c++) out.data[o + c] = Math.round((painted.data[p + c] * w + image.data[o + c] * (255 - w)) / 255);
    }
  }
  ctx.progress('ring_repaint', 1);
  return pasteBackProduct(out, image, mask, radii);
}
