// The desktop app's settings file: defaults when missing or damaged, saved values read back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDesktopSettings, saveDesktopSettings } from '../../src-main/app/desktop-settings';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('desktop settings', () => {
  it('defaults to the server on port 8000 when there is no file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'adf-settings-'));
    expect(await loadDesktopSettings(dir)).toEqual({ serverEnabled: true, port: 8000 });
  });

  it('falls back to defaults on a damaged file instead of refusing to start', async () => {
    dir = mkdtempSync(join(tmpdir(), 'adf-settings-'));
    writeFileSync(join(dir, 'desktop-settings.json'), '{"port": "eighty"');
    expect(await loadDesktopSettings(dir)).toEqual({ serverEnabled: true, port: 8000 });
    writeFileSync(join(dir, 'desktop-settings.json'), '{"port": 99999}');
    expect(await loadDesktopSettings(dir)).toEqual({ serverEnabled: true, port: 8000 });
  });

  it('reads back what was saved', async () => {
    dir = mkdtempSync(join(tmpdir(), 'adf-settings-'));
    await saveDesktopSettings(dir, { serverEnabled: false, port: 9123 });
    expect(await loadDesktopSettings(dir)).toEqual({ serverEnabled: false, port: 9123 });
  });
});
