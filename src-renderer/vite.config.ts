// Vite build of the studio UI alone (npm run build:renderer): the browser studio served by the
// headless server. electron.vite.config.ts builds the same UI for the desktop app.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export const rendererConfig = {
  root: here,
  // Relative asset URLs: the same build loads from http://host/studio/ and adforge://app/.
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: { input: resolve(here, 'index.html') },
  },
};

export default defineConfig(rendererConfig);
