/**
 * The library as other pages use it, in Chromium on the test model: the example page answers; the
 * real `openai` client gets whole and streamed answers; Roboflow's documented body gets Roboflow's
 * shape; fal's shapes come out for boxes, quadrilaterals and polygons. Expected regions are worked
 * out from the test model's scripted tokens (expected-answers.ts), not by the code under test.
 */

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, GENERATED_MODELS, test } from './fixtures';
import { expectedShapes, scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';
import { StaticServer } from './support/static-server';
import { DEFAULT_TOKEN_PROBABILITY } from './support/test-model/answers';

/** Every token of the scripted detections has the model's default probability; JSON rounds to 4 places. */
const SURE = Number(DEFAULT_TOKEN_PROBABILITY.toFixed(4));

const IMAGE = { width: 320, height: 240 };
const imageBase64 = gradientPng(IMAGE.width, IMAGE.height).toString('base64');
const MODEL_FOLDER = `${TEST_MODEL_URL}/`;

/** Serves the installed `openai` package's ES modules to the page, as a site would from its bundle. */
async function serveOpenAIClient(page: Page): Promise<void> {
  const root = resolve('node_modules/openai');
  await page.route('**/vendor/openai/**', async (route) => {
    const path = new URL(route.request().url()).pathname.replace('/vendor/openai/', '');
    await route.fulfill({ body: await readFile(resolve(root, path)), contentType: 'text/javascript' });
  });
}

// Each test takes the `app` fixture for its guards: no request may leave the machine, no CSP violation.
test('the example page answers a task on its picture with a plain module script', async ({ app: _app, page }) => {
  await page.goto(`/example/?model=${encodeURIComponent(MODEL_FOLDER)}`);
  await page.getByRole('combobox', { name: 'Task' }).selectOption('<CAPTION>');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('answer-text')).toHaveText(scriptedAnswer('<CAPTION>'), { timeout: 90_000 });
  await expect(page.getByTestId('answer-json')).toHaveText(JSON.stringify(scriptedAnswer('<CAPTION>'), null, 2));

  await page.getByRole('combobox', { name: 'Task' }).selectOption('<OD>');
  await page.getByRole('button', { name: 'Run' }).click();
  const boxes = expectedShapes('<OD>', undefined, IMAGE).map((shape) => (shape.kind === 'rect' ? shape.box : []));
  await expect
    .poll(async () => JSON.parse((await page.getByTestId('answer-json').textContent()) || 'null'))
    .toEqual({ bboxes: boxes, labels: ['car', 'wheel', 'wheel'], scores: [SURE, SURE, SURE] });
});

test('the openai client gets whole and streamed answers for a caption and a detection', async ({ app: _app, page }) => {
  await serveOpenAIClient(page);
  await page.goto('/example/');
  const replies = await page.evaluate(
    async ({ model, image }) => {
      const { createFlorence2, openAIFetch } = await import('/lib/florence2.js' as string);
      const { default: OpenAI } = await import('/vendor/openai/index.mjs' as string);
      const florence = createFlorence2({ model, modelFolders: { 'florence-2-base': model } });
      const openai = new OpenAI({
        baseURL: 'https://florence.local/v1',
        apiKey: 'unused',
        fetch: openAIFetch(florence),
        dangerouslyAllowBrowser: true,
      });
      const messages = (text: string) => [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: `data:image/png;base64,${image}` } },
            { type: 'text', text },
          ],
        },
      ];
      const whole = async (text: string) => {
        const reply = await openai.chat.completions.create({ model: 'florence-2-base', messages: messages(text) });
        return {
          object: reply.object,
          content: reply.choices[0].message.content,
          finish: reply.choices[0].finish_reason,
        };
      };
      const streamed = async (text: string) => {
        const stream = await openai.chat.completions.create({
          model: 'florence-2-base',
          messages: messages(text),
          stream: true,
        });
        const deltas: string[] = [];
        const objects = new Set<string>();
        for await (const chunk of stream) {
          objects.add(chunk.object);
          if (chunk.choices[0]?.delta?.content) deltas.push(chunk.choices[0].delta.content);
        }
        return { objects: [...objects], deltas };
      };
      const result = {
        caption: await whole('<CAPTION>'),
        detection: await whole('<OD>'),
        streamedCaption: await streamed('<CAPTION>'),
        streamedDetection: await streamed('<OD>'),
        models: (await openai.models.list()).data.map((entry: { id: string }) => entry.id),
      };
      florence.dispose();
      return result;
    },
    { model: MODEL_FOLDER, image: imageBase64 },
  );
  const caption = scriptedAnswer('<CAPTION>');
  const detection = {
    '<OD>': {
      bboxes: expectedShapes('<OD>', undefined, IMAGE).map((shape) => (shape.kind === 'rect' ? shape.box : [])),
      labels: ['car', 'wheel', 'wheel'],
      scores: [SURE, SURE, SURE],
    },
  };
  expect(replies.caption).toEqual({ object: 'chat.completion', content: caption, finish: 'stop' });
  expect(JSON.parse(replies.detection.content)).toEqual(detection);
  expect(replies.streamedCaption.objects).toEqual(['chat.completion.chunk']);
  // Streamed as it was generated: in several pieces that add up to the answer.
  expect(replies.streamedCaption.deltas.length).toBeGreaterThan(1);
  expect(replies.streamedCaption.deltas.join('')).toBe(caption);
  expect(JSON.parse(replies.streamedDetection.deltas.join(''))).toEqual(detection);
  expect(replies.models).toContain('florence-2-base');
});

