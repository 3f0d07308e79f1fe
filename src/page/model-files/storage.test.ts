import { describe, expect, it } from 'vitest';
import { modelFolderOf } from './storage';

describe('cached model folders', () => {
  it('groups a model folder with its onnx/ subfolder', () => {
    expect(modelFolderOf('https://huggingface.co/a/b/resolve/main/onnx/encoder_model_q4.onnx')).toBe(
      'https://huggingface.co/a/b/resolve/main/',
    );
    expect(modelFolderOf('https://huggingface.co/a/b/resolve/main/config.json')).toBe(
      'https://huggingface.co/a/b/resolve/main/',
    );
    expect(modelFolderOf('http://127.0.0.1:4181/florence2-tiny/tokenizer.json')).toBe(
      'http://127.0.0.1:4181/florence2-tiny/',
    );
  });
});
