import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('dependencies', () => {
  it('pins onnxruntime-web to the version transformers.js was built against', async () => {
    // The app and the library serve ORT's wasm themselves; a second ORT version would load a
    // mismatched binary. Everything ships bundled, so every dependency is a build-time one.
    const app = await readJson('package.json');
    expect(app.dependencies).toBeUndefined();
    const transformers = await readJson('node_modules/@huggingface/transformers/package.json');
    expect(app.devDependencies['onnxruntime-web']).toBe(transformers.dependencies['onnxruntime-web']);
  });

  it('never runs onnxruntime-node install script (it downloads CUDA libraries)', async () => {
    const app = await readJson('package.json');
    expect(app.allowScripts['onnxruntime-node']).toBe(false);
  });
});
