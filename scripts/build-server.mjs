// Bundles the main-process code that runs under plain Node (CLI/server and the pipeline worker)
// into dist/. Dependencies stay external: they are native or large and resolve from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src-main/cli.ts', worker: 'src-main/jobs/worker-entry.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
