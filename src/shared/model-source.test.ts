import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID, modelFileUrl, parseModelSource, remoteLocation } from './model-source';

const PAGE = 'https://app.example/florence/index.html';

describe('model source', () => {
  it('defaults to the Hub model', () => {
    expect(parseModelSource('  ', PAGE)).toEqual({ ok: true, source: { kind: 'hub', modelId: DEFAULT_MODEL_ID } });
  });

  it('accepts a Hub id', () => {
    expect(parseModelSource('onnx-community/Florence-2-large-ft', PAGE)).toEqual({
      ok: true,
      source: { kind: 'hub', modelId: 'onnx-community/Florence-2-large-ft' },
    });
  });

  it('resolves folder URLs against the page and ends them with a slash', () => {
    expect(parseModelSource('/models/florence', PAGE)).toEqual({
      ok: true,
      source: { kind: 'url', baseUrl: 'https://app.example/models/florence/' },
    });
    expect(parseModelSource('./weights/base?x=1', PAGE)).toEqual({
      ok: true,
      source: { kind: 'url', baseUrl: 'https://app.example/florence/weights/base/' },
    });
  });

  it('rejects text that is neither', () => {
    const parsed = parseModelSource('not a model', PAGE);
    expect(parsed.ok).toBe(false);
    expect(parseModelSource('javascript:alert(1)', PAGE).ok).toBe(false);
  });

  it('points transformers.js at the Hub or at the folder', () => {
    expect(remoteLocation({ kind: 'hub', modelId: 'a/b' })).toEqual({
      remoteHost: 'https://huggingface.co/',
      remotePathTemplate: '{model}/resolve/{revision}/',
      modelId: 'a/b',
    });
    const location = remoteLocation({ kind: 'url', baseUrl: 'http://127.0.0.1:4180/test-models/florence2-tiny/' });
    expect(`${location.remoteHost}${location.remotePathTemplate.replace('{model}', location.modelId)}`).toBe(
      'http://127.0.0.1:4180/test-models/florence2-tiny/',
    );
    expect(remoteLocation({ kind: 'url', baseUrl: 'https://cdn.example/florence/' })).toEqual({
      remoteHost: 'https://cdn.example/',
      remotePathTemplate: '{model}/',
      modelId: 'florence',
    });
  });
});

describe('model file URLs', () => {
  it('match where transformers.js downloads from', () => {
    expect(
      modelFileUrl({ kind: 'hub', modelId: 'onnx-community/Florence-2-base-ft' }, 'onnx/encoder_model_q4.onnx'),
    ).toBe('https://huggingface.co/onnx-community/Florence-2-base-ft/resolve/main/onnx/encoder_model_q4.onnx');
    expect(modelFileUrl({ kind: 'url', baseUrl: 'https://cdn.example/models/florence/' }, 'config.json')).toBe(
      'https://cdn.example/models/florence/config.json',
    );
  });
});
