import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticServer } from '../e2e/support/static-server';
import { makeTestModel } from '../e2e/support/test-model/write-test-model';
import { fetchModel, filesToMirror } from './fetch-model';

let root: string;
let server: StaticServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fetch-model-'));
  await makeTestModel(join(root, 'source', 'tiny'));
  server = new StaticServer(join(root, 'source'), { port: 0 });
  await server.start();
});

afterAll(async () => {
  await server.stop();
  await rm(root, { recursive: true, force: true });
});

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();
}

describe('fetch-model', () => {
  it('lists what every device needs with the recommended weights', () => {
    expect(filesToMirror(['auto']).sort()).toEqual([
      'config.json',
      'generation_config.json',
      'onnx/decoder_model_merged_q4.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
      'onnx/embed_tokens.onnx',
      'onnx/embed_tokens_fp16.onnx',
      'onnx/embed_tokens_quantized.onnx',
      'onnx/encoder_model_q4.onnx',
      'onnx/encoder_model_quantized.onnx',
      'onnx/vision_encoder.onnx',
      'onnx/vision_encoder_fp16.onnx',
      'onnx/vision_encoder_q4.onnx',
      'onnx/vision_encoder_quantized.onnx',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
  });

  it('mirrors exactly those files, byte for byte', async () => {
    const out = join(root, 'mirror');
    await fetchModel({ modelId: 'tiny', presets: ['auto'], from: `${server.origin}/tiny/`, outDir: out });
    expect(await listFiles(out)).toEqual(filesToMirror(['auto']).sort());
    for (const file of filesToMirror(['auto'])) {
      expect(Buffer.compare(await readFile(join(out, file)), await readFile(join(root, 'source', 'tiny', file)))).toBe(
        0,
      );
    }
  });

  it('leaves no partial file behind when a download breaks', async () => {
    const out = join(root, 'broken');
    server.fault = { kind: 'drop-mid-file', path: /decoder_model_merged/ };
    await expect(
      fetchModel({ modelId: 'tiny', presets: ['auto'], from: `${server.origin}/tiny/`, outDir: out }),
    ).rejects.toThrow();
    server.fault = null;
    const files = await listFiles(out);
    expect(files.some((file) => file.includes('decoder') || file.endsWith('.partial'))).toBe(false);
  });
});
