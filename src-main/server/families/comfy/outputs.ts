// The file side of output nodes: SaveImage copies the job's artifact into output/ (a prefix with
// "/" picks a subfolder), PreviewImage into temp/ as ComfyUI_temp_xxxxx_NNNNN_.png, with ComfyUI's
// counter continuing from the files already there; and the scene's JPEG preview frame payload.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { nextOutputName, splitPrefix, type ComfyDirs } from './files';
import type { ImageRef } from './history';

/** Copies `src` (a job artifact) to the next free name for a SaveImage / PreviewImage node. */
export async function writeOutputImage(dirs: ComfyDirs, src: string, role: 'save' | 'preview', prefix: string): Promise<ImageRef> {
  const type = role === 'save' ? 'output' : 'temp';
  const split = role === 'save' ? (splitPrefix(prefix) ?? { subfolder: '', prefix: 'AdForge' }) : { subfolder: '', prefix: `ComfyUI_temp_${randomLetters(5)}` };
  const dir = join(dirs[type], split.subfolder);
  await mkdir(dir, { recursive: true });
  const filename = await nextOutputName(dir, split.prefix);
  await copyFile(src, join(dir, filename));
  return { filename, subfolder: split.subfolder, type };
}

/** The scene as a JPEG of at most 512 px, like ComfyUI's latent previews (--preview-size). */
export async function scenePreviewJpeg(src: string): Promise<Buffer> {
  return sharp(src).resize(512, 512, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
}

/** A SaveImageWebsocket node's full image. */
export function readOutputImage(src: string): Promise<Buffer> {
  return readFile(src);
}

function randomLetters(n: number): string {
  const a = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < n; i++) s += a[Math.floor(Math.random() * a.length)];
  return s;
}
