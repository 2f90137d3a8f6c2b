// The second text layer drawn in the page with the drawing code step 3 runs on the server
// (core/sub-text.ts), in the headline's font once the page has loaded it.
import { useEffect, useMemo, useState } from 'react';
import { drawSubText, measureSubText, type SubText } from '../../../src-main/core/sub-text';
import { fontList, loadFont } from './fonts';

export function useSubTextLayer(spec: SubText | null, fontName: string | null, imageHeight: number): HTMLCanvasElement | null {
  const [family, setFamily] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    void fontList()
      .then(async (list) => {
        const font = list.find((f) => f.name === fontName) ?? list[0];
        if (!font) return;
        const fam = await loadFont(font);
        if (alive) setFamily(fam);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [fontName]);
  return useMemo(() => {
    if (!spec || !family || !spec.text.trim() || imageHeight <= 0) return null;
    const probe = document.createElement('canvas').getContext('2d');
    if (!probe) return null;
    const m = measureSubText(probe, spec, family, imageHeight);
    const c = document.createElement('canvas');
    c.width = Math.max(1, m.width);
    c.height = Math.max(1, m.height);
    const ctx = c.getContext('2d');
    if (!ctx) return null;
    drawSubText(ctx, spec, family, m);
    return c;
  }, [spec, family, imageHeight]);
}
