/**
 * The generated test model: deterministic, small, and answering its scripts through transformers.js
 * (on onnxruntime-node here; the e2e suite runs the same files in the browser).
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env, Florence2ForConditionalGeneration, Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseDevicePlan,
  DTYPE_PRESETS,
  type DtypePlan,
  EVERY_DEVICE_KIND,
  TYPICAL_WASM_DEVICE,
} from '../../../src/shared/device/policy';
import { buildPrompt } from '../../../src/shared/florence/tasks';
import { type DecoderSession, fetchOnlyChangingOutputs } from '../../../src/worker/engine/decoder-outputs';
import { SCRIPTED_ANSWERS, UNSCRIPTED_ANSWER } from './answers';
import { makeTestModel } from './write-test-model';

let root: string;
const MODEL = 'florence2-tiny';

async function filesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'florence-test-model-'));
  await makeTestModel(join(root, MODEL));
  await makeTestModel(join(root, 'again'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('generated test model', () => {
  it('is byte-for-byte deterministic', async () => {
    const first = await filesIn(join(root, MODEL));
    const second = await filesIn(join(root, 'again'));
    expect(first.map((file) => file.slice(join(root, MODEL).length))).toEqual(
      second.map((file) => file.slice(join(root, 'again').length)),
    );
    for (const [index, file] of first.entries()) {
      expect(Buffer.compare(await readFile(file), await readFile(second[index] ?? ''))).toBe(0);
    }
  });

  it('has every file the device policy can pick, under 2 MB in all', async () => {
    const files = await filesIn(join(root, MODEL));
    const names = files.map((file) => file.slice(join(root, MODEL).length + 1));
    for (const capabilities of EVERY_DEVICE_KIND) {
      for (const preset of DTYPE_PRESETS) {
        for (const [subModel, dtype] of Object.entries(chooseDevicePlan(capabilities, 'auto', preset).dtypes)) {
          const suffix = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' }[dtype];
          expect(names).toContain(`onnx/${subModel}${suffix}.onnx`);
        }
      }
    }
    for (const required of ['config.json', 'generation_config.json', 'preprocessor_config.json', 'tokenizer.json']) {
      expect(names).toContain(required);
    }
    const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThan(2 * 1024 * 1024);
  });

  it('stores real 4-bit MatMulNBits weights in the q4 encoder and decoder', async () => {
    for (const file of ['encoder_model_q4.onnx', 'decoder_model_merged_q4.onnx']) {
      const bytes = await readFile(join(root, MODEL, 'onnx', file));
      expect(bytes.includes(Buffer.from('MatMulNBits'))).toBe(true);
      expect(bytes.includes(Buffer.from('com.microsoft'))).toBe(true);
    }
  });

  it('runs the q8 encoder and decoder through real dynamic 8-bit kernels', async () => {
    for (const file of ['encoder_model_quantized.onnx', 'decoder_model_merged_quantized.onnx']) {
      const bytes = await readFile(join(root, MODEL, 'onnx', file));
      expect(bytes.includes(Buffer.from('DynamicQuantizeLinear'))).toBe(true);
      expect(bytes.includes(Buffer.from('MatMulInteger'))).toBe(true);
    }
  });

  const plans: [string, DtypePlan][] = [
    ['the recommended WASM weights (fp32 vision, q8 elsewhere)', chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto').dtypes],
    [
      'the weights for little memory (q8 everywhere)',
      chooseDevicePlan({ ...TYPICAL_WASM_DEVICE, deviceMemoryGb: 2 }, 'auto').dtypes,
    ],
    [
      'fp16 embeddings and vision, q4 encoder and decoder',
      chooseDevicePlan({ ...TYPICAL_WASM_DEVICE, webgpu: { shaderF16: true, adapterName: '' } }, 'auto').dtypes,
    ],
    [
      'fp32 embeddings, q4 vision, encoder and decoder (WebGPU, little memory)',
      chooseDevicePlan(
        { ...TYPICAL_WASM_DEVICE, webgpu: { shaderF16: false, adapterName: '' }, deviceMemoryGb: 2 },
        'auto',
      ).dtypes,
    ],
    ['all fp32 (highest quality)', chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto', 'quality').dtypes],
    ['q8 embeddings and q4 elsewhere (smallest)', chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto', 'smallest').dtypes],
  ];

  async function loadTestModel(dtypes: DtypePlan) {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${root}/`;
    const model = await Florence2ForConditionalGeneration.from_pretrained(MODEL, { dtype: { ...dtypes } });
    const tokenizer = await AutoTokenizer.from_pretrained(MODEL);
    const decoder = (model as unknown as { sessions: Record<string, DecoderSession> }).sessions.decoder_model_merged;
    if (!decoder) throw new Error('no decoder session');
    return { model, tokenizer, decoder };
  }

  async function captionOf({ model, tokenizer }: Awaited<ReturnType<typeof loadTestModel>>) {
    const output = (await model.generate({
      ...tokenizer(buildPrompt('<CAPTION>')),
      pixel_values: new Tensor('float32', new Float32Array(3 * 768 * 768), [1, 3, 768, 768]),
      max_new_tokens: 200,
      num_beams: 1,
      do_sample: false,
    })) as Tensor;
    return tokenizer.batch_decode(output, { skip_special_tokens: false })[0];
  }

  const scriptedCaption = SCRIPTED_ANSWERS.find((row) => row.task === '<CAPTION>' && row.input === undefined)?.answer;
  if (!scriptedCaption) throw new Error('The test model scripts no caption');

  it('reads the prompt back from the encoder cache on cached steps, so a lost cache shows', async () => {
    const loaded = await loadTestModel(chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto').dtypes);
    const { model, decoder } = loaded;
    const run = decoder.run.bind(decoder);
    // What a caller that drops the cross-attention cache after the first step would pass.
    decoder.run = (feeds, ...rest) => {
      const key = feeds['past_key_values.0.encoder.key'] as unknown as Tensor | undefined;
      const cached = (feeds.use_cache_branch?.data as Uint8Array | undefined)?.[0] === 1;
      if (!key || !cached) return run(feeds, ...rest);
      const zeros = new Tensor('float32', new Float32Array(key.data.length), key.dims);
      return run({ ...feeds, 'past_key_values.0.encoder.key': zeros }, ...rest);
    };
    expect(await captionOf(loaded)).not.toBe(`</s><s>${scriptedCaption}</s>`);
    await model.dispose();
  });

  it('answers with only the outputs that change fetched after the first step, as the app runs it', async () => {
    const loaded = await loadTestModel(chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto').dtypes);
    const { model, decoder } = loaded;
    const fetched: unknown[] = [];
    const run = decoder.run.bind(decoder);
    decoder.run = (feeds, ...rest) => {
      fetched.push(rest[0]);
      return run(feeds, ...rest);
    };
    fetchOnlyChangingOutputs(decoder);
    expect(await captionOf(loaded)).toBe(`</s><s>${scriptedCaption}</s>`);
    // The first step asked for everything; the later ones left the encoder cache in the runtime.
    expect(fetched[0]).toBeUndefined();
    expect(fetched.slice(1)).toContainEqual(['logits', 'present.0.decoder.key', 'present.0.decoder.value']);
    await model.dispose();
  });

  it.each(plans)('answers every script greedily with %s', async (_name, dtypes) => {
    const { model, tokenizer } = await loadTestModel(dtypes);
    // The scripted answers depend on the prompt only, so any pixels do.
    const pixelValues = new Tensor('float32', new Float32Array(3 * 768 * 768), [1, 3, 768, 768]);
    const answer = async (prompt: string) => {
      const output = (await model.generate({
        ...tokenizer(prompt),
        pixel_values: pixelValues,
        max_new_tokens: 200,
        num_beams: 1,
        do_sample: false,
      })) as Tensor;
      return tokenizer.batch_decode(output, { skip_special_tokens: false })[0];
    };
    for (const scripted of SCRIPTED_ANSWERS) {
      expect(await answer(buildPrompt(scripted.task, scripted.input ?? ''))).toBe(`</s><s>${scripted.answer}</s>`);
    }
    expect(await answer('Something nobody scripted')).toBe(`</s><s>${UNSCRIPTED_ANSWER}</s>`);
    await model.dispose();
  });
});
