// Loads an image URL into an HTMLImageElement for Konva; null until it has loaded.
import { useEffect, useMemo, useState } from 'react';

export function useHtmlImage(url: string | null): HTMLImageElement | null {
  const [loaded, setLoaded] = useState<{ url: string; img: HTMLImageElement } | null>(null);
  useEffect(() => {
    if (!url) return;
    let alive = true;
    const el = new window.Image();
    el.onload = () => alive && setLoaded({ url, img: el });
    el.src = url;
    return () => {
      alive = false;
    };
  }, [url]);
  // Only the image of the URL asked for: a stale one never shows under a new URL.
  return url && loaded?.url === url ? loaded.img : null;
}

/**
 * The scene's pixels where the product mask is set, transparent elsewhere: drawn over the headline
 * so the stage shows Behind as step 3 renders it. The mask is greyscale, so its grey becomes alpha.
 */
export function useMaskedImage(sceneUrl: string | null, maskUrl: string | null): HTMLCanvasElement | null {
  const scene = useHtmlImage(sceneUrl);
  const mask = useHtmlImage(maskUrl);
  return useMemo(() => {
    if (!scene || !mask) return null;
    const w = scene.naturalWidth;
    const h = scene.naturalHeight;
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(mask, 0, 0, w, h);
    const m = ctx.getImageData(0, 0, w, h).data;
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(scene, 0, 0, w, h);
    const px = ctx.getImageData(0, 0, w, h);
    for (let i = 0; i < px.data.length; i += 4) px.data[i + 3] = m[i];
    ctx.putImageData(px, 0, 0);
    return c;
  }, [scene, mask]);
}
