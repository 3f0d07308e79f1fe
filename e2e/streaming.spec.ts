/**
 * On the slow SwiftShader GPU, tokens arrive one by one: the answer streams in, regions appear as
 * each is complete, and Cancel stops a run at once, leaving the model ready.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';

/** Records every text the partial answer shows, however briefly. */
async function recordPartialAnswers(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { partialAnswers: string[] }).partialAnswers = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="partial-answer"]')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { partialAnswers: string[] }).partialAnswers);
}

test.describe('token by token', { tag: '@needs-webgpu' }, () => {
  test('answers stream in, and a run can be cancelled at once', async ({ app, page }) => {
    test.setTimeout(180_000);
    await app.open({ model: TEST_MODEL_URL });
    await app.loadModel();
    await expect(app.device()).toHaveText('WebGPU');
    await app.chooseImage({ name: 'street.png', mimeType: 'image/png', buffer: gradientPng(320, 240) });

    // Detection: regions are shown one after another while the answer is generated.
    const partials = await recordPartialAnswers(page);
    await app.runTask('<OD>');
    await expect(app.regionList.locator('li')).toHaveCount(3);
    const seen = await partials();
    expect(seen).toContain('1 region so far: car');
    expect(seen).toContain('2 regions so far: car, wheel');
    expect(seen.findIndex((text) => text.startsWith('1 region'))).toBeLessThan(
      seen.findIndex((text) => text.startsWith('2 regions')),
    );

    // A long caption, cancelled as soon as it starts streaming.
    await app.selectTask('<MORE_DETAILED_CAPTION>');
    await app.runButton.click();
    await expect(page.getByTestId('partial-answer')).toContainText('The image', { timeout: 60_000 });
    const cancelledAt = Date.now();
    await page.getByTestId('cancel').click();
    await expect(app.runButton).toHaveText('Run');
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    await expect(page.getByTestId('partial-answer')).toBeHidden();

    // The model is still ready.
    await app.runTask('<CAPTION>');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
  });
});
