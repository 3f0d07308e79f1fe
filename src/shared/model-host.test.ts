import { describe, expect, it } from 'vitest';
import { hostOfUrl } from './model-host';

describe('the host a model comes from', () => {
  it('is read from a file’s URL', () => {
    expect(hostOfUrl('https://huggingface.co/onnx-community/Florence-2-base-ft/resolve/main/config.json')).toBe(
      'huggingface.co',
    );
    expect(hostOfUrl('https://cdn.example/models/florence-2-base-ft/config.json')).toBe('cdn.example');
    // With its port when it has one; a scheme's default port is not one.
    expect(hostOfUrl('http://127.0.0.1:4181/florence2-tiny/config.json')).toBe('127.0.0.1:4181');
    expect(hostOfUrl('https://cdn.example:443/m/config.json')).toBe('cdn.example');
    expect(hostOfUrl('http://[::1]:8080/m/config.json')).toBe('[::1]:8080');
    expect(hostOfUrl('blob:https://app.example/1234')).toBeNull();
    expect(hostOfUrl('not a url')).toBeNull();
  });
});
