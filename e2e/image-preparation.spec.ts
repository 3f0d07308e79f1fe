/**
 * A large image takes time to prepare before the model sees it: the app says so while it happens,
 * and the answer's timing breakdown shows each stage of it (reading, decoding, preprocessing with
 * resizing), not only the model's.
 */

import type { FlorenceTestHooks } from '../src/page/test-hooks';
import type { RunPhase, StageTimings } from '../src/shared/protocol';
import { expect, test } from './fixtures';
import { scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { encodePng } from './support/images/png';

// 24 megapixels: far more than the model's 768 × 768, so decoding and resizing take real time.
const LARGE = { width: 6000, height: 4000 };
const TIME = String.raw`\d+ ms|\d+\.\d\d s`;

interface Recorded {
  phases: (RunPhase | null)[];
  placeholder: string[];
}

test('a large image: "Preparing the image…" while it is prepared, then every stage with its time', async ({
  app,
  page,
}) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({
    name: 'large-photo.png',
    mimeType: 'image/png',
    buffer: encodePng(LARGE.width, LARGE.height, (x, y) => [x % 256, y % 256, 90]),
  });
  await app.selectTask('<CAPTION>');
  await expect(app.runButton).toBeEnabled();

  // Every phase the store goes through and every text the answer's placeholder shows, from now on.
  const record = () =>
    page.evaluate(() => {
      const hooks = (window as unknown as { florenceTestHooks: FlorenceTestHooks }).florenceTestHooks;
      const recorded: Recorded = { phases: [hooks.getState().runPhase], placeholder: [] };
      (window as unknown as { recorded: Recorded }).recorded = recorded;
      hooks.subscribe((state) => {
        if (recorded.phases.at(-1) !== state.runPhase) recorded.phases.push(state.runPhase);
      });
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="answer-placeholder"]')?.textContent;
        if (text && recorded.placeholder.at(-1) !== text) recorded.placeholder.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  const recorded = () => page.evaluate(() => (window as unknown as { recorded: Recorded }).recorded);

  await record();
  await app.runButton.click();
  // Seen live while the worker decodes and resizes.
  await expect(page.getByTestId('answer-placeholder')).toHaveText('Preparing the image…');
  await expect(page.getByTestId('timing')).toBeVisible({ timeout: 90_000 });
  await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));

  // Idle, then the worker's phases in order (preparing, the vision encoder, generating), then idle.
  const first = await recorded();
  expect(first.phases).toEqual([null, 'preparing-image', 'encoding-image', 'generating', null]);
  expect(first.placeholder[0]).toBe('Preparing the image…');
  expect(first.placeholder.indexOf('The model is looking at the image…')).toBeGreaterThan(0);

  const stages = page.getByTestId('stage-timings');
  await expect(stages).toHaveText(
    new RegExp(
      `^reading the file (${TIME}) · decoding (${TIME}) · preprocessing (${TIME}) \\(resizing (${TIME})\\) · vision encoder (${TIME}) · text encoder`,
    ),
  );
  await expect(page.getByTestId('timing')).toContainText(`image ${LARGE.width}×${LARGE.height}`);
  // The times shown are the worker's measurements: each stage took time, and together they fit in the run.
  const timings = await page.evaluate(() => {
    const state = (window as unknown as { florenceTestHooks: FlorenceTestHooks }).florenceTestHooks.getState();
    return state.answers['<CAPTION>']?.output.timings ?? null;
  });
  if (!timings) throw new Error('no timings kept for the caption');
  const imageStages: (keyof StageTimings)[] = ['readFileMs', 'decodeImageMs', 'preprocessMs', 'resizeMs'];
  for (const stage of imageStages) expect(timings[stage], stage).toBeGreaterThan(0);
  expect(timings.resizeMs).toBeLessThanOrEqual(timings.preprocessMs);
  expect(timings.readFileMs + timings.decodeImageMs + timings.preprocessMs + timings.visionEncoderMs).toBeLessThan(
    timings.totalMs,
  );

  // A second task on the same image reuses its features: no decoding, preprocessing or encoding.
  await record();
  await app.runTask('<OD>');
  await expect(stages).toHaveText(
    new RegExp(`^Image features reused from an earlier task · reading the file (${TIME}) · text encoder`),
  );
  await expect(stages).not.toContainText('decoding');
  expect((await recorded()).phases).toEqual([null, 'preparing-image', 'generating', null]);
});
