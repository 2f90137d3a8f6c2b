// The desktop app's own settings (embedded server on/off and port), kept as JSON in the user-data
// folder. No Electron import: the main process passes the folder in, tests pass a temp dir.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_PORT } from '../config';
import { writeFileAtomic } from '../imaging/atomic-write';

const DesktopSettingsSchema = z.object({
  serverEnabled: z.boolean().default(true),
  port: z.number().int().min(0).max(65535).default(DEFAULT_PORT),
});
export type DesktopSettings = z.output<typeof DesktopSettingsSchema>;

const FILE = 'desktop-settings.json';

/** Missing or damaged files give the defaults: a bad settings file must never stop the app from starting. */
export async function loadDesktopSettings(dir: string): Promise<DesktopSettings> {
  try {
    const raw: unknown = JSON.parse(await readFile(join(dir, FILE), 'utf8'));
    const r = DesktopSettingsSchema.safeParse(raw);
    return r.success ? r.data : DesktopSettingsSchema.parse({});
  } catch {
    return DesktopSettingsSchema.parse({});
  }
}

export async function saveDesktopSettings(dir: string, settings: DesktopSettings): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, FILE), JSON.stringify(settings, null, 2));
}
