/**
 * A model that does not fit in memory gets a message naming a smaller choice, and that choice
 * loads with one click.
 */

import { expect, test } from './fixtures';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';

test('not enough memory to load: the message names a smaller choice, which then loads', async ({ app, page }) => {
  // The first load meets the browser's own allocation failure.
  await app.open({ model: TEST_MODEL_URL, fault: 'out-of-memory' });
  await page.getByTestId('load-model').click();
  const error = page.getByTestId('model-error');
  await expect(error).toContainText('There is not enough memory on this device to load this model.');
  await expect(error).toContainText('Array buffer allocation failed');
  await expect(page.getByTestId('smaller-choice')).toContainText(
    'Try a smaller choice: the same model with the smallest download.',
  );
  await expect(app.runButton).toBeDisabled();

  await page.getByTestId('load-smaller-choice').click();
  await expect(page.getByTestId('model-info')).toBeVisible({ timeout: 90_000 });
  await expect(error).toBeHidden();
  await expect(page.getByTestId('dtype-preset')).toHaveValue('smallest');
  await expect(app.dtype('embed_tokens')).toHaveText('q8');
  await expect(app.dtype('vision_encoder')).toHaveText('q4');
  await app.chooseImage({ name: 'photo.png', mimeType: 'image/png', buffer: gradientPng(200, 150) });
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
});
