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

/** The image mirrored left–right when `flip` (the product flipped on the stage), else the image itself. */
export function useMirrored(img: HTMLImageElement | null, flip: boolean): HTMLImageElement | HTMLCanvasElement | null {
  return useMemo(() => {
    if (!img || !flip) return img;
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    if (!ctx) return img;
    ctx.translate(c.width, 0);
    ctx.scale(-1, 1);
    ctx.drawImage(img, 0, 0);
    return c;
  }, [img, flip]);
}

/** The job's scene.json (where step 1 put the product), null until loaded. */
export interface SceneJson {
  look?: string;
  lightDir?: { x: number; y: number };
  lightColor?: [number, number, number];
  productBox?: { x: number; y: number; width: number; height: number } | null;
  productFlip?: boolean;
}

export function useSceneJson(url: string | null): SceneJson | null {
  const [got, setGot] = useState<{ url: string; info: SceneJson } | null>(null);
  useEffect(() => {
    if (!url) return;
    let alive = true;
    fetch(url)
      .then((r) => (r.ok ? (r.json() as Promise<SceneJson>) : {}))
      .then((info) => alive && setGot({ url, info }))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [url]);
  return url && got?.url === url ? got.info : null;
}

/** An image's pixels (straight alpha), for pixel maths in the page; null until loaded. */
export function useImagePixels(img: HTMLImageElement | null): ImageData | null {
  return useMemo(() => {
    if (!img) return null;
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, c.width, c.height);
  }, [img]);
}

/**
 * Where the product stood in the scene, drawn as a hatched dark patch: the product was moved on
 * the stage, and its old place still shows the old product until Apply paints the scene again.
 */
export function useVacatedPatch(maskUrl: string | null): HTMLCanvasElement | null {
  const mask = useHtmlImage(maskUrl);
  return useMemo(() => {
    if (!mask) return null;
    const w = mask.naturalWidth;
    const h = mask.naturalHeight;
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(mask, 0, 0, w, h);
    const px = ctx.getImageData(0, 0, w, h);
    const d = px.data;
    const stripe = Math.max(6, Math.round(w / 96));
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 4;
        const on = Math.floor((x + y) / stripe) % 2 === 0;
        const a = d[i];
        d[i] = on ? 58 : 34;
        d[i + 1] = on ? 60 : 36;
        d[i + 2] = on ? 70 : 42;
        d[i + 3] = Math.round(a * 0.85);
      }
    ctx.putImageData(px, 0, 0);
    return c;
  }, [mask]);
}
