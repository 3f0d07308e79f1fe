/**
 * Image formats and variants from cameras, phones, drawing tools and broken downloads: each is
 * either given to the model as the reference would see it, upright as the person sees it, or
 * refused with a message that says why, keeping what was already on screen.
 */

import { type PixelSummary, summarizePixels } from '../src/shared/image-pixels';
import { expect, test } from './fixtures';
import type { AppPage } from './pages/app-page';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';
import { readableTestImages, SVG_EXTERNAL_URLS, unreadableTestImages } from './support/images/test-images';

// JPEG is lossy; the other formats come through exactly, within rounding.
const COLOUR_TOLERANCE = 8;

test.beforeEach(async ({ app }) => {
  await app.open({ model: TEST_MODEL_URL, 'input-pixels': '1' });
  await app.loadModel();
});

/** The same summary of the picture on screen: the preview <img> drawn at its natural size. */
async function previewSummary(app: AppPage): Promise<PixelSummary> {
  const { width, height, rgba } = await app.page
    .getByTestId('image-preview')
    .evaluate(async (preview: HTMLImageElement) => {
      await preview.decode();
      const canvas = new OffscreenCanvas(preview.naturalWidth, preview.naturalHeight);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d context');
      context.drawImage(preview, 0, 0);
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      return { width: canvas.width, height: canvas.height, rgba: Array.from(data) };
    });
  return summarizePixels(new Uint8ClampedArray(rgba), { width, height }, 4);
}

function expectColoursClose(actual: readonly (readonly number[])[], expected: readonly (readonly number[])[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((colour, quadrant) => {
    colour.forEach((value, channel) => {
      const wanted = expected[quadrant]?.[channel] ?? Number.NaN;
      expect(
        Math.abs(value - wanted),
        `quadrant ${quadrant} channel ${channel}: ${value} vs ${wanted}`,
      ).toBeLessThanOrEqual(COLOUR_TOLERANCE);
    });
  });
}

for (const image of readableTestImages()) {
  test(`${image.what} is answered, with the pixels the model should see`, async ({ app, page }) => {
    await app.chooseImage(image);
    await expect(app.imageError).toBeHidden();
    await app.runTask('<OD>');
    await expect(app.regionList.locator('li')).toHaveCount(3);

    const seen = await app.inputPixels();
    expect(seen.size).toEqual({ width: image.modelSees.width, height: image.modelSees.height });
    expectColoursClose(seen.quadrantMeans, image.modelSees.quadrants);
    // Boxes are laid out over the picture as shown, scaled alike in both directions from the
    // model's image, so they line up with what the person sees.
    const scene = await app.overlayScene();
    const shown = await page.getByTestId('image-preview').evaluate((preview) => preview.getBoundingClientRect());
    expect(scene.size.width).toBeCloseTo(shown.width, 1);
    expect(scene.size.height).toBeCloseTo(shown.height, 1);
    expect(scene.size.width / seen.size.width).toBeCloseTo(scene.size.height / seen.size.height, 1);
    if (image.previewMatchesModel) {
      const preview = await previewSummary(app);
      expect(preview.size).toEqual(seen.size);
      expectColoursClose(preview.quadrantMeans, seen.quadrantMeans);
    }
    await expect(page.getByTestId('image-name')).toHaveText(image.name);
  });
}

test('an SVG is drawn without running its script or fetching what it links to', async ({ app, page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const linked: string[] = [];
  page.context().on('request', (request) => {
    if (SVG_EXTERNAL_URLS.some((url) => request.url().startsWith(url))) linked.push(request.url());
  });
  const svg = readableTestImages().find((image) => image.name.endsWith('.svg'));
  if (!svg) throw new Error('no SVG test image');
  await app.chooseImage(svg);
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
  expect(dialogs).toEqual([]);
  expect(linked).toEqual([]);
});

test('formats the browser cannot open and cut-off files get a message; earlier answers stay', async ({ app, page }) => {
  await app.chooseImage({ name: 'first.png', mimeType: 'image/png', buffer: gradientPng(120, 90) });
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
  for (const file of unreadableTestImages()) {
    await app.chooseImage(file);
    await expect(app.imageError, file.what).toContainText(file.message);
    await expect(app.imageError).toContainText(file.name);
    await expect(page.getByTestId('image-name')).toHaveText('first.png');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
  }
});
