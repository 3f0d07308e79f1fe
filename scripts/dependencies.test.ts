import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('runtime dependencies', () => {
  it('pins onnxruntime-web to the version transformers.js was built against', async () => {
    // The app serves ORT's wasm itself; a second ORT version would load a mismatched binary.
    const app = await readJson('package.json');
    const transformers = await readJson('node_modules/@huggingface/transformers/package.json');
    expect(app.dependencies['onnxruntime-web']).toBe(transformers.dependencies['onnxruntime-web']);
  });

  it('never runs onnxruntime-node install script (it downloads CUDA libraries)', async () => {
    const app = await readJson('package.json');
    expect(app.allowScripts['onnxruntime-node']).toBe(false);
  });
});