test('Roboflow’s documented body gets Roboflow’s answer, and fal’s shapes come out for each region kind', async ({
  app: _app,
  page,
  context,
}) => {
  // Only the library's own files and the model's: the images travel in no request.
  const sent: { method: string; url: string; body: string | null }[] = [];
  context.on('request', (request) =>
    sent.push({ method: request.method(), url: request.url(), body: request.postData() }),
  );
  await page.goto('/example/');
  const answers = await page.evaluate(
    async ({ model, image }) => {
      const { createFlorence2, inferLmm, runFal } = await import('/lib/florence2.js' as string);
      const florence = createFlorence2({ model, modelFolders: { 'florence-2-large': model } });
      const body = (prompt: string) => ({
        api_key: 'not needed',
        image: { type: 'base64', value: image },
        model_id: 'florence-2-large',
        prompt,
      });
      const imageUrl = `data:image/png;base64,${image}`;
      const failure = async (call: Promise<unknown>) =>
        call.then(
          () => null,
          (error: { status: number; body: unknown }) => ({ status: error.status, body: error.body }),
        );
      const result = {
        caption: await inferLmm(florence, body('<CAPTION>')),
        detection: await inferLmm(florence, body('<OD>')),
        unknownModel: await failure(inferLmm(florence, { ...body('<CAPTION>'), model_id: 'florence-9' })),
        falBoxes: await runFal(florence, 'fal-ai/florence-2-large/object-detection', { image_url: imageUrl }),
        falQuads: await runFal(florence, 'ocr-with-region', { image_url: imageUrl }),
        falPolygons: await runFal(florence, 'referring-expression-segmentation', {
          image_url: imageUrl,
          text_input: 'the green car',
        }),
        falOutside: await failure(
          runFal(florence, 'region-to-category', { image_url: imageUrl, region: { x1: 0, y1: 0, x2: 400, y2: 100 } }),
        ),
      };
      florence.dispose();
      return result;
    },
    { model: MODEL_FOLDER, image: imageBase64 },
  );
  expect(answers.caption.response).toEqual({ '<CAPTION>': scriptedAnswer('<CAPTION>') });
  const boxes = expectedShapes('<OD>', undefined, IMAGE);
  expect(answers.detection.response).toEqual({
    '<OD>': {
      bboxes: boxes.map((shape) => (shape.kind === 'rect' ? shape.box : [])),
      labels: ['car', 'wheel', 'wheel'],
      scores: [SURE, SURE, SURE],
    },
  });
  expect(answers.unknownModel).toMatchObject({ status: 400, body: { error_type: 'InvalidModelIDError' } });

  expect(answers.falBoxes).toEqual({
    results: {
      bboxes: boxes.map((shape) => {
        const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = shape.kind === 'rect' ? shape.box : [];
        return { x: x1, y: y1, w: x2 - x1, h: y2 - y1, label: shape.label, score: expect.closeTo(SURE, 4) };
      }),
    },
  });
  const quads = expectedShapes('<OCR_WITH_REGION>', undefined, IMAGE);
  expect(
    answers.falQuads.results.quad_boxes.map((quad: { label: string; points: { x: number; y: number }[] }) => [
      quad.label,
      quad.points.flatMap((point) => [point.x, point.y]),
    ]),
  ).toEqual(quads.map((shape) => [shape.label, shape.kind === 'path' ? shape.rings[0] : []]));
  const polygon = expectedShapes('<REFERRING_EXPRESSION_SEGMENTATION>', 'the green car', IMAGE)[0];
  expect(
    answers.falPolygons.results.polygons.map((entry: { points: { x: number; y: number }[] }) =>
      entry.points.flatMap((point) => [point.x, point.y]),
    ),
  ).toEqual(polygon?.kind === 'path' ? polygon.rings : []);
  expect(answers.falOutside).toMatchObject({ status: 422, body: { detail: [{ loc: ['body', 'region'] }] } });
  expect(sent.filter((request) => request.method !== 'GET' || request.body)).toEqual([]);
});

test('a URL image is fetched by the page; a server that does not allow CORS gets a message that says so', async ({
  app: _app,
  page,
  modelServer,
}) => {
  const picture = gradientPng(IMAGE.width, IMAGE.height);
  // The model host allows any origin, as the Hub does; the other host allows none.
  modelServer.overrides.set('/picture.png', picture);
  const closed = new StaticServer(GENERATED_MODELS, { port: 4182 });
  closed.overrides.set('/picture.png', picture);
  await closed.start();
  try {
    await page.goto('/example/');
    const outcome = await page.evaluate(
      async ({ model, open, refused }) => {
        const { createFlorence2 } = await import('/lib/florence2.js' as string);
        // Started from where the library's assets are served, named as a page that moved them would.
        const florence = createFlorence2({ model, assetsUrl: '/lib/' });
        const attempt = (url: string) =>
          florence.run('<CAPTION>', url).then(
            (answer: { text: string }) => answer.text,
            (error: { code: string; message: string }) => `${error.code}: ${error.message}`,
          );
        const result = {
          open: await attempt(open),
          refused: await attempt(refused),
          missing: await attempt(`${open}x`),
        };
        florence.dispose();
        return result;
      },
      { model: MODEL_FOLDER, open: `${modelServer.origin}/picture.png`, refused: `${closed.origin}/picture.png` },
    );
    expect(outcome.open).toBe(scriptedAnswer('<CAPTION>'));
    expect(outcome.refused).toMatch(/^image-fetch-failed: .*CORS.*Blob/);
    expect(outcome.missing).toMatch(/^image-fetch-failed: .*404/);
    expect(modelServer.requests.filter((request) => request.path === '/picture.png')).toHaveLength(1);
  } finally {
    await closed.stop();
  }
});
