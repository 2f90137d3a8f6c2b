// The model files under models/ (two levels deep), for the settings page.
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { ModelFileInfo } from '../core/service';

const MODEL_EXTENSIONS = new Set(['.onnx', '.json', '.bin', '.safetensors', '.txt', '.model']);

export async function listModelFiles(modelsDir: string): Promise<ModelFileInfo[]> {
  const out: ModelFileInfo[] = [];
  const walk = async (dir: string, depth: number) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory() && depth < 2) await walk(full, depth + 1);
      else if (e.isFile() && MODEL_EXTENSIONS.has(extname(e.name).toLowerCase())) {
        const st = await stat(full);
        out.push({ name: relative(modelsDir, full).split(sep).join('/'), bytes: st.size });
      }
    }
  };
  await walk(modelsDir, 0);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
