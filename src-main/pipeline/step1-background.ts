// Step 1 after segmentation: build the scene, stand the product in it with its shadows, and
// harmonize the rim. Order matters: shadows go on the backdrop before the product is pasted, the
// product's own pixels are pasted unchanged, and only the rim is harmonized afterwards.
import { throwIfAborted } from '../core/errors';
import type { BackgroundEngine } from '../engines/contracts';
import { dominantColors } from '../imaging/colour';
import { harmonizeRim } from './harmonize';
import { alphaOf, cloneRgba, createGray, pasteGray } from '../imaging/raster';
import { alphaOver } from '../imaging/composite';
import { resizeRgba } from '../imaging/resize';
import { baseRow, groundLimitFor, placeProduct, type TextReserve } from './placement';
import { applyShadow, castShadowMap, combineShadows, contactShadowMap, DEFAULT_SHADOW_STYLE, shadowColorFor } from './shadow';
import type { Cutout, SceneInfo } from '../engines/contracts';
import type { GrayImage, RgbaImage } from '../imaging/types';
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
}

export interface Step1Result {
  /** Opaque scene with the product. */
  image: RgbaImage;
  /** Placed product alpha over the full canvas (all zero without a product). */
  mask: GrayImage;
  scene: SceneInfo;
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
    },
    ctx.signal,
  );
  ctx.log(`backdrop: engine ${engine.id}, look ${bg.scene.look}`);
  ctx.progress('background_generation', 1);
  throwIfAborted(ctx.signal);

  if (!cutout) return { image: bg.image, mask: createGray(width, height), scene: { ...bg.scene, productBox: null } };

  ctx.progress('product_placement', 0);
  const { baseY, ...rect } = placeProduct({
    productWidth: cutout.image.width,
    productHeight: cutout.image.height,
    productBaseRow: baseRow(cutout.image),
    frameWidth: width,
    frameHeight: height,
    groundY: bg.scene.groundY,
    productScale: input.productScale,
    reserve: input.reserve ?? null,
    ...(bg.floor ? { floor: bg.floor } : {}),
  });
  const scaled = await resizeRgba(cutout.image, rect.width, rect.height);
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
  // The ground line reported downstream is the row the base really stands on.
  return { image, mask, scene: { ...bg.scene, groundY: baseY, productBox: rect } };
}
