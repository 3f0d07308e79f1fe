import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { serveModelFolder } from './e2e/support/serve-model-folder.ts';
import { LIBRARY_WORKER_FILE } from './src/shared/library-assets.ts';
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

/**
 * The built library names its files as `new URL('./file', import.meta.url)`, the form bundlers read:
 * a page's own Vite then bundles the worker as a worker and copies the runtime files it names.
 * Vite writes them as `new URL(new URL('file', import.meta.url).href, '' + import.meta.url)`.
 */
function plainAssetUrls(): Plugin {
  const nested = /new URL\(new URL\(`([^`]+)`,import\.meta\.url\)\.href,``\+import\.meta\.url\)/g;
  return {
    name: 'plain-asset-urls',
    apply: 'build',
    generateBundle(_options, bundle) {
      // Vite's form is matched exactly: if a new Vite writes another, the build must say so.
      const entry = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
      if (entry?.type === 'chunk' && !nested.test(entry.code)) {
        this.error('plain-asset-urls: no asset URL in the form it rewrites; check the library build.');
      }
      nested.lastIndex = 0;
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk')
          file.code = file.code.replace(
            nested,
            (_all, path: string) => `new URL(${JSON.stringify(`./${path}`)},import.meta.url)`,
          );
      }
    },
  };
}

/**
 * `vite build --mode library`: the library other pages import (src/page/library), into dist/lib. An
 * ES module whose worker and ONNX Runtime files sit in dist/lib/assets, found relative to the module
 * itself (base './'), with the worker under a fixed name so a page that serves the assets elsewhere
 * can point `assetsUrl` at them.
 */
const libraryConfig = defineConfig({
  base: './',
  plugins: [plainAssetUrls()],
  publicDir: false,
  worker: {
    format: 'es',
    plugins: () => [plainAssetUrls()],
    rolldownOptions: { output: { entryFileNames: LIBRARY_WORKER_FILE, chunkFileNames: 'assets/[name]-[hash].js' } },
  },
  build: {
    target: 'es2022',
    outDir: 'dist/lib',
    emptyOutDir: true,
    copyPublicDir: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: { florence2: 'src/page/library/index.ts' },
      preserveEntrySignatures: 'strict',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});

const appConfig = defineConfig({
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
        globPatterns: ['**/*.{html,js,mjs,css,wasm,svg,png,jpg,webmanifest}'],
        // The library's build and its example page are for other sites, not this app's shell.
        globIgnores: ['models/**', 'lib/**', 'example/**'],
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

export default defineConfig(({ mode }) => (mode === 'library' ? libraryConfig : appConfig));
