/**
 * Inputs and interactions around the answers: a region drawn with the mouse, the caption-then-ground
 * cascade, every task kept and switchable, and highlighting regions from the list and the image.
 */

import { pixelToBin } from '../src/shared/geometry/bins';
import { expect, test } from './fixtures';
import { expectedShapes, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';
import { SCRIPTED_CAPTION } from './support/test-model/answers';

const IMAGE = { width: 640, height: 480 };

test.beforeEach(async ({ app }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'street.png', mimeType: 'image/png', buffer: gradientPng(IMAGE.width, IMAGE.height) });
});

test('a region drawn with the mouse reaches the model as location tokens', async ({ app, page }) => {
  await app.selectTask('<REGION_TO_DESCRIPTION>');
  await expect(page.getByTestId('run-blocker')).toContainText('needs a region');
  await expect(app.runButton).toBeDisabled();

  const box = await app.overlayBox();
  const scale = box.width / IMAGE.width;
  const from = { x: 80.5, y: 60.5 };
  const to = { x: 330.5, y: 250.5 };
  await page.mouse.move(box.x + from.x, box.y + from.y);
  await page.mouse.down();
  await page.mouse.move(box.x + (from.x + to.x) / 2, box.y + (from.y + to.y) / 2);
  await page.mouse.move(box.x + to.x, box.y + to.y);
  await page.mouse.up();

  const bins = [
    pixelToBin(from.x / scale, IMAGE.width),
    pixelToBin(from.y / scale, IMAGE.height),
    pixelToBin(to.x / scale, IMAGE.width),
    pixelToBin(to.y / scale, IMAGE.height),
  ];
  await expect(page.getByTestId('region-left')).toHaveValue(String(Math.round(from.x / scale)));
  await expect(page.getByTestId('region-bottom')).toHaveValue(String(Math.round(to.y / scale)));
  const style = await app.overlayStyle();
  expect(style.regionInput?.[0]).toBeCloseTo(from.x, 0);
  expect(style.regionInput?.[3]).toBeCloseTo(to.y, 0);

  const tokens = bins.map((bin) => `<loc_${bin}>`).join('');
  await app.runAndWaitFor(`What does the region ${tokens} describe?`);
});

test('caption, then ground it: boxes for the phrases of the caption', async ({ app, page }) => {
  await page.getByTestId('cascade-caption').selectOption('<CAPTION>');
  await page.getByTestId('run-cascade').click();
  await expect(page.getByTestId('answer-tab-<CAPTION_TO_PHRASE_GROUNDING>')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('raw-prompt')).toHaveText(`Locate the phrases in the caption: ${SCRIPTED_CAPTION}`);
  const expected = expectedShapes('<CAPTION_TO_PHRASE_GROUNDING>', SCRIPTED_CAPTION, IMAGE);
  await expect(app.regionList.locator('li')).toHaveCount(expected.length);
  expect((await app.overlayScene()).items.map((item) => item.label?.text)).toEqual(
    expected.map((shape) => shape.label),
  );

  // The caption is kept: switching back shows it without running again.
  await page.getByTestId('answer-tab-<CAPTION>').click();
  await expect(app.answerText).toHaveText(SCRIPTED_CAPTION);
  await expect(app.runButton).toHaveText('Run');
  expect((await app.overlayScene()).items).toHaveLength(0);
});

test('run every task keeps each answer, switchable without re-running', async ({ app, page }) => {
  await page.getByTestId('run-all').click();
  await expect(page.getByTestId('run-notice')).toContainText('Skipped for want of input', { timeout: 90_000 });
  // Eight tasks need no input, grounding uses the caption; the other six need text or a region.
  const tabs = page.getByTestId('answer-tabs').getByRole('tab');
  await expect(tabs).toHaveCount(9);
  await expect(page.getByTestId('run-notice')).toContainText('Segment a region');
  await expect(page.getByTestId('run-notice')).toContainText(/^Every task: 9 answers in \d+\.\d s\./);

  const timings = new Map<string, string>();
  for (const task of ['<OD>', '<OCR>', '<REGION_PROPOSAL>', '<OCR_WITH_REGION>']) {
    await page.getByTestId(`answer-tab-${task}`).click();
    await expect(page.getByTestId(`answer-tab-${task}`)).toHaveAttribute('aria-selected', 'true');
    timings.set(task, (await page.getByTestId('timing').textContent()) ?? '');
  }
  // Coming back shows the same stored answer (same timing), not a new run.
  await page.getByTestId('answer-tab-<OD>').click();
  await expect(page.getByTestId('timing')).toHaveText(timings.get('<OD>') ?? '');
  await expect(app.regionList.locator('li')).toHaveCount(3);
  await expect(app.runButton).toHaveText('Run');
});

test('hovering and clicking highlight a region in the image and in the list', async ({ app, page }) => {
  await app.runTask('<OD>');
  const scene = await app.overlayScene();
  const wheel = scene.items[1];
  if (wheel?.shape.kind !== 'rect') throw new Error('no wheel box');
  const box = await app.overlayBox();

  // Hover the wheel (inside the car box too): the smaller region wins and its tooltip shows.
  const [x1, y1, x2, y2] = wheel.shape.rect;
  await page.mouse.move(box.x + (x1 + x2) / 2, box.y + (y1 + y2) / 2);
  await expect(page.getByTestId('region-tooltip')).toContainText('wheel');
  await expect(page.getByTestId('region-tooltip')).toContainText('box [101, 268, 215, 372]');
  expect((await app.overlayStyle()).highlighted).toBe(1);
  await expect(app.regionList.locator('li').nth(1)).toHaveClass(/hovered/);

  // Click selects it in the list.
  await page.mouse.click(box.x + (x1 + x2) / 2, box.y + (y1 + y2) / 2);
  await expect(app.regionList.locator('li').nth(1)).toHaveClass(/selected/);

  // Clicking the list highlights the region in the image.
  await page.mouse.move(box.x + 2, box.y + box.height - 2);
  await app.regionList.locator('li').nth(0).getByRole('button').click();
  await page.mouse.move(0, 0);
  await expect.poll(async () => (await app.overlayStyle()).highlighted).toBe(0);
  await expect(app.regionList.locator('li').nth(0)).toHaveClass(/selected/);

  // Labels can be hidden.
  await page.getByTestId('toggle-labels').uncheck();
  await expect.poll(async () => (await app.overlayStyle()).showLabels).toBe(false);
});
