// electron-vite build of the desktop app: main (src-main/app/main.ts, plus the pipeline worker
// built next to it as out/main/worker.js), the sandboxed preload (one CommonJS file, as sandboxed
// preloads must be) and the renderer (the same UI as the browser studio).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './src-renderer/vite.config';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/app/main.ts'),
          worker: resolve(root, 'src-main/jobs/worker-entry.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rollupOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: { ...rendererConfig.build, outDir: resolve(root, 'out/renderer') },
  },
});
