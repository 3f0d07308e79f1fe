/**
 * Impatient use: Run pressed many times, or the image or task changed while a run is in flight.
 * Runs never overlap, and an answer is never shown on an image it was not computed for.
 */

import { getTask } from '../src/shared/florence/tasks';
import { expect, test } from './fixtures';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng, noisePng } from './support/images/png';

test.beforeEach(async ({ app, page }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'first.png', mimeType: 'image/png', buffer: gradientPng(320, 240) });
  await expect(page.getByTestId('image-name')).toHaveText('first.png');
});

test('Run pressed five times at once gives one answer and no error', async ({ app, page }) => {
  await app.selectTask('<OD>');
  await expect(app.runButton).toBeEnabled();
  await page.evaluate(() => {
    const run = document.querySelector<HTMLButtonElement>('[data-testid="run"]');
    for (let i = 0; i < 5; i++) run?.click();
  });
  await expect(app.regionList.locator('li')).toHaveCount(3);
  await expect(app.runButton).toHaveText('Run');
  await expect(page.getByTestId('run-error')).toBeHidden();
  await expect(page.getByTestId('answer-tabs')).toBeHidden();
});

test('an image chosen during a run never shows that run’s answer', async ({ app, page }) => {
  await app.selectTask('<OD>');
  await expect(app.runButton).toBeEnabled();
  const second = noisePng(200, 150, 3);
  // Press Run and choose another image in the same moment, before the answer can arrive.
  await page.evaluate(
    (bytes) => {
      document.querySelector<HTMLButtonElement>('[data-testid="run"]')?.click();
      const input = document.querySelector<HTMLInputElement>('[data-testid="image-file"]');
      if (!input) throw new Error('no file input');
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'second.png', { type: 'image/png' }));
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [...second],
  );
  await expect(page.getByTestId('image-name')).toHaveText('second.png');
  await expect(app.runButton).toHaveText('Run');
  // Nothing from the first image's run is shown on the second image.
  await expect(page.getByTestId('answer-placeholder')).toBeVisible();
  await expect.poll(async () => (await app.overlayScene()).items.length).toBe(0);
  // And the second image can be asked about.
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
});

test('a task chosen during a run: the answer is kept under the task that ran', async ({ app, page }) => {
  await app.selectTask('<OD>');
  await expect(app.runButton).toBeEnabled();
  // Press Run and pick another task in the same moment, before the answer can arrive.
  await page.evaluate(() => {
    document.querySelector<HTMLButtonElement>('[data-testid="run"]')?.click();
    const select = document.querySelector<HTMLSelectElement>('[data-testid="task"]');
    if (!select) throw new Error('no task select');
    select.value = '<OCR>';
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(page.getByTestId('task')).toHaveValue('<OCR>');
  await expect(app.runButton).toHaveText('Run');
  // The detection answer is shown as a detection, with its boxes, not as the newly chosen OCR.
  await expect(page.locator('#results-heading')).toHaveText(`Answer · ${getTask('<OD>').label}`);
  await expect(page.getByTestId('raw-prompt')).toHaveText(getTask('<OD>').prompt);
  await expect(app.regionList.locator('li')).toHaveCount(3);
  // Running now answers the task that is selected, and both answers are kept.
  await app.runAndWaitFor(getTask('<OCR>').prompt);
  await expect(app.answerText).toHaveText(scriptedAnswer('<OCR>'));
  await page.getByTestId('answer-tab-<OD>').click();
  await expect(app.regionList.locator('li')).toHaveCount(3);
});
