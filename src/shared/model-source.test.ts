import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID, isHubModelId, modelFileUrl, parseModelSource, remoteLocation } from './model-source';

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

  it('takes a model page on the Hub as its Hub id (its files are not in that folder)', () => {
    for (const text of [
      'https://huggingface.co/onnx-community/Florence-2-large-ft',
      'https://huggingface.co/onnx-community/Florence-2-large-ft/',
      'https://huggingface.co/onnx-community/Florence-2-large-ft/tree/main',
      'http://www.huggingface.co/onnx-community/Florence-2-large-ft?library=transformers.js',
    ]) {
      expect(parseModelSource(text, PAGE), text).toEqual({
        ok: true,
        source: { kind: 'hub', modelId: 'onnx-community/Florence-2-large-ft' },
      });
    }
    // A folder on the Hub that holds the files is a folder URL, and a Space is no model.
    expect(parseModelSource('https://huggingface.co/a/b/resolve/main/', PAGE)).toEqual({
      ok: true,
      source: { kind: 'url', baseUrl: 'https://huggingface.co/a/b/resolve/main/' },
    });
    expect(parseModelSource('https://huggingface.co/spaces/someone/demo', PAGE)).toEqual({
      ok: true,
      source: { kind: 'url', baseUrl: 'https://huggingface.co/spaces/someone/demo/' },
    });
  });

  it('says why a malformed source is refused, in a sentence to show under the field', () => {
    const refusal = (text: string) => {
      const parsed = parseModelSource(text, PAGE);
      return parsed.ok ? 'accepted' : parsed.message;
    };
    expect(refusal('Florence-2-base-ft')).toBe(
      '"Florence-2-base-ft" has no owner: a Hub id is owner/name, as in onnx-community/Florence-2-base-ft.',
    );
    const neither =
      'is neither a Hub model id (owner/name) nor a URL of a model folder (starting with https://, / or ./).';
    expect(refusal('not a model')).toBe(`"not a model" ${neither}`);
    expect(refusal('owner/name/extra')).toBe(`"owner/name/extra" ${neither}`);
    expect(refusal('  owner/ name ')).toBe(`"owner/ name" ${neither}`);
    expect(refusal('owner/-name')).toBe(`"owner/-name" ${neither}`);
    expect(refusal('owner/name.')).toBe(`"owner/name." ${neither}`);
    expect(refusal('owner/../name')).toBe(`"owner/../name" ${neither}`);
    expect(refusal('ftp://files.example/florence')).toBe('A model URL must use http or https.');
    expect(refusal('javascript:alert(1)')).toBe('A model URL must use http or https.');
    expect(refusal('https://')).toBe('"https://" is not a valid URL.');
    expect(refusal('http://exa mple.com/m')).toBe('"http://exa mple.com/m" is not a valid URL.');
  });

  it('knows a Hub id by the Hub’s rules', () => {
    for (const id of ['onnx-community/Florence-2-base-ft', 'microsoft/Florence-2-large', 'a/b', 'user_1/model.v2']) {
      expect(isHubModelId(id), id).toBe(true);
    }
    for (const id of [
      '',
      'name',
      'a/b/c',
      '/a',
      'a/',
      '.a/b',
      'a/b-',
      'a--b/c',
      'a/b..c',
      'a b/c',
      `a/${'x'.repeat(97)}`,
    ]) {
      expect(isHubModelId(id), id).toBe(false);
    }
    expect(isHubModelId(`a/${'x'.repeat(96)}`)).toBe(true);
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
