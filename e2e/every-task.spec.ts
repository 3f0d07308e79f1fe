/**
 * Every one of the 15 tasks through the real worker: the prompt the worker received, and what is
 * drawn (count, labels and geometry of every region) or written, against the test model's script.
 */

import { VOCABULARY_SEPARATOR } from '../src/shared/florence/task-input';
import { buildPrompt, getTask } from '../src/shared/florence/tasks';
import { expect, test } from './fixtures';
import { expectedShapes, scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';
import { SCRIPTED_ANSWERS } from './support/test-model/answers';

// 1000 x 1000: a pixel is a bin, so typed region edges map to bins exactly.
const IMAGE = { width: 1000, height: 1000 };

test('all 15 tasks answer and draw what the model said', async ({ app, page }) => {
  test.setTimeout(240_000);
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'square.png', mimeType: 'image/png', buffer: gradientPng(IMAGE.width, IMAGE.height) });
  const scale = await page
    .getByTestId('image-preview')
    .evaluate((img: HTMLImageElement) => img.getBoundingClientRect().width / img.naturalWidth);

  const tasksSeen = new Set<string>();
  for (const scripted of SCRIPTED_ANSWERS) {
    const spec = getTask(scripted.task);
    tasksSeen.add(scripted.task);
    await app.selectTask(scripted.task);
    if (spec.input === 'text') {
      // Several open-vocabulary classes are typed as a comma list.
      await page.getByTestId('task-input').fill((scripted.input ?? '').replaceAll(VOCABULARY_SEPARATOR, ', '));
    } else if (spec.input === 'region') {
      const bins = Array.from((scripted.input ?? '').matchAll(/<loc_(\d+)>/g), (match) => Number(match[1]));
      await app.typeRegion(bins as [number, number, number, number]);
    }
    await app.runAndWaitFor(buildPrompt(scripted.task, scripted.input ?? ''));
    await expect(page.getByRole('heading', { name: `Answer · ${spec.label}` })).toBeVisible();

    const expected = expectedShapes(scripted.task, scripted.input, IMAGE);
    if (expected.length === 0) {
      const words = scriptedAnswer(scripted.task, scripted.input).replace(/<loc_\d+>/g, '');
      await expect(app.answerText).toHaveText(words);
      continue;
    }
    await expect(page.getByTestId('region-count')).toContainText(`${expected.length} region`);
    const scene = await app.overlayScene();
    expect(scene.items, `${scripted.task} ${scripted.input ?? ''}`).toHaveLength(expected.length);
    for (const [index, shape] of expected.entries()) {
      const item = scene.items[index];
      if (!item) throw new Error(`region ${index} of ${scripted.task} was not drawn`);
      // A polygon answer has no label of its own: the overlay names it by what was asked.
      const askedFor =
        spec.input === 'text' ? (scripted.input ?? '') : spec.input === 'region' ? 'the drawn region' : '';
      expect(item.label?.text ?? '').toBe(shape.label || askedFor);
      if (shape.kind === 'rect') {
        if (item.shape.kind !== 'rect') throw new Error(`${scripted.task}: expected a box`);
        for (const [corner, value] of item.shape.rect.entries()) {
          expect(value).toBeCloseTo((shape.box[corner] ?? 0) * scale, 3);
        }
      } else {
        if (item.shape.kind !== 'path') throw new Error(`${scripted.task}: expected a polygon`);
        expect(item.shape.rings.map((ring) => ring.length)).toEqual(shape.rings.map((ring) => ring.length / 2));
        for (const [r, ring] of item.shape.rings.entries()) {
          for (const [p, point] of ring.entries()) {
            expect(point.x).toBeCloseTo((shape.rings[r]?.[2 * p] ?? 0) * scale, 3);
            expect(point.y).toBeCloseTo((shape.rings[r]?.[2 * p + 1] ?? 0) * scale, 3);
          }
        }
      }
    }
  }
  expect(tasksSeen.size).toBe(15);
});
