// Architecture rules that a dependency graph cannot see: every exported helper has one home (no two
// modules export the same name, so "which alphaOver?" never has two answers), and settings come
// from config.ts only (no module reads an ADFORGE_* variable behind the configuration's back).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SRC = ['src-main', 'src-preload', 'src-renderer/src'];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !/\.test(-d)?\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = SRC.flatMap((d) => sources(join(ROOT, d)));
const rel = (p: string) => relative(ROOT, p);

/** Names a module defines and exports itself (re-exports `export { x } from` are not definitions). */
export function definedExports(source: string): string[] {
  const names: string[] = [];
  const re = /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|abstract\s+class|enum)\s+([A-Za-z_$][\w$]*)/gm;
  for (const m of source.matchAll(re)) names.push(m[1]);
  return names;
}

describe('one home for each behaviour', () => {
  it('no exported function, constant or class is defined under the same name in two modules', () => {
    const homes = new Map<string, string[]>();
    for (const f of files) for (const name of definedExports(readFileSync(f, 'utf8'))) homes.set(name, [...(homes.get(name) ?? []), rel(f)]);
    // The main process and the renderer are separate programs; a renderer helper may share a name
    // with a main-process one only if they are really the same (none today).
    const twice = [...homes].filter(([, where]) => where.length > 1).map(([name, where]) => `${name}: ${where.join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('no module but src-main/config.ts reads an ADFORGE_* environment variable', () => {
    const readers = files
      .filter((f) => rel(f) !== 'src-main/config.ts')
      .filter((f) => /process\.env(\.ADFORGE_|\[['"`]ADFORGE_)|env\.ADFORGE_/.test(readFileSync(f, 'utf8')))
      .map(rel);
    expect(readers).toEqual([]);
  });

  it('finds planted violations (the checks themselves work)', () => {
    expect(definedExports('export function alphaOver() {}\nexport const x = 1;\nexport { y } from "./y";')).toEqual(['alphaOver', 'x']);
  });
});
