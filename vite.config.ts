import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serveModelFolder } from './scripts/serve-model-folder.ts';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Set by the test runner: a folder of generated test models, served at /test-models/.
const testModelFolder = process.env.FLORENCE_TEST_MODELS;

export default defineConfig({
  // 'mpa': no SPA fallback, so a missing model file is a real 404 rather than index.html.
  appType: 'mpa',
  plugins: [
    react(),
    ...(testModelFolder ? [serveModelFolder({ folder: testModelFolder, urlPrefix: '/test-models/' })] : []),
  ],
  worker: { format: 'es' },
  // Pre-bundled at start-up: discovered lazily, Vite would reload the page in the middle of a load.
  optimizeDeps: { include: ['@huggingface/transformers'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 1200 },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
