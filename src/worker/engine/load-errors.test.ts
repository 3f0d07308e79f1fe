/**
 * Load failures classified from the error texts the libraries and the browser really give. Each text
 * below was produced by the library named (transformers.js 4.3.1, onnxruntime-web 1.31, V8 in Node
 * 20), or copied from the library's source where it cannot be provoked in Node.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from './engine';
import { classifyLoadError, mostTellingFailure, reportingUnreachableHost, UnreachableHostError } from './load-errors';

const SOURCE = 'http://127.0.0.1:4181/florence2-tiny';
const FILE = `"${SOURCE}/onnx/decoder_model_merged_quantized.onnx"`;

const classified = (error: unknown, device: 'webgpu' | 'wasm' = 'wasm') => {
  const result = classifyLoadError(error, SOURCE, device);
  return {
    code: result.code,
    message: result.message,
    device: result.device,
    ...(result.unreachableHost === undefined ? {} : { unreachableHost: result.unreachableHost }),
  };
};

const HUB_CONFIG = 'https://huggingface.co/onnx-community/Florence-2-base-ft/resolve/main/config.json';

describe('classifyLoadError', () => {
  it('a missing file (transformers.js, HTTP 404)', () => {
    expect(classified(new Error(`Could not locate file: ${FILE}.`))).toEqual({
      code: 'model-not-found',
      message: `The model files were not found at ${SOURCE}.`,
      device: 'wasm',
    });
  });

  it('a server error, a timeout or too many requests: try again', () => {
    for (const text of [
      `Internal server error error occurred while trying to load file: ${FILE}.`,
      `Service unavailable error occurred while trying to load file: ${FILE}.`,
      `Request timeout error occurred while trying to load file: ${FILE}.`,
      `Error (429) occurred while trying to load file: ${FILE}.`,
    ]) {
      expect(classified(new Error(text)).code, text).toBe('network');
    }
  });

  it('access refused', () => {
    expect(classified(new Error(`Forbidden access to file: ${FILE}.`)).code).toBe('model-not-found');
    expect(classified(new Error(`Unauthorized access to file: ${FILE}.`)).message).toContain('refused access');
  });

  it('a host that never answered is named, and the error carries it', () => {
    expect(classified(new UnreachableHostError(HUB_CONFIG, new TypeError('Failed to fetch')))).toEqual({
      code: 'network',
      message: 'huggingface.co could not be reached.',
      device: 'wasm',
      unreachableHost: 'huggingface.co',
    });
    const folder = new UnreachableHostError(`${SOURCE}/config.json`, new TypeError('Failed to fetch'));
    expect(classified(folder)).toMatchObject({
      message: '127.0.0.1:4181 could not be reached.',
      unreachableHost: '127.0.0.1:4181',
    });
    // The library's own text around it (a rewrapped error) still names the host.
    expect(classified(new Error(`Failed to load: ${folder.message}`))).toMatchObject({
      unreachableHost: '127.0.0.1:4181',
    });
    // An error already classified keeps its host when the device is added.
    const withoutDevice = new EngineError('network', 'x', undefined, undefined, '127.0.0.1:4181');
    expect(classifyLoadError(withoutDevice, SOURCE, 'wasm')).toMatchObject({
      device: 'wasm',
      unreachableHost: '127.0.0.1:4181',
    });
  });

  it('a connection that broke off after the host answered keeps the generic message, with no host', () => {
    // Chromium's text when a response body stops part-way.
    expect(classified(new TypeError('network error'))).toEqual({
      code: 'network',
      message: 'The model could not be downloaded. Check the connection, then try again.',
      device: 'wasm',
    });
  });

  it('no connection (Chromium, Firefox and Safari say it differently)', () => {
    for (const text of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed']) {
      expect(classified(new TypeError(text)).code, text).toBe('network');
    }
  });

  it('a damaged ONNX file or configuration (ONNX Runtime Web, onnxruntime-node, the JSON parser)', () => {
    for (const text of [
      "Can't create a session. ERROR_CODE: 7, ERROR_MESSAGE: Failed to load model because protobuf parsing failed.",
      'Load model from /models/tiny/onnx/decoder_model_merged.onnx failed:Protobuf parsing failed.',
      'Unexpected end of JSON input',
    ]) {
      expect(classified(new Error(text)).code, text).toBe('damaged-model-files');
    }
  });

  it('a web page where the model should be (a host answering every path with its index page)', () => {
    expect(classified(new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'))).toEqual({
      code: 'model-not-found',
      message: `${SOURCE} answered with a web page, not the model's files.`,
      device: 'wasm',
    });
  });

  it('running out of memory (V8), before anything else about the failure', () => {
    expect(classified(new RangeError('Array buffer allocation failed'))).toEqual({
      code: 'out-of-memory',
      message: 'There is not enough memory on this device to load this model.',
      device: 'wasm',
    });
  });

  it('anything else: the model could not be loaded, on the device it was tried on', () => {
    const noAdapter = new Error(
      'no available backend found. ERR: [webgpu] Error: Failed to get GPU adapter. You may need to enable flag "--enable-unsafe-webgpu" if you are using Chrome.',
    );
    expect(classified(noAdapter, 'webgpu')).toEqual({
      code: 'model-load-failed',
      message: 'The model could not be loaded.',
      device: 'webgpu',
    });
  });

  it('keeps an error the engine already classified, adding the device', () => {
    const known = new EngineError('not-loaded', 'Not yet.');
    expect(classified(known, 'webgpu')).toEqual({ code: 'not-loaded', message: 'Not yet.', device: 'webgpu' });
  });
});

describe('mostTellingFailure', () => {
  it('prefers the missing file to the tokenizer’s TypeError about its absent configuration', () => {
    // What the tokenizer throws when its folder is missing, raced against the model's 404.
    const tokenizerRace = new TypeError("Cannot read properties of undefined (reading 'tokenizer_class')");
    const missing = new Error(`Could not locate file: "${SOURCE}/config.json".`);
    expect(mostTellingFailure([tokenizerRace, missing])).toBe(missing);
    expect(classifyLoadError(mostTellingFailure([tokenizerRace, missing]), SOURCE, 'wasm').code).toBe(
      'model-not-found',
    );
    expect(mostTellingFailure([tokenizerRace])).toBe(tokenizerRace);
  });

  it('prefers the host that never answered to the tokenizer’s TypeError', () => {
    const tokenizerRace = new TypeError("Cannot read properties of undefined (reading 'tokenizer_class')");
    const unreachable = new UnreachableHostError(HUB_CONFIG, new TypeError('Failed to fetch'));
    expect(mostTellingFailure([tokenizerRace, unreachable])).toBe(unreachable);
  });
});

describe('reportingUnreachableHost', () => {
  it('passes every answer through, error statuses included', async () => {
    const answer = new Response('nope', { status: 404 });
    const seen: unknown[] = [];
    const fetcher = reportingUnreachableHost(async (input, init) => {
      seen.push([String(input), init?.method]);
      return answer;
    });
    expect(await fetcher(HUB_CONFIG, { method: 'GET' })).toBe(answer);
    expect(seen).toEqual([[HUB_CONFIG, 'GET']]);
  });

  it('turns a fetch that got no answer into an UnreachableHostError naming the URL', async () => {
    const fetcher = reportingUnreachableHost(async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await fetcher(new URL(HUB_CONFIG)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreachableHostError);
    expect((error as UnreachableHostError).url).toBe(HUB_CONFIG);
    expect((error as Error).message).toBe(`No answer from ${HUB_CONFIG} (Failed to fetch)`);
  });

  it('leaves a cancelled request as it is', async () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    const fetcher = reportingUnreachableHost(async () => {
      throw abort;
    });
    expect(await fetcher(HUB_CONFIG, { signal: controller.signal }).catch((caught: unknown) => caught)).toBe(abort);
    expect(await fetcher(HUB_CONFIG).catch((caught: unknown) => caught)).toBe(abort);
  });
});
