/**
 * The library against a fake model worker: the answer of each task type in the library's own shape
 * and in Roboflow's, fal's and OpenAI's (through the real `openai` client), and each bad input with
 * that shape's own error. The worker's raw answers are written by hand; expected coordinates are
 * computed by hand for a 2000 x 1000 image, where bin b is x = 2b + 1 and y = b pixels.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskToken } from '../../shared/florence/tasks';
import type { RunTaskMessage, TaskOutput } from '../../shared/protocol';
import { FakeWorker, answer as fakeOutput, loadedOn, type Outcome } from '../session/fake-worker';
import { Florence2Error } from './errors';
import { createFlorence2, type Florence2 } from './florence2';
import { HostedApiError, inferLmm, runFal } from './hosted-apis';
import { openAIFetch } from './openai-fetch';

const RAW_ANSWERS: Partial<Record<TaskToken, string>> = {
  '<CAPTION>': '<s>A green car parked by a wall.</s>',
  '<OD>': '<s>car<loc_100><loc_200><loc_300><loc_400>wheel<loc_10><loc_20><loc_30><loc_40></s>',
  '<OCR_WITH_REGION>': '<s>HELLO<loc_100><loc_100><loc_200><loc_100><loc_200><loc_150><loc_100><loc_150></s>',
  '<REFERRING_EXPRESSION_SEGMENTATION>': '<s><loc_100><loc_100><loc_200><loc_100><loc_150><loc_200></s>',
  '<REGION_TO_CATEGORY>': '<s>car<loc_100><loc_200><loc_300><loc_400></s>',
  '<OPEN_VOCABULARY_DETECTION>': '<s>car<loc_100><loc_200><loc_300><loc_400></s>',
};
const IMAGE_SIZE = { width: 2000, height: 1000 };
// A 1 x 1 PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const pngBytes = () => Uint8Array.from(atob(PNG_BASE64), (char) => char.charCodeAt(0));
const png = () => new Blob([pngBytes()], { type: 'image/png' });

function outputFor(message: RunTaskMessage): TaskOutput {
  const rawText = RAW_ANSWERS[message.request.task] ?? '<s></s>';
  return { ...fakeOutput(rawText), task: message.request.task, imageSize: IMAGE_SIZE, generatedTokens: 9 };
}

/** A fake worker that streams each answer in two halves, then answers; or as `runs` says. */
function setUp(runs?: (message: RunTaskMessage) => Outcome, loads: () => Outcome | null = () => null) {
  const workers: FakeWorker[] = [];
  const florence = createFlorence2({
    model: 'florence-2-base',
    modelFolders: { 'florence-2-large': 'https://models.example/large/' },
    createWorker: () => {
      const worker = new FakeWorker(workers.length, (message, self) => {
        if (message.kind === 'load-model') return loads() ?? { result: loadedOn('wasm', message.request) };
        if (runs) return runs(message);
        const output = outputFor(message);
        const half = output.rawText.slice(0, Math.ceil(output.rawText.length / 2));
        setTimeout(() =>
          self.reply({ kind: 'progress', id: message.id, progress: { kind: 'partial-answer', rawText: half } }),
        );
        return { result: output };
      });
      workers.push(worker);
      return worker;
    },
  });
  const runsSent = () => workers.flatMap((worker) => worker.runs().map((message) => message.request));
  const loadsSent = () => workers.flatMap((worker) => worker.loads().map((message) => message.request));
  return { florence, workers, runsSent, loadsSent };
}

async function rejection<T = unknown>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected a rejection');
}

let open: Florence2[] = [];
const make = (runs?: (message: RunTaskMessage) => Outcome, loads?: () => Outcome | null) => {
  const made = setUp(runs, loads);
  open.push(made.florence);
  return made;
};
afterEach(() => {
  for (const florence of open) florence.dispose();
  open = [];
  vi.unstubAllGlobals();
});

