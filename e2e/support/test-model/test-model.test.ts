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
  type Dtype,
  type DtypePlan,
  EVERY_DEVICE_KIND,
  TYPICAL_WASM_DEVICE,
} from '../../../src/shared/device/policy';
import { buildPrompt } from '../../../src/shared/florence/tasks';
import { type DecoderSession, fetchOnlyChangingOutputs } from '../../../src/worker/engine/decoder-outputs';
import {
  BEAM_SCRIPT,
  CONFIDENCE_SCRIPT,
  DEFAULT_END_TOKEN_PROBABILITY,
  DEFAULT_TOKEN_PROBABILITY,
  PROBABILITY_SCRIPTS,
  SCRIPTED_ANSWERS,
  type TokenProbabilities,
  UNSCRIPTED_ANSWER,
} from './answers';
import { DEFAULT_END_LOGIT, DEFAULT_OTHER_LOGIT, END_TOKEN_MARGIN, HEAD_SIZE, HEADS, HIDDEN_SIZE } from './graphs';
import { SPECIAL_TOKENS, VOCAB_SIZE } from './tokenizer';
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

  // --- the decoder's vote, run directly -----------------------------------------------------------

  type Loaded = Awaited<ReturnType<typeof loadTestModel>>;
  /** One batch row of a decoder call: the prompt it answers and the token it is fed (text, one token). */
  interface DecoderRow {
    readonly prompt: string;
    readonly previous: string;
  }

  function tokenIdOf({ tokenizer }: Loaded, text: string): number {
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    if (ids.length !== 1 || ids[0] === undefined) throw new Error(`${JSON.stringify(text)} is not one token`);
    return ids[0];
  }

  function softmax(logits: ArrayLike<number>): number[] {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] ?? 0);
    const exps = Array.from(logits, (logit) => Math.exp(logit - max));
    const sum = exps.reduce((total, value) => total + value, 0);
    return exps.map((value) => value / sum);
  }

  /**
   * Runs the merged decoder once at `step` (its self-attention cache that long), one batch row per
   * entry, and returns each row's logits. The encoder states and the cached cross-attention keys carry
   * each row's prompt ids in channel 0 (what the decoder reads), padded and masked to one length.
   */
  async function runDecoder(loaded: Loaded, step: number, rows: readonly DecoderRow[]): Promise<Float32Array[]> {
    const prompts = rows.map(({ prompt }) =>
      Array.from(loaded.tokenizer(prompt).input_ids.data as BigInt64Array, Number),
    );
    const length = Math.max(...prompts.map((ids) => ids.length));
    const batch = rows.length;
    const mask = new BigInt64Array(batch * length);
    const hidden = new Float32Array(batch * length * HIDDEN_SIZE);
    const encoderKey = new Float32Array(batch * HEADS * length * HEAD_SIZE);
    const embeds = new Float32Array(batch * HIDDEN_SIZE);
    for (const [row, ids] of prompts.entries()) {
      for (const [position, id] of ids.entries()) {
        mask[row * length + position] = 1n;
        hidden[(row * length + position) * HIDDEN_SIZE] = id;
        hidden[(row * length + position) * HIDDEN_SIZE + 1] = 1;
        encoderKey[(row * HEADS * length + position) * HEAD_SIZE] = id;
      }
      embeds[row * HIDDEN_SIZE] = tokenIdOf(loaded, rows[row]?.previous ?? '');
      embeds[row * HIDDEN_SIZE + 1] = 1;
    }
    const ort = (type: 'float32' | 'int64' | 'bool', data: Float32Array | BigInt64Array | Uint8Array, dims: number[]) =>
      new Tensor(type, data, dims).ort_tensor;
    const past = () =>
      ort('float32', new Float32Array(batch * HEADS * step * HEAD_SIZE), [batch, HEADS, step, HEAD_SIZE]);
    const outputs = (await loaded.decoder.run({
      encoder_attention_mask: ort('int64', mask, [batch, length]),
      encoder_hidden_states: ort('float32', hidden, [batch, length, HIDDEN_SIZE]),
      inputs_embeds: ort('float32', embeds, [batch, 1, HIDDEN_SIZE]),
      'past_key_values.0.decoder.key': past(),
      'past_key_values.0.decoder.value': past(),
      'past_key_values.0.encoder.key': ort('float32', encoderKey, [batch, HEADS, length, HEAD_SIZE]),
      'past_key_values.0.encoder.value': ort('float32', encoderKey.slice(), [batch, HEADS, length, HEAD_SIZE]),
      use_cache_branch: ort('bool', Uint8Array.of(step > 0 ? 1 : 0), [1]),
    })) as Record<string, { data: Float32Array; dims: readonly number[] }>;
    const logits = outputs.logits;
    if (!logits) throw new Error('no logits');
    expect(logits.dims).toEqual([batch, 1, VOCAB_SIZE]);
    return rows.map((_, row) => logits.data.slice(row * VOCAB_SIZE, (row + 1) * VOCAB_SIZE));
  }

  const beamPrompt = buildPrompt(BEAM_SCRIPT.task, BEAM_SCRIPT.input);
  const confidencePrompt = buildPrompt(CONFIDENCE_SCRIPT.task, CONFIDENCE_SCRIPT.input);
  const captionPrompt = buildPrompt('<CAPTION>');
  const recommended = chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto').dtypes;
  const decoderWeights: Dtype[] = ['fp32', 'q4', 'q8'];

  it('votes logit 0 for the scripted token, -20 for the others and -60 for </s>', async () => {
    const loaded = await loadTestModel(recommended);
    const caption = loaded.tokenizer.encode(scriptedCaption, { add_special_tokens: false });
    // Step 3 is fed the caption's second token and votes for its third.
    const [logits = new Float32Array()] = await runDecoder(loaded, 3, [
      { prompt: captionPrompt, previous: loaded.tokenizer.decode([caption[1] ?? 0]) },
    ]);
    const scripted = caption[2] ?? -1;
    const counts = new Map<number, number>();
    for (const logit of logits) counts.set(logit, (counts.get(logit) ?? 0) + 1);
    expect(counts).toEqual(
      new Map([
        [DEFAULT_OTHER_LOGIT, VOCAB_SIZE - 2],
        [0, 1],
        [DEFAULT_END_LOGIT, 1],
      ]),
    );
    expect(logits[scripted]).toBe(0);
    expect(logits[SPECIAL_TOKENS.eos]).toBe(-60);
    const probabilities = softmax(logits);
    expect(probabilities[scripted]).toBeGreaterThan(0.9998);
    expect(probabilities[scripted]).toBeCloseTo(DEFAULT_TOKEN_PROBABILITY, 9);
    // e^-60: 40 (in logits) below any other unscripted token, so a spare beam never ends early.
    expect(probabilities[SPECIAL_TOKENS.eos]).toBeLessThan(1e-25);

    // Past the end of the answer the scripted token is </s>, which then gets the default's 0.
    const [end = new Float32Array()] = await runDecoder(loaded, 40, [{ prompt: captionPrompt, previous: '</s>' }]);
    expect(end[SPECIAL_TOKENS.eos]).toBe(0);
    expect(softmax(end)[SPECIAL_TOKENS.eos]).toBeCloseTo(DEFAULT_END_TOKEN_PROBABILITY, 9);
    await loaded.model.dispose();
  });

  it('states the default probabilities and the region scores as the vote and the rules give them', () => {
    const vote = (others: number) => 1 / (1 + others * Math.exp(DEFAULT_OTHER_LOGIT));
    expect(DEFAULT_TOKEN_PROBABILITY).toBeCloseTo(
      1 / (1 + (VOCAB_SIZE - 2) * Math.exp(DEFAULT_OTHER_LOGIT) + Math.exp(DEFAULT_END_LOGIT)),
      10,
    );
    expect(DEFAULT_END_TOKEN_PROBABILITY).toBeCloseTo(vote(VOCAB_SIZE - 1), 10);
    const geometricMean = (list: TokenProbabilities, from: number, to: number) =>
      list.slice(from, to).reduce((product, [, p]) => product * p, 1) ** (1 / (to - from));
    // Label token and four locations, after <s>.
    expect(geometricMean(BEAM_SCRIPT.greedyProbabilities, 1, 6)).toBeCloseTo(BEAM_SCRIPT.greedyScore, 7);
    expect(geometricMean(BEAM_SCRIPT.beamProbabilities, 1, 6)).toBeCloseTo(BEAM_SCRIPT.beamScore, 7);
    // `a` ` ` `ca` `t` and four locations; `a` ` dog` and four locations.
    const [cat, dog] = CONFIDENCE_SCRIPT.regions;
    expect(geometricMean(CONFIDENCE_SCRIPT.probabilities, 1, 9)).toBeCloseTo(cat.score, 7);
    expect(geometricMean(CONFIDENCE_SCRIPT.probabilities, 9, 15)).toBeCloseTo(dog.score, 7);
  });

  it.each(decoderWeights)(
    'gives each beam rule its probabilities, alone and in a batch (%s decoder)',
    async (weights) => {
      const loaded = await loadTestModel({ ...recommended, decoder_model_merged: weights });
      for (const rule of BEAM_SCRIPT.rules) {
        const [logits = new Float32Array()] = await runDecoder(loaded, rule.step, [
          { prompt: beamPrompt, previous: rule.previous },
        ]);
        const probabilities = softmax(logits);
        const listed = new Set<number>();
        for (const [token, probability] of rule.probabilities) {
          const id = tokenIdOf(loaded, token);
          listed.add(id);
          expect(probabilities[id], `step ${rule.step} after ${rule.previous}: ${token}`).toBeCloseTo(probability, 5);
        }
        // The rest is shared equally; </s>, unlisted, 60 below.
        const rest = [...probabilities.keys()].filter((id) => !listed.has(id) && id !== SPECIAL_TOKENS.eos);
        expect(new Set(rest.map((id) => logits[id])).size).toBe(1);
        if (!listed.has(SPECIAL_TOKENS.eos)) {
          expect(logits[SPECIAL_TOKENS.eos]).toBeCloseTo((logits[rest[0] ?? 0] ?? 0) - END_TOKEN_MARGIN, 4);
        }
      }

      // Step 2 as 3-beam search runs it: one prompt, a row a beam, each fed its own previous token.
      const loc = (bin: number) => tokenIdOf(loaded, `<loc_${bin}>`);
      const beams: DecoderRow[] = ['kite', 'bird', '<loc_101>'].map((previous) => ({ prompt: beamPrompt, previous }));
      const batched = (await runDecoder(loaded, 2, beams)).map(softmax);
      expect(batched[0]?.[loc(100)]).toBeCloseTo(0.4, 5);
      expect(batched[0]?.[loc(101)]).toBeCloseTo(0.35, 5);
      expect(batched[0]?.[loc(102)]).toBeCloseTo(0.2, 5);
      expect(batched[1]?.[loc(500)]).toBeCloseTo(0.95, 5);
      expect(batched[1]?.[loc(100)]).toBeLessThan(1e-5);
      // No rule for <loc_101> at step 2: the row's scripted step-2 token, <loc_100>, at the default.
      expect(batched[2]?.[loc(100)]).toBeCloseTo(DEFAULT_TOKEN_PROBABILITY, 6);
      // And rows of different prompts (so different lengths, padded and masked) in one call.
      const caption = loaded.tokenizer.encode(scriptedCaption, { add_special_tokens: false });
      const mixed: DecoderRow[] = [
        { prompt: captionPrompt, previous: loaded.tokenizer.decode([caption[0] ?? 0]) },
        { prompt: beamPrompt, previous: 'bird' },
        { prompt: confidencePrompt, previous: 'a' },
      ];
      const mixedLogits = await runDecoder(loaded, 2, mixed);
      // Each row is what it is alone.
      for (const [rows, logits] of [
        [beams, await runDecoder(loaded, 2, beams)],
        [mixed, mixedLogits],
      ] as const) {
        for (const [index, row] of rows.entries()) {
          const [alone] = await runDecoder(loaded, 2, [row]);
          expect(logits[index], `${row.prompt} after ${row.previous}`).toEqual(alone);
        }
      }
      expect(softmax(mixedLogits[0] ?? [])[caption[1] ?? -1]).toBeCloseTo(DEFAULT_TOKEN_PROBABILITY, 6);
      expect(softmax(mixedLogits[1] ?? [])[loc(500)]).toBeCloseTo(0.95, 5);
      await loaded.model.dispose();
    },
  );

  it.each([
    ['the beam script, greedy path', beamPrompt, BEAM_SCRIPT.greedyAnswer, BEAM_SCRIPT.greedyProbabilities],
    ['the beam script, 3-beam path', beamPrompt, BEAM_SCRIPT.beamAnswer, BEAM_SCRIPT.beamProbabilities],
    ['the confidence script', confidencePrompt, CONFIDENCE_SCRIPT.answer, CONFIDENCE_SCRIPT.probabilities],
  ] as const)(
    'gives every token of %s its stated probability',
    async (_name, prompt, expected, path: TokenProbabilities) => {
      const loaded = await loadTestModel(recommended);
      // The listed tokens are the tokenizer's pieces of the answer.
      const answer = loaded.tokenizer.decode(
        path.map(([token]) => tokenIdOf(loaded, token)),
        { skip_special_tokens: false },
      );
      expect(answer).toBe(`<s>${expected}</s>`);
      for (const [step, [token, probability]] of path.entries()) {
        const previous = step === 0 ? '</s>' : (path[step - 1]?.[0] ?? '');
        const [logits = new Float32Array()] = await runDecoder(loaded, step, [{ prompt, previous }]);
        expect(softmax(logits)[tokenIdOf(loaded, token)], `step ${step}: ${token}`).toBeCloseTo(probability, 6);
      }
      await loaded.model.dispose();
    },
  );

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
    for (const scripted of [...SCRIPTED_ANSWERS, ...PROBABILITY_SCRIPTS]) {
      expect(await answer(buildPrompt(scripted.task, scripted.input ?? ''))).toBe(`</s><s>${scripted.answer}</s>`);
    }
    expect(await answer('Something nobody scripted')).toBe(`</s><s>${UNSCRIPTED_ANSWER}</s>`);
    await model.dispose();
  });
});
