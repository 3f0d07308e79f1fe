/**
 * The image-first workspace (issue 14): Run beside the picture, the phone flow, the empty state and
 * its samples, the answer chips, and an accessibility scan of each state.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';
import { SCRIPTED_CAPTION } from './support/test-model/answers';

const PHONE = { width: 390, height: 844 };

async function expectNoAxeViolations(page: Page, state: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(found, `axe violations on ${state}`).toEqual([]);
}

async function dropFile(page: Page, selector: string, name: string, png: Buffer) {
  await page.evaluate(
    ({ selector, name, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
      const target = document.querySelector(selector);
      if (!target) throw new Error(`nothing at ${selector}`);
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { selector, name, bytes: [...png] },
  );
}

test('at 1280x720 Run is in the first viewport beside the picture, and the model folds into a chip', async ({
  app,
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open({ model: TEST_MODEL_URL });
  await expectNoAxeViolations(page, 'the first screen');
  // Until a model is ready, loading it is the one primary action.
  await expect(page.getByTestId('load-model')).toHaveClass(/primary/);
  await app.loadModel();
  await expect(page.getByTestId('model-choice')).toBeHidden();
  await page.getByTestId('sample-street').click();
  await expect(page.getByTestId('image-name')).toHaveText('street.jpg');
  await expect(app.runButton).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('image-preview')).toBeInViewport();
  // The Labels and Fills toggles are in place before any region exists, so nothing moves later.
  await expect(page.getByTestId('toggle-labels')).toBeVisible();
  const imageTopBefore = (await page.getByTestId('image-preview').boundingBox())?.y;

  await app.runTask('<OD>');
  await expect(app.regionList.locator('li')).toHaveCount(3);
  expect((await page.getByTestId('image-preview').boundingBox())?.y).toBe(imageTopBefore);
  await expect(app.runButton).toBeInViewport({ ratio: 1 });
  // Opening the raw output lengthens the answer column; the page scrolls, the picture stays.
  await page.getByTestId('raw-output').locator('summary').click();
  await page.mouse.wheel(0, 600);
  await expect(page.getByTestId('image-preview')).toBeInViewport();
  await expectNoAxeViolations(page, 'a results state');

  // The chip opens the model's choices and storage.
  await page.getByTestId('model-info').click();
  await expect(page.getByTestId('model-choice')).toBeVisible();
});

test('a sample image answers with one click after the model is loaded', async ({ app, page }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await page.getByTestId('sample-sign').click();
  await expect(page.getByTestId('image-preview')).toHaveJSProperty('naturalWidth', 1024);
  await app.runTask('<CAPTION>');
  await expect(app.answerText).toHaveText(SCRIPTED_CAPTION);
});

test('the empty viewer opens the picker when clicked, and a drop on it or anywhere on the page loads the image', async ({
  app,
  page,
}) => {
  await app.open({ model: TEST_MODEL_URL });
  const chooser = page.waitForEvent('filechooser');
  // A click in the middle of the empty workspace, not on a button's label.
  const viewer = await page.getByTestId('drop-zone').boundingBox();
  if (!viewer) throw new Error('no empty viewer');
  await page.mouse.click(viewer.x + viewer.width * 0.2, viewer.y + viewer.height * 0.8);
  await (await chooser).setFiles({ name: 'picked.png', mimeType: 'image/png', buffer: gradientPng(200, 100) });
  await expect(page.getByTestId('image-name')).toHaveText('picked.png');

  await dropFile(page, '[data-testid="viewer"]', 'on-viewer.png', gradientPng(300, 200));
  await expect(page.getByTestId('image-name')).toHaveText('on-viewer.png');
  await dropFile(page, '.app-header', 'on-header.png', gradientPng(120, 90));
  await expect(page.getByTestId('image-name')).toHaveText('on-header.png');
  await expect(page.getByTestId('image-preview')).toHaveJSProperty('naturalWidth', 120);
});

test('on a phone Run stays in reach, the answer comes into view, and targets are 44 px', async ({ app, page }) => {
  await page.setViewportSize(PHONE);
  await app.open({ model: TEST_MODEL_URL });
  await expectNoAxeViolations(page, 'the phone layout');
  await app.loadModel();
  await page.getByTestId('sample-street').click();
  await expect(page.getByTestId('image-name')).toHaveText('street.jpg');
  // A region task: the picture to draw on and Run on one screen.
  await app.selectTask('<REGION_TO_CATEGORY>');
  await expect(page.getByTestId('overlay')).toBeInViewport({ ratio: 0.5 });
  await expect(app.runButton).toBeInViewport({ ratio: 1 });
  const overlay = await app.overlayBox();
  await page.mouse.move(overlay.x + overlay.width * 0.2, overlay.y + overlay.height * 0.4);
  await page.mouse.down();
  await page.mouse.move(overlay.x + overlay.width * 0.8, overlay.y + overlay.height * 0.8, { steps: 4 });
  await page.mouse.up();
  await expect(app.runButton).toBeEnabled();
  await expect(app.runButton).toBeInViewport({ ratio: 1 });

  await app.selectTask('<OD>');
  await app.runButton.click();
  await expect(app.regionList).toBeInViewport({ timeout: 60_000 });
  // Not hidden under the bar fixed to the bottom.
  const results = await page.getByTestId('results').boundingBox();
  const bar = await page.locator('.task-bar').boundingBox();
  if (!results || !bar) throw new Error('no results or bar');
  expect(results.y).toBeGreaterThanOrEqual(0);
  expect(results.y).toBeLessThan(bar.y);

  const small = await page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        'button, select, input:not([type="checkbox"]), summary, label:has(input[type="checkbox"])',
      ),
    ]
      .filter((element) => element.offsetParent !== null || getComputedStyle(element).position === 'fixed')
      .map((element) => ({
        what: element.dataset.testid ?? element.textContent?.trim().slice(0, 30),
        height: element.getBoundingClientRect().height,
      }))
      .filter(({ height }) => height > 0 && height < 44),
  );
  expect(small).toEqual([]);
  await expectNoAxeViolations(page, 'the phone results');
});

test('dark mode passes the accessibility scan with an answer on screen', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.open({ model: TEST_MODEL_URL });
  await expectNoAxeViolations(page, 'the dark first screen');
  await app.loadModel();
  await page.getByTestId('sample-street').click();
  await app.runTask('<CAPTION>');
  await app.runTask('<OD>');
  await expectNoAxeViolations(page, 'dark mode with answers');
});

test('the answer chips are one tab stop, moved through with the arrow keys, and show their input', async ({
  app,
  page,
}) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'scene.png', mimeType: 'image/png', buffer: gradientPng(640, 480) });
  await app.runTask('<CAPTION>');
  await app.runTask('<OD>');
  await app.selectTask('<REFERRING_EXPRESSION_SEGMENTATION>');
  await page.getByTestId('task-input').fill('the green car');
  await app.runTask('<REFERRING_EXPRESSION_SEGMENTATION>');
  // The polygon is named by the phrase that was asked (the reference leaves it unlabelled).
  await expect(app.regionList.locator('li').first()).toContainText('the green car');
  await expect(page.getByTestId('answer-tab-<REFERRING_EXPRESSION_SEGMENTATION>')).toHaveAccessibleName(
    'Segment what you describe · the green car',
  );

  const tabs = page.getByTestId('answer-tabs').getByRole('tab');
  await expect(tabs).toHaveCount(3);
  const focusable = await tabs.evaluateAll((elements) => elements.filter((element) => element.tabIndex === 0).length);
  expect(focusable).toBe(1);
  await page.getByTestId('answer-tab-<REFERRING_EXPRESSION_SEGMENTATION>').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('answer-tab-<CAPTION>')).toBeFocused();
  await expect(app.answerText).toHaveText(SCRIPTED_CAPTION);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('answer-tab-<OD>')).toBeFocused();
  await expect(page.getByTestId('answer-tab-<OD>')).toHaveAttribute('aria-selected', 'true');
  await expect(app.regionList.locator('li')).toHaveCount(3);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('answer-tab-<REFERRING_EXPRESSION_SEGMENTATION>')).toBeFocused();
});
