import { describe, expect, it } from 'vitest';
import { hostOfUrl, modelHost, unreachableHostMessage } from './model-host';

describe('the host a model comes from', () => {
  it('is huggingface.co for a Hub id', () => {
    expect(modelHost({ kind: 'hub', modelId: 'onnx-community/Florence-2-base-ft' })).toBe('huggingface.co');
  });

  it('is the folder URL’s host, with its port when it has one', () => {
    expect(modelHost({ kind: 'url', baseUrl: 'https://cdn.example/models/florence-2-base-ft/' })).toBe('cdn.example');
    expect(modelHost({ kind: 'url', baseUrl: 'http://127.0.0.1:4181/florence2-tiny/' })).toBe('127.0.0.1:4181');
    expect(modelHost({ kind: 'url', baseUrl: 'https://cdn.example:443/m/' })).toBe('cdn.example');
  });

  it('is read from a file’s URL', () => {
    expect(hostOfUrl('https://huggingface.co/onnx-community/Florence-2-base-ft/resolve/main/config.json')).toBe(
      'huggingface.co',
    );
    expect(hostOfUrl('http://[::1]:8080/m/config.json')).toBe('[::1]:8080');
    expect(hostOfUrl('blob:https://app.example/1234')).toBeNull();
    expect(hostOfUrl('not a url')).toBeNull();
  });

  it('is named in the message', () => {
    expect(unreachableHostMessage('huggingface.co')).toBe('huggingface.co could not be reached.');
  });
});
