/** Builds the sweep page (npm run bench -- --dtype-sweep) with the app's own ONNX Runtime imports. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'error',
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../../../../bench-results/sweep-page', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
