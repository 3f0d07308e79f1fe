import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { serveModelFolder } from './e2e/support/serve-model-folder.ts';
import { contentSecurityPolicy, HUB_MODEL_ORIGINS, ISOLATION_HEADERS } from './src/shared/security-headers.ts';

// Model hosts the app may connect to, besides itself: the Hub by default; a deployment that serves
// its own copy (or a test run with a loopback model server) sets FLORENCE_MODEL_HOSTS.
const modelOrigins = process.env.FLORENCE_MODEL_HOSTS?.split(/\s+/).filter(Boolean) ?? HUB_MODEL_ORIGINS;
const csp = contentSecurityPolicy(modelOrigins);

// Set by the test runner: a folder of generated test models, served at /test-models/.
const testModelFolder = process.env.FLORENCE_TEST_MODELS;

/** The built page carries its CSP in a meta tag too, for hosts that cannot set headers. */
function cspMetaTag(): Plugin {
  return {
    name: 'csp-meta-tag',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: csp }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  // 'mpa': no SPA fallback, so a missing model file is a real 404 rather than index.html.
  appType: 'mpa',
  define: { __CONTENT_SECURITY_POLICY__: JSON.stringify(csp) },
  plugins: [
    react(),
    cspMetaTag(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/service-worker',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        // The app shell. ONNX Runtime's .wasm builds are listed too, but the service worker keeps only
        // the ones the device loads (see src/shared/runtime-files.ts).
        globPatterns: ['**/*.{html,js,mjs,css,wasm,svg,png,webmanifest}'],
        globIgnores: ['models/**'],
        maximumFileSizeToCacheInBytes: 40 * 1024 * 1024,
      },
      manifest: {
        name: 'Florence-2 Web',
        short_name: 'Florence-2',
        description: 'Captions, OCR and object detection with Florence-2, privately in your browser.',
        theme_color: '#2f5bea',
        background_color: '#f6f7f9',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        file_handlers: [
          {
            action: './',
            accept: { 'image/*': ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp', '.avif', '.svg'] },
          },
        ],
        share_target: {
          action: './share-target',
          method: 'POST',
          enctype: 'multipart/form-data',
          params: { files: [{ name: 'image', accept: ['image/*'] }] },
        },
      },
      devOptions: { enabled: false },
    }),
    ...(testModelFolder ? [serveModelFolder({ folder: testModelFolder, urlPrefix: '/test-models/' })] : []),
  ],
  worker: { format: 'es' },
  // Pre-bundled at start-up: discovered lazily, Vite would reload the page in the middle of a load.
  optimizeDeps: { include: ['@huggingface/transformers'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 1200 },
  server: { headers: { ...ISOLATION_HEADERS } },
  preview: { headers: { ...ISOLATION_HEADERS, 'Content-Security-Policy': csp } },
});
