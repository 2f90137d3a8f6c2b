// Inputs for the legibility evidence, made by the real steps 1 and 2: a scene (procedural backdrop
// with a drawn product standing on the ground line, its mask) and a text layer per material.
import { createCanvas } from '@napi-rs/canvas';
import { proceduralBackgroundEngine } from '../../src-main/engines/procedural/backdrop';
import type { MaterialId } from '../../src-main/engines/procedural/materials';
import { trimToAlpha } from '../../src-main/imaging/layer';
import { runStep1 } from '../../src-main/pipeline/step1-background';
import { runStep2 } from '../../src-main/pipeline/step2-text';
import type { GrayImage, RgbaImage } from '../../src-main/imaging/types';
import type { SceneInfo } from '../../src-main/engines/contracts';
import type { StepContext } from '../../src-main/pipeline/types';

export interface Scene {
  image: RgbaImage;
  mask: GrayImage;
  info: SceneInfo;
}

export const SCENE_PROMPTS = [
  'minimalist studio with a soft seamless sweep, gentle daylight from the left',
  'white marble countertop, bright and elegant',
  'night city street with neon lights, bokeh',
  'warm wooden table in a cosy kitchen',
];

/** A glossy bottle drawn with canvas: body, shoulder, neck, cap, a plain label band. */
function productLayer(w: number, h: number): RgbaImage {
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  const body = g.createLinearGradient(0, 0, w, 0);
  body.addColorStop(0, '#0d3b2a');
  body.addColorStop(0.35, '#2f8a63');
  body.addColorStop(0.5, '#6fd0a4');
  body.addColorStop(1, '#0b2f22');
  g.fillStyle = body;
  g.beginPath();
  const neck = w * 0.32;
  g.moveTo((w - neck) / 2, h * 0.12);
  g.lineTo((w + neck) / 2, h * 0.12);
  g.bezierCurveTo((w + neck) / 2, h * 0.3, w, h * 0.3, w, h * 0.42);
  g.lineTo(w, h - 12);
  g.quadraticCurveTo(w, h, w - 12, h);
  g.lineTo(12, h);
  g.quadraticCurveTo(0, h, 0, h - 12);
  g.lineTo(0, h * 0.42);
  g.bezierCurveTo(0, h * 0.3, (w - neck) / 2, h * 0.3, (w - neck) / 2, h * 0.12);
  g.closePath();
  g.fill();
  g.fillStyle = '#c9a227';
  g.fillRect((w - neck) / 2 - 2, 0, neck + 4, h * 0.13);
  g.fillStyle = '#f4efe1';
  g.fillRect(0, h * 0.55, w, h * 0.22);
  const d = g.getImageData(0, 0, w, h).data;
  return { width: w, height: h, data: Buffer.from(d.buffer, d.byteOffset, d.byteLength) };
}

const quiet: StepContext = { signal: new AbortController().signal, seed: 0, log: () => {}, progress: () => {} };

/** Step 1 for real: procedural backdrop, the drawn product placed on the ground line with shadows. */
export async function makeScene(prompt: string, size: number, seed: number): Promise<Scene> {
  const product = trimToAlpha(productLayer(300, 700));
  const r = await runStep1(
    {
      cutout: { image: product, box: { x: 0, y: 0, width: product.width, height: product.height }, engine: 'test-drawn' },
      width: size,
      height: size,
      prompt,
      negative: '',
      productScale: 0.5,
      strength: 0.6,
    },
    proceduralBackgroundEngine,
    { ...quiet, seed },
  );
  return { image: r.image, mask: r.mask, info: r.scene };
}

export const FONT = 'fonts/NanumSquare/NanumSquareB.ttf';

/** Step 2 for real: the procedural lettering engine with a prompt naming the material. */
export async function makeTextLayer(text: string, material: MaterialId, scene: Scene, seed: number): Promise<{ image: RgbaImage; material: string }> {
  const r = await runStep2(
    {
      text,
      fontPath: FONT,
      stylePrompt: `${material.replace('-', ' ')} 3D lettering`,
      negativePrompt: '',
      width: scene.image.width,
      height: scene.image.height,
      scene: scene.info,
      seed,
    },
    { ...quiet, seed },
  );
  return { image: r.image, material: r.material };
}
