/**
 * Load failures classified from the error texts the libraries and the browser really give. Each text
 * below was produced by the library named (transformers.js 4.3.1, onnxruntime-web 1.31, V8 in Node
 * 20), or copied from the library's source where it cannot be provoked in Node.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from './engine';
import { classifyLoadError, mostTellingFailure } from './load-errors';

const SOURCE = 'http://127.0.0.1:4181/florence2-tiny';
const FILE = `"${SOURCE}/onnx/decoder_model_merged_quantized.onnx"`;

const classified = (error: unknown, device: 'webgpu' | 'wasm' = 'wasm') => {
  const result = classifyLoadError(error, SOURCE, device);
  return { code: result.code, message: result.message, device: result.device };
};

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
});
