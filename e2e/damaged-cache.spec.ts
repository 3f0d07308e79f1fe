/**
 * A damaged file in the model cache (a disk error, a browser crash mid-write) is detected, removed
 * and downloaded again, instead of breaking every later load.
 */

import { expect, REMOTE_TEST_MODEL_URL, test } from './fixtures';
import { scriptedAnswer } from './support/expected-answers';
import { gradientPng } from './support/images/png';

test('a damaged stored decoder is replaced by a fresh download', async ({ app, page, modelServer }) => {
  await app.open({ model: REMOTE_TEST_MODEL_URL });
  await app.loadModel();
  const decoderUrl = (await app.cachedModelFiles()).find((url) => url.includes('decoder_model_merged'));
  if (!decoderUrl) throw new Error('decoder was not stored');
  // Damage the stored copy.
  await page.evaluate(async (url) => {
    const cache = await caches.open('transformers-cache');
    await cache.put(url, new Response('this is not an ONNX model', { headers: { 'content-length': '25' } }));
  }, decoderUrl);

  await page.reload();
  const downloadsBefore = modelServer.requests.filter(
    (request) => request.path.includes('decoder') && !request.range,
  ).length;
  await app.loadModel();
  await expect(page.getByTestId('storage-problem')).toContainText('damaged copy');
  const downloadsAfter = modelServer.requests.filter(
    (request) => request.path.includes('decoder') && !request.range,
  ).length;
  expect(downloadsAfter).toBe(downloadsBefore + 1);
  await app.chooseImage({ name: 'a.png', mimeType: 'image/png', buffer: gradientPng(64, 64) });
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
});
