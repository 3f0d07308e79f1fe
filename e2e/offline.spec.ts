/**
 * Offline use: with the model stored, everything works with no network; without it, a clear message,
 * and loading resumes by itself when the network returns.
 */

import { expect, REMOTE_TEST_MODEL_URL, test } from './fixtures';
import { expectedShapes, scriptedAnswer } from './support/expected-answers';
import { gradientPng } from './support/images/png';

const IMAGE = { name: 'street.png', mimeType: 'image/png', buffer: gradientPng(640, 480) };

test('with the model stored, the app reloads and answers offline', async ({ app, page, context, modelServer }) => {
  await app.open({ model: REMOTE_TEST_MODEL_URL });
  await app.waitForServiceWorker();
  await app.loadModel();
  expect(modelServer.requests.length).toBeGreaterThan(0);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Florence-2 Web' })).toBeVisible();
  await expect(page.getByTestId('download-estimate')).toContainText('Stored on this device');
  const requestsBefore = modelServer.requests.length;
  await app.loadModel();
  await app.chooseImage(IMAGE);
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
  await app.runTask('<OD>');
  await expect(app.regionList.locator('li')).toHaveCount(
    expectedShapes('<OD>', undefined, { width: 640, height: 480 }).length,
  );
  expect(modelServer.requests.length).toBe(requestsBefore);
});

test('without the model, offline says what must be downloaded, and recovers online', async ({ app, page, context }) => {
  await app.open({ model: REMOTE_TEST_MODEL_URL });
  await app.waitForServiceWorker();
  await expect(page.getByTestId('download-estimate')).toContainText('Downloads');
  await context.setOffline(true);
  await page.getByTestId('load-model').click();
  await expect(page.getByTestId('offline-message')).toContainText('You are offline');
  await expect(page.getByTestId('offline-message')).toContainText('one-time download of');
  // Offline, not a host to route around: the connection is what is missing.
  await expect(page.getByTestId('load-remedies')).toHaveCount(0);

  await context.setOffline(false);
  await expect(page.getByTestId('model-info')).toBeVisible();
  await expect(app.modelStatus).toContainText('Ready on');
});

test('every weight preset loads and answers, and again offline from this device', async ({ app, page, context }) => {
  test.setTimeout(240_000);
  const expectedDtypes = {
    auto: { embed_tokens: 'q8', vision_encoder: 'fp32', encoder_model: 'q8', decoder_model_merged: 'q8' },
    smallest: { embed_tokens: 'q8', vision_encoder: 'q4', encoder_model: 'q4', decoder_model_merged: 'q4' },
    quality: { embed_tokens: 'fp32', vision_encoder: 'fp32', encoder_model: 'fp32', decoder_model_merged: 'fp32' },
  } as const;
  await app.open({ model: REMOTE_TEST_MODEL_URL });
  await app.waitForServiceWorker();
  for (const offline of [false, true]) {
    await context.setOffline(offline);
    if (offline) await page.reload();
    for (const [preset, dtypes] of Object.entries(expectedDtypes)) {
      await app.openModelPanel();
      await page.getByTestId('dtype-preset').selectOption(preset);
      await app.loadModel();
      for (const [subModel, dtype] of Object.entries(dtypes)) await expect(app.dtype(subModel)).toHaveText(dtype);
      await app.chooseImage(IMAGE);
      await app.runTask('<CAPTION>');
      await expect(app.answerText, `${preset}${offline ? ', offline' : ''}`).toHaveText(scriptedAnswer('<CAPTION>'));
    }
  }
});
