import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const PORT = 4180;

/** A system Chromium where there is one (Playwright's own downloads are not reachable everywhere). */
function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)));
}

// Keep Chromium from calling home: tests must not touch the network.
const QUIET_CHROMIUM = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const executablePath = chromiumExecutable();
const launch = (extraArgs: string[]) => ({
  ...(executablePath ? { executablePath } : {}),
  args: ['--no-sandbox', ...QUIET_CHROMIUM, ...extraArgs],
});

export default defineConfig({
  testDir: '.',
  // Unit tests of the test support (*.test.ts) run in Vitest.
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results',
  timeout: 120_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      // No WebGPU flag: headless Chromium offers no adapter, so the app must pick WASM by itself.
      name: 'wasm',
      // A high-density screen here, a standard one in the WebGPU project: overlays must fit both.
      use: { browserName: 'chromium', deviceScaleFactor: 2, launchOptions: launch([]) },
      grepInvert: /@needs-webgpu/,
    },
    {
      // SwiftShader WebGPU on the CPU: no shader-f16, slow but correct.
      name: 'webgpu',
      use: { browserName: 'chromium', launchOptions: launch(['--enable-unsafe-webgpu']) },
      testMatch: /(journey|device-fallback|streaming|beams)\.spec\.ts/,
      grepInvert: /@needs-no-webgpu/,
    },
  ],
  webServer: {
    command: `npx tsx scripts/make-test-model.ts && npm run build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    // Test models same-origin at /test-models/; the CSP allows the loopback model host, and a second
    // loopback host (an image server without CORS, e2e/library.spec.ts).
    env: {
      FLORENCE_TEST_MODELS: 'e2e/.generated/models',
      FLORENCE_MODEL_HOSTS: 'http://127.0.0.1:4181 http://127.0.0.1:4182',
    },
  },
});
