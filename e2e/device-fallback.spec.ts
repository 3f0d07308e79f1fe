/**
 * WebGPU failures fall back to WASM by themselves and say so; a forced WebGPU choice without an
 * adapter ends on WASM with the reason shown.
 */

import { expect, test } from './fixtures';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';

const IMAGE = { name: 'photo.png', mimeType: 'image/png', buffer: gradientPng(320, 240) };

// Tags pick the Playwright project: only the WebGPU one has an adapter.
test.describe('with a WebGPU adapter', { tag: '@needs-webgpu' }, () => {
  test('a device that ran on WebGPU keeps the CPU build too, and starts on WASM offline', async ({
    app,
    page,
    context,
  }) => {
    await app.open({ model: TEST_MODEL_URL });
    await app.waitForServiceWorker();
    await app.loadModel();
    await expect(app.device()).toHaveText('WebGPU');
    await expect(page.getByTestId('model-runtime')).toHaveAttribute('data-runtime', 'jspi');
    // The plain build is kept beside it, though this visit never ran it.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const cache = await caches.open('florence2-onnx-runtime');
          return (await cache.keys()).map((request) =>
            new URL(request.url).pathname.replace(/-[\w-]{8}\.wasm$/, '.wasm'),
          );
        }),
      )
      .toEqual(
        expect.arrayContaining(['/assets/ort-wasm-simd-threaded.wasm', '/assets/ort-wasm-simd-threaded.jspi.wasm']),
      );

    // Another day WebGPU fails, so the model runs on WASM (and its WASM weights are stored).
    await app.open({ model: TEST_MODEL_URL, fault: 'webgpu-load' });
    await app.loadModel();
    await expect(app.device()).toHaveText('WASM');

    // Offline, on a day WASM is chosen: a fresh worker takes the plain build, from this device.
    await context.setOffline(true);
    await app.open({ model: TEST_MODEL_URL, device: 'wasm' });
    await app.loadModel();
    await expect(page.getByTestId('model-runtime')).toHaveAttribute('data-runtime', 'plain');
    await app.chooseImage(IMAGE);
    await app.runTask('<CAPTION>');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
  });

  test('WebGPU failing while loading moves the model to WASM', async ({ app, page }) => {
    await app.open({ model: TEST_MODEL_URL, fault: 'webgpu-load' });
    await app.loadModel();
    await expect(app.device()).toHaveText('WASM');
    await expect(page.getByTestId('device-fallback')).toContainText('WebGPU failed');
    await expect(page.getByTestId('device-fallback')).toContainText('Simulated WebGPU failure while loading');
    // A fresh worker runs it, on the CPU-only build a WASM device gets.
    await expect(page.getByTestId('model-runtime')).toHaveAttribute('data-runtime', 'plain');
    await app.chooseImage(IMAGE);
    await app.runTask('<CAPTION>');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
  });

  test('WebGPU failing on the first run answers on WASM and says so', async ({ app, page }) => {
    await app.open({ model: TEST_MODEL_URL, fault: 'webgpu-first-run' });
    await app.loadModel();
    await expect(app.device()).toHaveText('WebGPU');
    await app.chooseImage(IMAGE);
    await app.runTask('<CAPTION>');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
    await expect(app.device()).toHaveText('WASM');
    await expect(page.getByTestId('device-fallback')).toContainText('WebGPU failed');
    await expect(page.getByTestId('run-notice')).toHaveText(
      'WebGPU failed on the first run, so it was run again on WASM.',
    );
  });

  test('the GPU device lost in the middle of a run: run again on a fresh WebGPU device', async ({ app, page }) => {
    await app.open({ model: TEST_MODEL_URL, fault: 'webgpu-device-lost' });
    await app.loadModel();
    await app.chooseImage(IMAGE);
    await app.runTask('<CAPTION>');
    // The device is destroyed at the first token of this run.
    await app.runTask('<OD>');
    await expect(app.regionList.locator('li')).toHaveCount(3);
    await expect(page.getByTestId('run-notice')).toHaveText(
      'The graphics device was lost during the run, so it was run again on a fresh WebGPU device.',
    );
    await expect(app.device()).toHaveText('WebGPU');
    await expect(page.getByTestId('device-fallback')).toBeHidden();
    // The answer from before the loss is kept, and the new device keeps working.
    await page.getByTestId('answer-tab-<CAPTION>').click();
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
    await app.runTask('<OCR>');
    await expect(app.answerText).toHaveText(scriptedAnswer('<OCR>'));
  });

  test('a GPU device lost again on the fresh device: the run moves to WASM', async ({ app, page }) => {
    await app.open({ model: TEST_MODEL_URL, fault: 'webgpu-device-lost-always' });
    await app.loadModel();
    await expect(app.device()).toHaveText('WebGPU');
    await app.chooseImage(IMAGE);
    await app.runTask('<CAPTION>');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
    await expect(page.getByTestId('run-notice')).toHaveText(
      'The graphics device was lost during the run, so it was run again on WASM.',
    );
    await expect(app.device()).toHaveText('WASM');
    await expect(page.getByTestId('device-fallback')).toContainText('lost twice in one run');
  });
});

test.describe('without a WebGPU adapter', { tag: '@needs-no-webgpu' }, () => {
  test('forcing WebGPU ends on WASM with the reason shown', async ({ app, page }) => {
    await app.open({ model: TEST_MODEL_URL, device: 'webgpu' });
    await expect(page.getByTestId('device-preference')).toHaveValue('webgpu');
    await app.loadModel();
    await expect(app.device()).toHaveText('WASM');
    await expect(page.getByTestId('device-reason')).toContainText('no WebGPU adapter');
  });
});
