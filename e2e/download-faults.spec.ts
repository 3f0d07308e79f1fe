/**
 * Download failures: a dropped connection or an error status gives a clear message, retrying works,
 * and nothing broken is left in storage to be used later. A full disk is reported.
 */

import { expect, REMOTE_TEST_MODEL_URL, test } from './fixtures';
import { scriptedAnswer } from './support/expected-answers';
import { gradientPng } from './support/images/png';

const DECODER = /decoder_model_merged/;

test('a connection dropped mid-file: clear message, nothing stored, retry works', async ({
  app,
  page,
  modelServer,
}) => {
  await app.open({ model: REMOTE_TEST_MODEL_URL });
  modelServer.fault = { kind: 'drop-mid-file', path: DECODER };
  await page.getByTestId('load-model').click();
  await expect(page.getByTestId('model-error')).toContainText('could not be downloaded');
  // The host answered: nothing about reaching it.
  await expect(page.getByTestId('load-remedies')).toHaveCount(0);
  expect((await app.cachedModelFiles()).filter((url) => DECODER.test(url))).toEqual([]);

  modelServer.fault = null;
  await app.loadModel();
  expect((await app.cachedModelFiles()).filter((url) => DECODER.test(url))).toHaveLength(1);
  await app.chooseImage({ name: 'a.png', mimeType: 'image/png', buffer: gradientPng(64, 64) });
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
});

for (const status of [404, 500]) {
  test(`a file answered with ${status}: clear message, retry works`, async ({ app, page, modelServer }) => {
    await app.open({ model: REMOTE_TEST_MODEL_URL });
    modelServer.fault = { kind: 'status', path: DECODER, status };
    await page.getByTestId('load-model').click();
    await expect(page.getByTestId('model-error')).toContainText(
      status === 404 ? 'model files were not found' : 'answered with an error',
    );
    await expect(page.getByTestId('load-model')).toHaveText('Retry loading');
    modelServer.fault = null;
    await app.loadModel();
  });
}

test('a full disk is reported, and the model still works for this visit', async ({ app, page }) => {
  await app.open({ model: REMOTE_TEST_MODEL_URL, fault: 'full-disk' });
  await app.loadModel();
  await expect(page.getByTestId('storage-problem')).toContainText('out of storage space');
  expect(await app.cachedModelFiles()).toEqual([]);
  await app.chooseImage({ name: 'a.png', mimeType: 'image/png', buffer: gradientPng(64, 64) });
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
});
