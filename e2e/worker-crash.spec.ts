/**
 * The model worker dies: the app notices, starts a new one, reloads the model from this device's
 * storage, and keeps every answer already shown; a run in progress fails with a clear message.
 */

import type { FlorenceTestHooks } from '../src/page/test-hooks';
import { expect, test } from './fixtures';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';

test('after a crash the model is back and earlier answers are kept', async ({ app, page }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'a.png', mimeType: 'image/png', buffer: gradientPng(320, 240) });
  await app.runTask('<OD>');
  await app.runTask('<CAPTION>');

  await app.crashWorker();
  await expect(page.getByTestId('run-notice')).toContainText('restarted', { timeout: 30_000 });
  await expect(page.getByTestId('model-info')).toBeVisible();
  // Nothing lost: both answers are still there.
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
  await page.getByTestId('answer-tab-<OD>').click();
  await expect(app.regionList.locator('li')).toHaveCount(3);

  // And the new worker answers.
  await app.runTask('<OCR>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<OCR>'));
});

test('a run cut short by a crash says so and the next run works', async ({ app, page }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'a.png', mimeType: 'image/png', buffer: gradientPng(320, 240) });
  await app.selectTask('<MORE_DETAILED_CAPTION>');
  // The image opens asynchronously; a click before Run is enabled would do nothing.
  await expect(app.runButton).toBeEnabled();
  // The worker dies when the first words of the answer arrive: the run is in the middle of generating.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const hooks = (window as unknown as { florenceTestHooks: FlorenceTestHooks }).florenceTestHooks;
        const stop = hooks.subscribe((state) => {
          if (!state.streaming) return;
          stop();
          hooks.crashWorker();
          resolve();
        });
        document.querySelector<HTMLButtonElement>('[data-testid="run"]')?.click();
      }),
  );
  await expect(page.getByTestId('run-error')).toContainText('stopped unexpectedly');
  await expect(page.getByTestId('model-info')).toBeVisible();
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
});
