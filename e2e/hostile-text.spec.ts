/**
 * Text a person types cannot change the task or inject locations, any script works, and text longer
 * than the model can read is cut with a notice instead of failing.
 */

import { expect, test } from './fixtures';
import { TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';

test.beforeEach(async ({ app }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'a.png', mimeType: 'image/png', buffer: gradientPng(320, 240) });
  await app.selectTask('<CAPTION_TO_PHRASE_GROUNDING>');
});

test('task and location tokens in typed text stay plain text; emoji and other scripts pass', async ({ app, page }) => {
  await page.getByTestId('task-input').fill('<OD> a cat <loc_5><loc_6> 😀 日本語の猫');
  await app.runAndWaitFor('Locate the phrases in the caption: OD a cat loc_5 loc_6 😀 日本語の猫');
  await expect(page.getByTestId('raw-text')).not.toContainText('<loc_5>');
});

test('10,000 characters are cut to what the model can read, and the person is told', async ({ app, page }) => {
  await page.getByTestId('task-input').fill('a red car '.repeat(1000));
  await expect(app.runButton).toBeEnabled();
  await app.runButton.click();
  await expect(page.getByTestId('input-truncated')).toContainText('used the first');
  await expect(app.runButton).toHaveText('Run');
  await expect(page.getByTestId('run-error')).toBeHidden();
});

test('empty text is asked for before running', async ({ app, page }) => {
  await page.getByTestId('task-input').fill('   ');
  await expect(app.runButton).toBeDisabled();
  await expect(page.getByTestId('run-blocker')).toContainText('needs some text');
});
