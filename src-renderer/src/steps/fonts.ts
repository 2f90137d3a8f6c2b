// Loads each listed font once as a FontFace so the picker can render the user's own headline in
// it; families are namespaced so they never clash with system fonts of the same name.
import type { FontEntry } from '../../../src-preload/contract';
import { fontPath } from '../../../src-preload/contract';
import { api } from '../api';

const loaded = new Map<string, Promise<string>>();

export function previewFamily(font: FontEntry): string {
  return `adf-${font.name.replace(/[^A-Za-z0-9]/g, '-')}`;
}

/** Resolves to the CSS family name once the font can be drawn (also on failure: the fallback shows). */
export function loadFont(font: FontEntry): Promise<string> {
  let p = loaded.get(font.name);
  if (!p) {
    const family = previewFamily(font);
    const face = new FontFace(family, `url("${api.assetUrl(fontPath(font.name))}")`);
    p = face
      .load()
      .then((f) => {
        document.fonts.add(f);
        return family;
      })
      .catch(() => family);
    loaded.set(font.name, p);
  }
  return p;
}
