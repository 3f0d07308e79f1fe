/**
 * Bad files and a missing model get a clear message; the app keeps working and keeps what it showed.
 */

import { expect, test } from './fixtures';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng, pngDeclaringSize } from './support/images/png';

const JPEG_START_THEN_GARBAGE = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.alloc(200, 7),
]);

test('unreadable files are refused clearly and earlier results stay', async ({ app, page }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'first.png', mimeType: 'image/png', buffer: gradientPng(320, 240) });
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));

  const badFiles = [
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello'), message: /is not an image/ },
    { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0), message: /is empty/ },
    {
      name: 'broken.jpg',
      mimeType: 'image/jpeg',
      buffer: JPEG_START_THEN_GARBAGE,
      message: /could not be opened as an image/,
    },
    {
      name: 'renamed.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('not a jpeg'),
      message: /could not be opened as an image/,
    },
    {
      name: 'bomb.png',
      mimeType: 'image/png',
      buffer: pngDeclaringSize(30000, 30000),
      message: /too large to open.*900 megapixels/,
    },
  ];
  for (const file of badFiles) {
    await app.chooseImage(file);
    await expect(app.imageError).toContainText(file.message);
    await expect(app.imageError).toContainText(file.name);
    // Nothing lost: the previous image and its answer are still shown.
    await expect(page.getByTestId('image-name')).toHaveText('first.png');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
  }

  // The next good image works.
  await app.chooseImage({ name: 'second.png', mimeType: 'image/png', buffer: gradientPng(200, 300) });
  await expect(app.imageError).toBeHidden();
  await app.runTask('<OD>');
  await expect(app.regionList.locator('li')).toHaveCount(3);
});

test('a model folder that does not exist gives a clear message and a retry', async ({ app, page }) => {
  await app.open({ model: '/test-models/no-such-model' });
  await page.getByTestId('load-model').click();
  const error = page.getByTestId('model-error');
  await expect(error).toContainText('The model files were not found');
  await expect(page.getByTestId('load-model')).toHaveText('Retry loading');
  await expect(app.runButton).toBeDisabled();

  // Fixing the source and retrying recovers without a page reload.
  await page.getByTestId('model-source').fill(TEST_MODEL_URL);
  await app.loadModel();
  await expect(error).toBeHidden();
});
