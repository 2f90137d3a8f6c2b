// Benchmark: IS-Net through our pipeline (decode → segment → refine → cut-out → PNG) against
// `removeBackground` of @imgly/background-removal-node with the same model ('medium') on the same
// files, in one process. Both are warmed up on every image first; the report gives the median of
// `runs` timed passes per image. Run it with `node bench/segment.mjs [images…]`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { imglyResources } from '../src-main/engines/model-paths';
import { decodeImage, encodePng } from '../src-main/imaging/codec';
import { cutOutProduct } from '../src-main/pipeline/cutout';
import { createIsnetSegmenter } from '../src-main/engines/segment/isnet';

export interface ImageResult {
  image: string;
  width: number;
  height: number;
  /** Median seconds per image. */
  oursSeconds: number;
  peerSeconds: number;
  speedup: number;
  /** Our stages, median seconds: decode, segment (model incl. resize), refine + trim + colours, encode. */
  oursStages: { decode: number; segment: number; cutout: number; encode: number };
}

export interface Report {
  runs: number;
  provider: string;
  images: ImageResult[];
  /** Sum of medians, ours vs peer, and their ratio (peer / ours). */
  totalOursSeconds: number;
  totalPeerSeconds: number;
  speedup: number;
  peakRssMb: number;
  loadAverage: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function benchSegment(images: string[], opts: { runs?: number; cacheDir?: string; log?: (m: string) => void } = {}): Promise<Report> {
  const runs = opts.runs ?? 3;
  const log = opts.log ?? ((m: string) => console.log(m));
  const { loadavg, tmpdir } = await import('node:os');
  // The peer is AGPL and only needed here, so it is loaded lazily.
  const { removeBackground } = await import('@imgly/background-removal-node');
  const segmenter = await createIsnetSegmenter({ cacheDir: opts.cacheDir ?? join(tmpdir(), 'adforge-bench-cache'), providers: ['cpu'] });
  const peerConfig = {
    model: 'medium' as const,
    publicPath: `${pathToFileURL(imglyResources().distDir).href}/`,
    output: { format: 'image/png' as const },
  };
  let peakRss = process.memoryUsage().rss;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };

  const ours = async (bytes: Buffer) => {
    const t0 = performance.now();
    const d = await decodeImage(bytes, 'product_image');
    const t1 = performance.now();
    const mask = await segmenter.segment(d.image);
    const t2 = performance.now();
    // cutOutProduct runs the model itself; hand it this matte so the stages are timed separately.
    const cut = await cutOutProduct(d.image, d.hasAlpha, { ...segmenter, segment: async () => mask });
    const t3 = performance.now();
    await encodePng(cut.image);
    const t4 = performance.now();
    sample();
    return {
      total: (t4 - t0) / 1000,
      decode: (t1 - t0) / 1000,
      segment: (t2 - t1) / 1000,
      cutout: (t3 - t2) / 1000,
      encode: (t4 - t3) / 1000,
      width: d.image.width,
      height: d.image.height,
    };
  };
  const peer = async (bytes: Buffer, type: string) => {
    const t0 = performance.now();
    const blob = await removeBackground(new Blob([new Uint8Array(bytes)], { type }), peerConfig);
    await blob.arrayBuffer();
    sample();
    return (performance.now() - t0) / 1000;
  };

  const files = await Promise.all(images.map(async (p) => ({ path: p, bytes: await readFile(p), type: p.endsWith('.png') ? 'image/png' : 'image/jpeg' })));
  // Warm-up: model load, first-run allocations, JIT.
  for (const f of files) {
    await ours(f.bytes);
    await peer(f.bytes, f.type);
  }
  const results: ImageResult[] = [];
  for (const f of files) {
    const o: Awaited<ReturnType<typeof ours>>[] = [];
    const p: number[] = [];
    // Interleaved so that load from other processes hits both sides alike.
    for (let i = 0; i < runs; i++) {
      o.push(await ours(f.bytes));
      p.push(await peer(f.bytes, f.type));
    }
    const r: ImageResult = {
      image: f.path,
      width: o[0].width,
      height: o[0].height,
      oursSeconds: median(o.map((x) => x.total)),
      peerSeconds: median(p),
      speedup: 0,
      oursStages: {
        decode: median(o.map((x) => x.decode)),
        segment: median(o.map((x) => x.segment)),
        cutout: median(o.map((x) => x.cutout)),
        encode: median(o.map((x) => x.encode)),
      },
    };
    r.speedup = r.peerSeconds / r.oursSeconds;
    log(
      `${f.path} ${r.width}x${r.height}: ours ${r.oursSeconds.toFixed(3)} s (decode ${r.oursStages.decode.toFixed(3)}, segment ${r.oursStages.segment.toFixed(3)}, refine+cutout ${r.oursStages.cutout.toFixed(3)}, encode ${r.oursStages.encode.toFixed(3)}) | peer ${r.peerSeconds.toFixed(3)} s | ${r.speedup.toFixed(2)}x`,
    );
    results.push(r);
  }
  const totalOurs = results.reduce((s, r) => s + r.oursSeconds, 0);
  const totalPeer = results.reduce((s, r) => s + r.peerSeconds, 0);
  return {
    runs,
    provider: segmenter.provider,
    images: results,
    totalOursSeconds: totalOurs,
    totalPeerSeconds: totalPeer,
    speedup: totalPeer / totalOurs,
    peakRssMb: Math.round(peakRss / 2 ** 20),
    loadAverage: loadavg(),
  };
}
