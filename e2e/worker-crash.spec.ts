/**
 * The model worker dies: the app notices, starts a new one, reloads the model from this device's
 * storage, and keeps every answer already shown; a run in progress fails with a clear message.
 */

import { expect, test } from './fixtures';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';

async function crashWorker(page: import('@playwright/test').Page): Promise<void> {
  await page.evaluate(() =>
    (window as unknown as { florenceTest: { crashWorker(): void } }).florenceTest.crashWorker(),
  );
}

test('after a crash the model is back and earlier answers are kept', async ({ app, page }) => {
  await app.open({ model: TEST_MODEL_URL, 'test-hooks': '1' });
  await app.loadModel();
  await app.chooseImage({ name: 'a.png', mimeType: 'image/png', buffer: gradientPng(320, 240) });
  await app.runTask('<OD>');
  await app.runTask('<CAPTION>');

  await crashWorker(page);
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
  await app.open({ model: TEST_MODEL_URL, 'test-hooks': '1' });
  await app.loadModel();
  await app.chooseImage({ name: 'a.png', mimeType: 'image/png', buffer: gradientPng(320, 240) });
  await app.selectTask('<MORE_DETAILED_CAPTION>');
  // Click Run and crash in the same turn, so the crash lands while the run is in flight.
  await page.evaluate(() => {
    document.querySelector<HTMLButtonElement>('[data-testid="run"]')?.click();
    (window as unknown as { florenceTest: { crashWorker(): void } }).florenceTest.crashWorker();
  });
  await expect(page.getByTestId('run-error')).toContainText('stopped unexpectedly');
  await expect(page.getByTestId('model-info')).toBeVisible();
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
});