describe('the library', () => {
  it('loads on the first run and answers with text, regions and the reference shape', async () => {
    const { florence, loadsSent } = make();
    const tokens: string[] = [];
    const result = await florence.run('<OD>', png(), { onToken: (text) => tokens.push(text) });
    expect(loadsSent()).toEqual([
      {
        source: { kind: 'hub', modelId: 'onnx-community/Florence-2-base' },
        devicePreference: 'auto',
        dtypePreset: 'auto',
      },
    ]);
    expect(result.text).toBe('car, wheel');
    expect(result.regions.map((region) => region.kind === 'box' && [...region.box])).toEqual([
      [201, 200, 601, 400],
      [21, 20, 61, 40],
    ]);
    expect(result.reference).toEqual({
      bboxes: [
        [201, 200, 601, 400],
        [21, 20, 61, 40],
      ],
      labels: ['car', 'wheel'],
    });
    expect(tokens.length).toBeGreaterThan(0);
    expect(result.output.imageSize).toEqual(IMAGE_SIZE);
  });

  it('sends the quality asked for, refuses an unknown one, and scores regions from the tokens', async () => {
    // `<s>cat<loc_1><loc_2><loc_3><loc_4></s>`: <s> forced, `cat` .5, the locations .8, the end .9.
    const rawText = '<s>cat<loc_1><loc_2><loc_3><loc_4></s>';
    const spans = [3, 6, 13, 20, 27, 34, 38];
    const probabilities = [1, 0.5, 0.8, 0.8, 0.8, 0.8, 0.9];
    const tokens = probabilities.map((probability, index) => ({
      start: index === 0 ? 0 : (spans[index - 1] ?? 0),
      end: spans[index] ?? 0,
      probability,
      forced: index === 0,
    }));
    const { florence, runsSent } = make((message) => ({
      result: { ...fakeOutput(rawText, tokens), task: message.request.task, imageSize: IMAGE_SIZE },
    }));
    const result = await florence.run('<OD>', png(), { quality: 'fast' });
    expect(runsSent()[0]?.quality).toBe('fast');
    // By hand: (0.5 × 0.8⁴)^(1/5) = 0.2048^(1/5) = 0.72823; the answer over six tokens 0.18432^(1/6) = 0.75439.
    expect(result.regions[0]?.score).toBeCloseTo(0.72823, 5);
    expect(result.score).toBeCloseTo(0.75439, 5);
    // Bins 1..4 on 2000 × 1000 pixels: trunc((bin + 0.5) × size / 1000).
    expect(result.reference).toEqual({ bboxes: [[3, 2, 7, 4]], labels: ['cat'], scores: [0.7282] });
    const roboflow = await inferLmm(florence, {
      api_key: 'unused',
      image: { type: 'base64', value: PNG_BASE64 },
      model_id: 'florence-2-base',
      prompt: '<OD>',
    });
    expect(roboflow.response).toEqual({ '<OD>': { bboxes: [[3, 2, 7, 4]], labels: ['cat'], scores: [0.7282] } });
    await florence.run('<OD>', png());
    expect(runsSent()[1]).not.toHaveProperty('quality');
    const refused = await rejection<Florence2Error>(
      florence.run('<OD>', png(), { quality: 'slow' as unknown as 'fast' }),
    );
    expect(refused).toMatchObject({ code: 'invalid-request', field: 'quality' });
    expect(refused.message).toContain('best, fast');
  });

  it('takes data URLs, base64 and URLs; a URL is fetched by the page itself', async () => {
    const { florence, runsSent } = make();
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(pngBytes(), { headers: { 'content-type': 'image/png' } });
    });
    await florence.run('<CAPTION>', `data:image/png;base64,${PNG_BASE64}`);
    await florence.run('<CAPTION>', PNG_BASE64);
    await florence.run('<CAPTION>', new URL('https://photos.example/car.png'));
    expect(fetched).toEqual(['https://photos.example/car.png']);
    const sizes = await Promise.all(
      runsSent().map(async (request) => new Uint8Array(await request.image.arrayBuffer())),
    );
    for (const bytes of sizes) expect([...bytes]).toEqual([...pngBytes()]);
  });

  it('takes a PNG that keeps an .svg name (as the app’s rasterised SVGs do) as the PNG it is', async () => {
    const { florence } = make();
    const rasterised = new File([pngBytes()], 'drawing.svg', { type: 'image/png' });
    expect((await florence.run('<CAPTION>', rasterised)).text).toBe('A green car parked by a wall.');
  });

  it('turns a region in pixels into location tokens, and text into the prompt’s input', async () => {
    const { florence, runsSent } = make();
    await florence.run('<REGION_TO_CATEGORY>', png(), {
      region: { x1: 200, y1: 100, x2: 1000, y2: 500 },
      imageSize: IMAGE_SIZE,
    });
    await florence.run('<OPEN_VOCABULARY_DETECTION>', png(), { text: 'car, wall' });
    // 200 px of 2000 is bin 100; 100 px of 1000 is bin 100; 1000 of 2000 and 500 of 1000, bin 500.
    expect(runsSent().map((request) => request.taskInput)).toEqual([
      '<loc_100><loc_100><loc_500><loc_500>',
      'car<and>wall',
    ]);
  });

  it('refuses bad input with a code and a sentence, and keeps working', async () => {
    const { florence } = make();
    const code = async (promise: Promise<unknown>) => (await rejection<Florence2Error>(promise)).code;
    expect(await code(florence.run('<DESCRIBE>' as TaskToken, png()))).toBe('unknown-task');
    expect(await code(florence.run('<OPEN_VOCABULARY_DETECTION>', png()))).toBe('missing-text');
    expect(await code(florence.run('<REGION_TO_CATEGORY>', png()))).toBe('invalid-region');
    expect(
      await code(
        florence.run('<REGION_TO_CATEGORY>', png(), {
          region: { x1: 0, y1: 0, x2: 2500, y2: 10 },
          imageSize: IMAGE_SIZE,
        }),
      ),
    ).toBe('region-outside-image');
    // Neither a URL nor base64 (a path on the caller's disk cannot be read by a page).
    expect(await code(florence.run('<CAPTION>', 'C:\\photos\\car.jpg'))).toBe('invalid-image');
    expect(await code(florence.run('<CAPTION>', new Blob([])))).toBe('image-unreadable');
    expect(await code(florence.run('<CAPTION>', hugePng()))).toBe('image-too-large');
    expect(() => florence.sourceOf('not a model')).toThrow(Florence2Error);
    // Nothing above reached the model, and it still answers.
    expect((await florence.run('<CAPTION>', png())).text).toBe('A green car parked by a wall.');
  });

  it('says why a URL could not be read: an error status, a page that is not an image, or CORS', async () => {
    const { florence } = make();
    const failing = async (response: () => Promise<Response>) => {
      vi.stubGlobal('fetch', response);
      return rejection<Florence2Error>(florence.run('<CAPTION>', 'https://photos.example/car.png'));
    };
    expect(await failing(async () => new Response('gone', { status: 404, statusText: 'Not Found' }))).toMatchObject({
      code: 'image-fetch-failed',
      message: expect.stringContaining('404'),
    });
    expect(
      await failing(async () => new Response('<html>', { headers: { 'content-type': 'text/html' } })),
    ).toMatchObject({
      message: expect.stringContaining('text/html'),
    });
    const cors = await failing(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(cors.code).toBe('image-fetch-failed');
    expect(cors.message).toMatch(/CORS/);
    expect(cors.message).toMatch(/Blob/);
  });

  it('stops a run when its signal is aborted', async () => {
    const { florence, workers } = make((message) =>
      message.request.task === '<CAPTION>' ? 'hold' : { result: outputFor(message) },
    );
    const abort = new AbortController();
    const run = florence.run('<CAPTION>', png(), { signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    abort.abort();
    answerCancelAsTheWorkerDoes(workers);
    expect(await rejection<Florence2Error>(run)).toMatchObject({ code: 'cancelled' });
    const early = new AbortController();
    early.abort();
    expect(await rejection<Florence2Error>(florence.run('<OD>', png(), { signal: early.signal }))).toMatchObject({
      code: 'cancelled',
    });
  });
});

describe('waiting and cancelling', () => {
  it('a run cancelled while the model is still loading is cancelled at once', async () => {
    const { florence } = make(undefined, () => 'hold');
    const abort = new AbortController();
    const run = florence.run('<CAPTION>', png(), { signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(florence.state.status).toBe('loading');
    abort.abort();
    expect(await rejection<Florence2Error>(run)).toMatchObject({ code: 'cancelled' });
  });

  it('a load that failed is tried again by the next run', async () => {
    let loadsSoFar = 0;
    const { florence } = make(undefined, () =>
      loadsSoFar++ === 0 ? { error: { code: 'network', message: 'No network.' } } : null,
    );
    expect(await rejection<Florence2Error>(florence.run('<CAPTION>', png()))).toMatchObject({ code: 'network' });
    expect((await florence.run('<CAPTION>', png())).text).toBe('A green car parked by a wall.');
  });
});

/** The worker answers a cancelled run with a 'cancelled' error once it has stopped. */
function answerCancelAsTheWorkerDoes(workers: readonly FakeWorker[]): void {
  for (const worker of workers) {
    const cancelled = new Set(
      worker.received.flatMap((message) => (message.kind === 'cancel' ? [message.targetId] : [])),
    );
    for (const run of worker.runs()) {
      if (cancelled.has(run.id))
        worker.deliver(run, { error: { code: 'cancelled', message: 'The run was cancelled.' } });
    }
  }
}

/** A PNG header declaring 100000 x 100000 pixels (10 gigapixels). */
function hugePng(): Blob {
  const bytes = pngBytes().slice(0, 33);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, 100_000);
  view.setUint32(20, 100_000);
  return new Blob([bytes], { type: 'image/png' });
}

describe('Roboflow’s /infer/lmm', () => {
  const body = (prompt: string, extra: object = {}) => ({
    api_key: 'unused',
    image: { type: 'base64', value: PNG_BASE64 },
    model_id: 'florence-2-base',
    prompt,
    ...extra,
  });

  it('answers each task type in Roboflow’s shape', async () => {
    const { florence } = make();
    expect((await inferLmm(florence, body('<CAPTION>'))).response).toEqual({
      '<CAPTION>': 'A green car parked by a wall.',
    });
    expect((await inferLmm(florence, body('<OD>'))).response).toEqual({
      '<OD>': {
        bboxes: [
          [201, 200, 601, 400],
          [21, 20, 61, 40],
        ],
        labels: ['car', 'wheel'],
      },
    });
    expect((await inferLmm(florence, body('<OCR_WITH_REGION>'))).response).toEqual({
      '<OCR_WITH_REGION>': { quad_boxes: [[201, 100, 401, 100, 401, 150, 201, 150]], labels: ['HELLO'] },
    });
    expect((await inferLmm(florence, body('<REFERRING_EXPRESSION_SEGMENTATION>the car'))).response).toEqual({
      '<REFERRING_EXPRESSION_SEGMENTATION>': { polygons: [[[201, 100, 401, 100, 301, 200]]], labels: [''] },
    });
    expect((await inferLmm(florence, body('<OPEN_VOCABULARY_DETECTION>car'))).response).toEqual({
      '<OPEN_VOCABULARY_DETECTION>': {
        bboxes: [[201, 200, 601, 400]],
        bboxes_labels: ['car'],
        polygons: [],
        polygons_labels: [],
      },
    });
    const timed = await inferLmm(florence, body('<REGION_TO_CATEGORY><loc_100><loc_200><loc_300><loc_400>'));
    // The reference keeps the echoed location tokens in a pure-text answer (only <s> and </s> go).
    expect(timed.response).toEqual({ '<REGION_TO_CATEGORY>': 'car<loc_100><loc_200><loc_300><loc_400>' });
    expect(timed.time).toBeGreaterThanOrEqual(0);
  });

  it('sends the task text and region tokens as given, and loads the model model_id names', async () => {
    const { florence, runsSent, loadsSent } = make();
    await inferLmm(florence, body('<REGION_TO_CATEGORY><loc_100><loc_200><loc_300><loc_400>'));
    await inferLmm(florence, body('<CAPTION_TO_PHRASE_GROUNDING>a green car', { model_id: 'florence-2-large' }));
    expect(runsSent().map((request) => request.taskInput)).toEqual([
      '<loc_100><loc_200><loc_300><loc_400>',
      'a green car',
    ]);
    expect(loadsSent().map((request) => request.source)).toEqual([
      { kind: 'hub', modelId: 'onnx-community/Florence-2-base' },
      { kind: 'url', baseUrl: 'https://models.example/large/' },
    ]);
  });

  it('answers bad input with Roboflow’s status and error body', async () => {
    const { florence, runsSent } = make();
    const failure = (request: unknown) =>
      rejection<HostedApiError<{ message: string; error_type: string }>>(inferLmm(florence, request));
    const unknownModel = await failure(body('<CAPTION>', { model_id: 'florence-3' }));
    expect(unknownModel).toBeInstanceOf(HostedApiError);
    expect([unknownModel.status, unknownModel.body.error_type]).toEqual([400, 'InvalidModelIDError']);
    expect((await failure(body('caption it'))).status).toBe(400);
    expect((await failure(body('<TRANSLATE>'))).body.message).toMatch(/not a Florence-2 task/);
    expect((await failure(body('<CAPTION_TO_PHRASE_GROUNDING>'))).body.message).toMatch(/needs text/);
    const badImage = await failure(body('<CAPTION>', { image: { type: 'base64', value: '***' } }));
    expect([badImage.status, badImage.body.error_type]).toEqual([400, 'InputImageLoadError']);
    expect(runsSent()).toEqual([]);
  });
});

describe('fal’s shapes', () => {
  const input = (extra: object = {}) => ({ image_url: `data:image/png;base64,${PNG_BASE64}`, ...extra });

  it('gives boxes, quadrilaterals, polygons and text as fal does', async () => {
    const { florence } = make();
    expect(await runFal(florence, 'fal-ai/florence-2-large/object-detection', input())).toEqual({
      results: {
        bboxes: [
          { x: 201, y: 200, w: 400, h: 200, label: 'car' },
          { x: 21, y: 20, w: 40, h: 20, label: 'wheel' },
        ],
      },
    });
    expect(await runFal(florence, 'ocr-with-region', input())).toEqual({
      results: {
        quad_boxes: [
          {
            x: 201,
            y: 100,
            w: 200,
            h: 50,
            label: 'HELLO',
            points: [
              { x: 201, y: 100 },
              { x: 401, y: 100 },
              { x: 401, y: 150 },
              { x: 201, y: 150 },
            ],
          },
        ],
      },
    });
    expect(await runFal(florence, 'referring-expression-segmentation', input({ text_input: 'the car' }))).toEqual({
      results: {
        polygons: [
          {
            label: '',
            points: [
              { x: 201, y: 100 },
              { x: 401, y: 100 },
              { x: 301, y: 200 },
            ],
          },
        ],
      },
    });
    expect(await runFal(florence, 'caption', input())).toEqual({ results: 'A green car parked by a wall.' });
  });

  it('answers bad input with fal’s validation error', async () => {
    const { florence } = make();
    vi.stubGlobal('createImageBitmap', async () => ({ width: 2000, height: 1000, close() {} }));
    const failure = (endpoint: string, given: unknown) =>
      rejection<HostedApiError<{ detail: { loc: string[] }[] }>>(runFal(florence, endpoint, given));
    const outside = await failure('region-to-category', input({ region: { x1: 0, y1: 0, x2: 100, y2: 1200 } }));
    expect([outside.status, outside.body.detail[0]?.loc]).toEqual([422, ['body', 'region']]);
    expect(outside.message).toMatch(/2000 × 1000/);
    expect((await failure('open-vocabulary-detection', input())).body.detail[0]?.loc).toEqual(['body', 'text_input']);
    expect((await failure('caption', { image_url: 'data:image/png;base64,!!!' })).status).toBe(422);
  });
});

describe('the OpenAI API, through the real openai client', () => {
  const client = (florence: Florence2) =>
    new OpenAI({
      baseURL: 'https://florence.local/v1',
      apiKey: 'unused',
      fetch: openAIFetch(florence),
      dangerouslyAllowBrowser: true,
    });
  const messages = (text: string | null) => [
    {
      role: 'user' as const,
      content: [
        { type: 'image_url' as const, image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
        ...(text === null ? [] : [{ type: 'text' as const, text }]),
      ],
    },
  ];

  it('answers a caption and a detection, whole and streamed', async () => {
    const { florence } = make();
    const openai = client(florence);
    const caption = await openai.chat.completions.create({ model: 'florence-2-base', messages: messages('<CAPTION>') });
    expect(caption.object).toBe('chat.completion');
    expect(caption.choices[0]?.message.content).toBe('A green car parked by a wall.');
    expect(caption.choices[0]?.finish_reason).toBe('stop');
    const detection = await openai.chat.completions.create({ model: 'florence-2-base', messages: messages('<OD>') });
    expect(JSON.parse(detection.choices[0]?.message.content ?? '')).toEqual({
      '<OD>': {
        bboxes: [
          [201, 200, 601, 400],
          [21, 20, 61, 40],
        ],
        labels: ['car', 'wheel'],
      },
    });

    const streamedText = async (text: string) => {
      const stream = await openai.chat.completions.create({
        model: 'florence-2-base',
        messages: messages(text),
        stream: true,
      });
      const deltas: string[] = [];
      const finishes: (string | null)[] = [];
      for await (const chunk of stream) {
        expect(chunk.object).toBe('chat.completion.chunk');
        deltas.push(chunk.choices[0]?.delta.content ?? '');
        finishes.push(chunk.choices[0]?.finish_reason ?? null);
      }
      return { deltas: deltas.filter(Boolean), finish: finishes.at(-1) };
    };
    const streamedCaption = await streamedText('<CAPTION>');
    // The first half arrived before the answer: the text came in more than one piece.
    expect(streamedCaption.deltas.length).toBeGreaterThan(1);
    expect(streamedCaption.deltas.join('')).toBe('A green car parked by a wall.');
    expect(streamedCaption.finish).toBe('stop');
    const streamedDetection = await streamedText('<OD>');
    expect(streamedDetection.deltas).toHaveLength(1);
    expect(JSON.parse(streamedDetection.deltas[0] ?? '')).toEqual(
      JSON.parse(detection.choices[0]?.message.content ?? ''),
    );
  });

  it('captions an image sent without text, and lists the models', async () => {
    const { florence, runsSent } = make();
    const openai = client(florence);
    const reply = await openai.chat.completions.create({
      model: 'microsoft/Florence-2-base',
      messages: messages(null),
    });
    expect(reply.choices[0]?.message.content).toBe('A green car parked by a wall.');
    expect(runsSent()[0]?.task).toBe('<CAPTION>');
    const models = await openai.models.list();
    expect(models.data.map((model) => model.id)).toEqual([
      'florence-2-base',
      'florence-2-base-ft',
      'florence-2-large',
      'florence-2-large-ft',
    ]);
  });

  it('answers bad input with OpenAI’s error shape, which the client raises', async () => {
    const { florence } = make();
    const openai = client(florence);
    const failure = (model: string, text: string | null) =>
      rejection<InstanceType<typeof OpenAI.APIError>>(
        openai.chat.completions.create({ model, messages: messages(text) }),
      );
    const unknownModel = await failure('gpt-4o', '<CAPTION>');
    expect(unknownModel).toBeInstanceOf(OpenAI.NotFoundError);
    expect([unknownModel.status, unknownModel.code, unknownModel.type]).toEqual([
      404,
      'model_not_found',
      'invalid_request_error',
    ]);
    const plainText = await failure('florence-2-base', 'What is in this picture?');
    expect([plainText.status, plainText.code]).toEqual([400, 'missing_task_token']);
    expect(plainText.message).toMatch(/<CAPTION>/);
    expect((await failure('florence-2-base', '<OPEN_VOCABULARY_DETECTION>')).code).toBe('missing_task_text');
  });

  it('refuses an image that cannot be fetched or is too large with an error response, before any stream', async () => {
    const { florence, runsSent } = make();
    const openai = client(florence);
    const bad = [
      {
        role: 'user' as const,
        content: [
          { type: 'image_url' as const, image_url: { url: 'https://photos.example/missing.png' } },
          { type: 'text' as const, text: '<CAPTION>' },
        ],
      },
    ];
    const hugeUrl = `data:image/png;base64,${btoa(String.fromCharCode(...new Uint8Array(await hugePng().arrayBuffer())))}`;
    const huge = [{ role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url: hugeUrl } }] }];
    vi.stubGlobal('fetch', async () => new Response('gone', { status: 404 }));
    const missing = await rejection<InstanceType<typeof OpenAI.APIError>>(
      openai.chat.completions.create({ model: 'florence-2-base', messages: bad, stream: true }),
    );
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect(missing.code).toBe('invalid_image_url');
    const tooLarge = await rejection<InstanceType<typeof OpenAI.APIError>>(
      openai.chat.completions.create({ model: 'florence-2-base', messages: huge, stream: true }),
    );
    expect([tooLarge.status, tooLarge.code]).toEqual([400, 'image_too_large']);
    expect(runsSent()).toEqual([]);
  });

  it('a stream the reader leaves early stops the run and writes nothing more', async () => {
    const { florence, workers } = make((message) => {
      if (message.request.task !== '<CAPTION>') return { result: outputFor(message) };
      return 'hold';
    });
    const openai = client(florence);
    const stream = await openai.chat.completions.create({
      model: 'florence-2-base',
      messages: messages('<CAPTION>'),
      stream: true,
    });
    const worker = workers.at(-1);
    const run = worker?.runs()[0];
    if (!worker || !run) throw new Error('the run did not reach the worker');
    for await (const chunk of stream) {
      expect(chunk.choices[0]?.delta.role).toBe('assistant');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(worker.received.some((message) => message.kind === 'cancel' && message.targetId === run.id)).toBe(true);
    // A late token and the late answer find the stream closed: no error escapes.
    worker.reply({ kind: 'progress', id: run.id, progress: { kind: 'partial-answer', rawText: '<s>A green' } });
    worker.deliver(run, { error: { code: 'cancelled', message: 'The run was cancelled.' } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    // And the model answers the next request.
    const next = await openai.chat.completions.create({ model: 'florence-2-base', messages: messages('<OD>') });
    expect(next.choices[0]?.finish_reason).toBe('stop');
  });

  it('is cancelled by the client’s signal', async () => {
    const { florence, workers } = make((message) =>
      message.request.task === '<CAPTION>' ? 'hold' : { result: outputFor(message) },
    );
    const openai = client(florence);
    const abort = new AbortController();
    const pending = openai.chat.completions.create(
      { model: 'florence-2-base', messages: messages('<CAPTION>') },
      { signal: abort.signal },
    );
    setTimeout(() => {
      abort.abort();
      answerCancelAsTheWorkerDoes(workers);
    }, 20);
    expect(await rejection(pending)).toBeInstanceOf(OpenAI.APIUserAbortError);
  });
});
