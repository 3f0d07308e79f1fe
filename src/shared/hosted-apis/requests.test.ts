/**
 * Reading the hosted APIs' requests: task prompts, image strings, model names and fal's inputs.
 * Expected values are written from the services' documented forms and the reference's rules.
 */
import { describe, expect, it } from 'vitest';
import { FAL_ENDPOINTS, falEndpointOf, readFalInput } from './fal';
import { decodeBase64, readImageString } from './image-string';
import { modelAliasOf } from './model-ids';
import { openAIError, readChatRequest } from './openai';
import { readRoboflowRequest, roboflowError } from './roboflow';
import { parseTaskPrompt } from './task-prompt';

// A 1 x 1 PNG, as base64 (the bytes start with PNG's signature, 0x89 'P' 'N' 'G').
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('task prompts', () => {
  it('reads a token alone, with text, and with a region', () => {
    expect(parseTaskPrompt('<CAPTION>', 'prompt')).toEqual({ ok: true, task: '<CAPTION>', taskInput: '' });
    expect(parseTaskPrompt('  <CAPTION_TO_PHRASE_GROUNDING>A dog on grass ', 'prompt')).toEqual({
      ok: true,
      task: '<CAPTION_TO_PHRASE_GROUNDING>',
      taskInput: 'A dog on grass',
    });
    // Several classes are joined as Florence-2 was trained to read them.
    expect(parseTaskPrompt('<OPEN_VOCABULARY_DETECTION>dog, ball', 'prompt')).toMatchObject({
      taskInput: 'dog<and>ball',
    });
    expect(parseTaskPrompt('<REGION_TO_OCR> <loc_10><loc_20> <loc_300><loc_999>', 'prompt')).toMatchObject({
      task: '<REGION_TO_OCR>',
      taskInput: '<loc_10><loc_20><loc_300><loc_999>',
    });
  });

  it('names what is wrong', () => {
    expect(parseTaskPrompt('Describe this picture', 'prompt')).toMatchObject({ ok: false, code: 'missing-task' });
    expect(parseTaskPrompt('', 'prompt')).toMatchObject({ ok: false, code: 'missing-task' });
    expect(parseTaskPrompt('<DESCRIBE>', 'prompt')).toMatchObject({ ok: false, code: 'unknown-task' });
    expect(parseTaskPrompt('<REFERRING_EXPRESSION_SEGMENTATION>', 'prompt')).toMatchObject({
      ok: false,
      code: 'missing-text',
    });
    expect(parseTaskPrompt('<REGION_TO_CATEGORY><loc_1><loc_2><loc_3>', 'prompt')).toMatchObject({
      code: 'invalid-region',
    });
    expect(parseTaskPrompt('<REGION_TO_CATEGORY><loc_1><loc_2><loc_3><loc_1000>', 'prompt')).toMatchObject({
      code: 'invalid-region',
    });
  });

  it('keeps a typed token out of the text (it would change the task)', () => {
    expect(parseTaskPrompt('<CAPTION_TO_PHRASE_GROUNDING>a <OD> dog', 'prompt')).toMatchObject({
      taskInput: 'a OD dog',
    });
  });
});

