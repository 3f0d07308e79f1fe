/**
 * Answer quality and confidence, as a person sees them: "best" (3 beams) finds the answer greedy
 * decoding misses, every region shows its score, the threshold slider hides the unsure one, and
 * Copy JSON carries the scores of what is shown. The scripted rows and their hand-computed
 * probabilities are in e2e/support/test-model/answers.ts.
 */
import { buildPrompt } from '../src/shared/florence/tasks';
import { expect, test } from './fixtures';
import { TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';
import { BEAM_SCRIPT, CONFIDENCE_SCRIPT } from './support/test-model/answers';

test.beforeEach(async ({ app }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'sky.png', mimeType: 'image/png', buffer: gradientPng(640, 480) });
});

// The app shows whole percentages rounded down.
const percent = (score: number) => `${Math.floor(score * 100)}%`;

test('"best" decodes with 3 beams and finds the answer greedy decoding misses', async ({ app, page }) => {
  await app.selectTask(BEAM_SCRIPT.task);
  await page.getByTestId('task-input').fill(BEAM_SCRIPT.typed);
  const prompt = buildPrompt(BEAM_SCRIPT.task, BEAM_SCRIPT.input);
  // "best" is the default.
  await expect(page.getByTestId('quality')).toHaveValue('best');
  await app.runAndWaitFor(prompt);
  await expect(page.getByTestId('raw-text')).toHaveText(`</s><s>${BEAM_SCRIPT.beamAnswer}</s>`);
  await expect(page.getByTestId('timing')).toContainText('3 beams');
  await expect(app.regionList.locator('li')).toHaveCount(1);
  await expect(app.regionList).toContainText(BEAM_SCRIPT.beamLabel);
  await expect(page.getByTestId('region-score')).toHaveText(percent(BEAM_SCRIPT.beamScore));

  await page.getByTestId('quality').selectOption('fast');
  await app.runButton.click();
  await expect(page.getByTestId('raw-text')).toHaveText(`</s><s>${BEAM_SCRIPT.greedyAnswer}</s>`, {
    timeout: 90_000,
  });
  await expect(page.getByTestId('timing')).toContainText('greedy');
  await expect(app.regionList).toContainText(BEAM_SCRIPT.greedyLabel);
  await expect(page.getByTestId('region-score')).toHaveText(percent(BEAM_SCRIPT.greedyScore));
});

test('scores show in the list and on hover; the threshold hides the unsure region, also from Copy JSON', async ({
  app,
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const task = CONFIDENCE_SCRIPT.task;
  await app.selectTask(task);
  await page.getByTestId('task-input').fill(CONFIDENCE_SCRIPT.input);
  await app.runAndWaitFor(buildPrompt(task, CONFIDENCE_SCRIPT.input));
  const labels = CONFIDENCE_SCRIPT.regions.map((region) => region.label);
  const scores: number[] = CONFIDENCE_SCRIPT.regions.map((region) => region.score);
  await expect(app.regionList.locator('li')).toHaveCount(labels.length);
  await expect(page.getByTestId('region-score')).toHaveText(scores.map(percent));

  const copied = async () => {
    await page.getByTestId('copy-json').click();
    await expect(page.getByTestId('copy-json')).toHaveText('Copied');
    const json = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as Record<
      string,
      { labels: string[]; scores: number[]; bboxes: number[][] }
    >;
    const value = json[task];
    if (!value) throw new Error(`Copied JSON has no ${task}`);
    return value;
  };
  const all = await copied();
  expect(all.labels).toEqual(labels);
  expect(all.scores).toHaveLength(scores.length);
  for (const [index, score] of scores.entries()) expect(all.scores[index]).toBeCloseTo(score, 3);

  // Hovering the unsure region in the list shows its score on the image.
  const unsure = scores.indexOf(Math.min(...scores));
  await app.regionList.locator('li').nth(unsure).locator('button').hover();
  await expect(page.getByTestId('tooltip-score')).toHaveText(`confidence ${percent(scores[unsure] ?? 0)}`);

  await page.getByTestId('min-score').fill('0.5');
  await expect(page.getByTestId('hidden-count')).toContainText('1 hidden');
  const shown = labels.filter((_, index) => (scores[index] ?? 0) >= 0.5);
  await expect(app.regionList.locator('li')).toHaveCount(shown.length);
  await expect.poll(async () => (await app.overlayScene()).items.map((item) => item.label?.text)).toEqual(shown);
  const filtered = await copied();
  expect(filtered.labels).toEqual(shown);
  expect(filtered.scores).toHaveLength(shown.length);
  expect(filtered.bboxes).toHaveLength(shown.length);
});
