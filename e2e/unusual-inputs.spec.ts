/**
 * Images of extreme shapes and regions drawn oddly still give answers, never a crash.
 */

import { expect, test } from './fixtures';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { encodePng, gradientPng } from './support/images/png';

test.beforeEach(async ({ app }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
});

for (const [name, width, height] of [
  ['a single pixel', 1, 1],
  ['a 10000 x 10 strip', 10_000, 10],
  ['a 10 x 4000 column', 10, 4000],
] as const) {
  test(`${name} is captioned and its detections stay inside it`, async ({ app }) => {
    await app.chooseImage({
      name: 'odd.png',
      mimeType: 'image/png',
      buffer: encodePng(width, height, (x) => [x % 256, 90, 120]),
    });
    await app.runTask('<CAPTION>');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
    await app.runTask('<OD>');
    await expect(app.regionList.locator('li')).toHaveCount(3);
    const scene = await app.overlayScene();
    for (const item of scene.items) {
      const [x1, y1, x2, y2] = item.bounds;
      expect(x1).toBeGreaterThanOrEqual(0);
      expect(y1).toBeGreaterThanOrEqual(0);
      expect(x2).toBeLessThanOrEqual(scene.size.width + 0.001);
      expect(y2).toBeLessThanOrEqual(scene.size.height + 0.001);
    }
  });
}

test('regions typed inverted, outside the image or with no area', async ({ app, page }) => {
  await app.chooseImage({ name: 'square.png', mimeType: 'image/png', buffer: gradientPng(1000, 1000) });
  await app.selectTask('<REGION_TO_CATEGORY>');
  // Inverted corners are put in order.
  await app.typeRegion([900, 800, 100, 300]);
  await app.runAndWaitFor('What is the region <loc_100><loc_300><loc_900><loc_800>?');
  // Beyond the image: clamped to its edges.
  await app.typeRegion([-50, -50, 5000, 5000]);
  await app.runAndWaitFor('What is the region <loc_0><loc_0><loc_999><loc_999>?');
  // No area: the person is asked for a region instead of running.
  await app.typeRegion([200, 200, 200, 600]);
  await expect(app.runButton).toBeDisabled();
  await expect(page.getByTestId('run-blocker')).toContainText('needs a region');
});