describe('image strings', () => {
  it('reads data URLs, bare base64 and URLs', () => {
    const dataUrl = readImageString(`data:image/png;base64,${PNG_BASE64}`, 'image');
    expect(dataUrl).toMatchObject({ kind: 'bytes', mediaType: 'image/png' });
    expect(dataUrl.kind === 'bytes' && [...dataUrl.bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const bare = readImageString(PNG_BASE64, 'image');
    expect(bare.kind === 'bytes' && bare.bytes.length).toBe(70);
    expect(readImageString('https://example.com/a.jpg', 'image')).toEqual({
      kind: 'url',
      url: 'https://example.com/a.jpg',
    });
    expect(readImageString('/photos/a.jpg', 'image')).toMatchObject({ kind: 'url' });
  });

  it('refuses what does not decode, and data URLs of other things', () => {
    expect(readImageString('not base64!', 'image.value', 'base64')).toMatchObject({ kind: 'invalid' });
    expect(readImageString('data:image/png;base64,@@@@', 'image')).toMatchObject({ kind: 'invalid' });
    expect(readImageString('data:text/html;base64,PGI+', 'image')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('text/html'),
    });
    expect(readImageString('   ', 'image')).toMatchObject({ kind: 'invalid' });
    expect(readImageString(PNG_BASE64, 'image_url.url', 'url')).toMatchObject({ kind: 'invalid' });
    // One character over a multiple of four cannot be base64.
    expect(decodeBase64('AAAAA')).toBeNull();
    expect([...(decodeBase64('AAEC/w') ?? [])]).toEqual([0, 1, 2, 255]);
    expect([...(decodeBase64('AAEC_w') ?? [])]).toEqual([0, 1, 2, 255]);
  });
});

describe('model names', () => {
  it('knows the hosted names, Microsoft’s and the ONNX exports’, in any case', () => {
    expect(modelAliasOf('florence-2-base')).toBe('florence-2-base');
    expect(modelAliasOf('florence-2-large-ft')).toBe('florence-2-large-ft');
    expect(modelAliasOf('microsoft/Florence-2-base-ft')).toBe('florence-2-base-ft');
    expect(modelAliasOf('onnx-community/Florence-2-large')).toBe('florence-2-large');
    expect(modelAliasOf('gpt-4o')).toBeNull();
    expect(modelAliasOf(undefined)).toBeNull();
  });
});

describe('Roboflow’s /infer/lmm body', () => {
  const body = {
    api_key: 'ignored',
    image: { type: 'base64', value: PNG_BASE64 },
    model_id: 'florence-2-base',
    prompt: '<CAPTION>',
  };

  it('reads the documented body; api_key is not needed', () => {
    expect(readRoboflowRequest(body)).toMatchObject({ ok: true, model: 'florence-2-base', task: '<CAPTION>' });
    const { api_key: _ignored, ...withoutKey } = body;
    expect(readRoboflowRequest(withoutKey)).toMatchObject({ ok: true });
    expect(readRoboflowRequest({ ...body, image: { type: 'url', value: 'https://example.com/a.png' } })).toMatchObject({
      image: { kind: 'url', url: 'https://example.com/a.png' },
    });
  });

  it('names the field at fault', () => {
    expect(readRoboflowRequest({ ...body, model_id: 'yolov8n-640' })).toMatchObject({
      code: 'unknown-model',
      field: 'model_id',
    });
    expect(readRoboflowRequest({ ...body, prompt: 'caption this' })).toMatchObject({
      code: 'missing-task',
      field: 'prompt',
    });
    expect(readRoboflowRequest({ ...body, image: { type: 'base64', value: '%%%' } })).toMatchObject({
      code: 'invalid-image',
      field: 'image.value',
    });
    expect(readRoboflowRequest({ ...body, image: { type: 'numpy', value: '' } })).toMatchObject({
      code: 'invalid-image',
    });
    expect(readRoboflowRequest('nope')).toMatchObject({ code: 'invalid-request' });
  });
});

describe('fal’s endpoints', () => {
  it('has one endpoint per task, named as fal names them', () => {
    expect(FAL_ENDPOINTS.size).toBe(15);
    expect(falEndpointOf('<OD>')).toBe('object-detection');
    expect(falEndpointOf('<OCR_WITH_REGION>')).toBe('ocr-with-region');
    expect(FAL_ENDPOINTS.get('caption-to-phrase-grounding')).toBe('<CAPTION_TO_PHRASE_GROUNDING>');
  });

  it('reads image_url, text_input and region', () => {
    expect(
      readFalInput('fal-ai/florence-2-large/region-to-category', {
        image_url: 'https://x.test/a.png',
        region: { x1: 1, y1: 2, x2: 30, y2: 40 },
      }),
    ).toMatchObject({
      ok: true,
      task: '<REGION_TO_CATEGORY>',
      region: [1, 2, 30, 40],
    });
    expect(
      readFalInput('open-vocabulary-detection', { image_url: 'https://x.test/a.png', text_input: 'cat' }),
    ).toMatchObject({ text: 'cat' });
  });

  it('refuses missing inputs', () => {
    expect(readFalInput('region-to-category', { image_url: 'https://x.test/a.png' })).toMatchObject({
      code: 'invalid-region',
      field: 'region',
    });
    expect(readFalInput('open-vocabulary-detection', { image_url: 'https://x.test/a.png' })).toMatchObject({
      code: 'missing-text',
      field: 'text_input',
    });
    expect(readFalInput('object-detection', {})).toMatchObject({ code: 'invalid-image', field: 'image_url' });
    expect(readFalInput('depth-estimation', { image_url: 'https://x.test/a.png' })).toMatchObject({
      code: 'unknown-task',
    });
  });
});

describe('OpenAI chat requests', () => {
  const message = (content: unknown) => ({ model: 'florence-2-base', messages: [{ role: 'user', content }] });
  const image = { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } };

  it('reads the image part and the task in the text part', () => {
    expect(readChatRequest(message([image, { type: 'text', text: '<OD>' }]))).toMatchObject({
      ok: true,
      task: '<OD>',
      stream: false,
    });
    expect(
      readChatRequest({ ...message([{ type: 'text', text: '<OPEN_VOCABULARY_DETECTION>cat' }, image]), stream: true }),
    ).toMatchObject({
      task: '<OPEN_VOCABULARY_DETECTION>',
      taskInput: 'cat',
      stream: true,
    });
  });

  it('captions an image sent with no text; refuses plain text without a token', () => {
    expect(readChatRequest(message([image]))).toMatchObject({ ok: true, task: '<CAPTION>' });
    expect(readChatRequest(message([image, { type: 'text', text: 'What is in this picture?' }]))).toMatchObject({
      ok: false,
      code: 'missing-task',
    });
  });

  it('refuses unknown models and messages without an image', () => {
    expect(readChatRequest({ ...message([image]), model: 'gpt-4o' })).toMatchObject({ code: 'unknown-model' });
    expect(readChatRequest(message('<CAPTION>'))).toMatchObject({ code: 'invalid-image' });
    expect(readChatRequest({ model: 'florence-2-base', messages: [] })).toMatchObject({ code: 'invalid-request' });
  });
});

describe('error statuses', () => {
  it('Roboflow: the request’s faults 400, the model’s 500, a cancel 499', () => {
    expect(roboflowError('unknown-model', 'x').status).toBe(400);
    expect(roboflowError('image-unreadable', 'x')).toEqual({
      status: 400,
      body: { message: 'x', error_type: 'InputImageLoadError' },
    });
    expect(roboflowError('out-of-memory', 'x').status).toBe(500);
    expect(roboflowError('model-not-found', 'x').body.error_type).toBe('ModelArtefactError');
    expect(roboflowError('cancelled', 'x').status).toBe(499);
  });

  it('OpenAI: its status, type and code for each problem', () => {
    expect(openAIError('unknown-model', 'x').status).toBe(404);
    expect(openAIError('image-too-large', 'x', 'messages').body).toEqual({
      error: { message: 'x', type: 'invalid_request_error', param: 'messages', code: 'image_too_large' },
    });
    expect(openAIError('generation-failed', 'x')).toEqual({
      status: 500,
      body: { error: { message: 'x', type: 'server_error', param: null, code: 'generation_failed' } },
    });
  });
});
