/**
 * The app's own decoding loop (shared/generation/search.ts over decoder-loop.ts) on the scripted test
 * model, through transformers.js on onnxruntime-node: the same sessions, cache handling and beam
 * reordering the worker runs in the browser.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoProcessor,
  AutoTokenizer,
  env,
  Florence2ForConditionalGeneration,
  Tensor,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BEAM_SCRIPT,
  CONFIDENCE_SCRIPT,
  DEFAULT_TOKEN_PROBABILITY,
  SCRIPTED_ANSWERS,
} from '../../../e2e/support/test-model/answers';
import { makeTestModel } from '../../../e2e/support/test-model/write-test-model';
import { chooseDevicePlan, type Device, type DtypePlan, TYPICAL_WASM_DEVICE } from '../../shared/device/policy';
import { parseAnswer } from '../../shared/florence/parse';
import { buildPrompt } from '../../shared/florence/tasks';
import type { AnswerQuality } from '../../shared/generation/config';
import { type DecoderSession, fetchOnlyChangingOutputs } from './decoder-outputs';
import { generateFromFeatures, SessionTimer } from './generation';
import type { FlorenceInternals, Runtime } from './runtime';

const MODEL = 'florence2-tiny';
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'florence-generation-'));
  await makeTestModel(join(root, MODEL));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `device` only picks how the decoder loop batches its first step; the sessions run on onnxruntime-node. */
async function load(dtypes: DtypePlan, device: Device = 'wasm') {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${root}/`;
  const model = await Florence2ForConditionalGeneration.from_pretrained(MODEL, { dtype: { ...dtypes } });
  const runtime = {
    model,
    tokenizer: await AutoTokenizer.from_pretrained(MODEL),
    processor: await AutoProcessor.from_pretrained(MODEL),
  } as unknown as Runtime;
  const internals = model as unknown as FlorenceInternals;
  // As the app loads it: cached steps fetch only the outputs that change.
  fetchOnlyChangingOutputs(internals.sessions.decoder_model_merged as unknown as DecoderSession);
  const timer = new SessionTimer(model as unknown as Florence2ForConditionalGeneration);
  // The scripted answers depend on the prompt only, so any pixels do.
  const imageFeatures = await internals.encode_image({
    pixel_values: new Tensor('float32', new Float32Array(3 * 768 * 768), [1, 3, 768, 768]),
  });
  const answer = (prompt: string, quality: AnswerQuality, signal = new AbortController().signal) =>
    generateFromFeatures(runtime, timer, { imageFeatures, prompt, maxNewTokens: 200, quality, device, signal });
  return { model, answer };
}

const RECOMMENDED = chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto').dtypes;
const plans: [string, DtypePlan][] = [
  ['the recommended WASM weights', RECOMMENDED],
  ['fp32', chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto', 'quality').dtypes],
  ['q4 encoder and decoder', chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto', 'smallest').dtypes],
];

describe('generation through the app loop', () => {
  it.each(plans)('gives every scripted answer greedily and with 3 beams (%s)', async (_name, dtypes) => {
    const { model, answer } = await load(dtypes);
    for (const scripted of SCRIPTED_ANSWERS) {
      const prompt = buildPrompt(scripted.task, scripted.input ?? '');
      for (const quality of ['fast', 'best'] as const) {
        const result = await answer(prompt, quality);
        expect(result.rawText, `${scripted.task} ${quality}`).toBe(`</s><s>${scripted.answer}</s>`);
      }
    }
    await model.dispose();
  });

  it('gives the same answers with the first step batched (as on WebGPU)', async () => {
    const { model, answer } = await load(RECOMMENDED, 'webgpu');
    const beams = await answer(buildPrompt(BEAM_SCRIPT.task, BEAM_SCRIPT.input), 'best');
    expect(beams.rawText).toBe(`</s><s>${BEAM_SCRIPT.beamAnswer}</s>`);
    for (const scripted of SCRIPTED_ANSWERS) {
      const result = await answer(buildPrompt(scripted.task, scripted.input ?? ''), 'best');
      expect(result.rawText).toBe(`</s><s>${scripted.answer}</s>`);
    }
    await model.dispose();
  });

  it('places every token in the raw text and keeps its probability', async () => {
    const { model, answer } = await load(RECOMMENDED);
    const result = await answer(buildPrompt('<OD>'), 'best');
    // The decoder start token `</s>` is not a generated token; the rest tile the text in order.
    expect(result.tokens[0]).toMatchObject({ start: 4, end: 7, forced: true });
    expect(result.tokens.map((token) => result.rawText.slice(token.start, token.end)).join('')).toBe(
      result.rawText.slice(4),
    );
    expect(result.rawText.slice(result.tokens[1]?.start, result.tokens[1]?.end)).toBe('car');
    expect(result.tokens.at(-1)).toMatchObject({ forced: false });
    expect(result.tokens.length).toBe(result.generatedTokens);
    // The scripted model gives its token logit 0 and every other -20 (the end token -60): 1 / (1 + 51287e-20).
    for (const token of result.tokens.slice(1))
      expect(token.probability).toBeCloseTo(1 / (1 + 51287 * Math.exp(-20)), 6);
    await model.dispose();
  });

  it('finds the 3-beam answer greedy decoding misses, with the scripted probabilities', async () => {
    const { model, answer } = await load(RECOMMENDED);
    const prompt = buildPrompt(BEAM_SCRIPT.task, BEAM_SCRIPT.input);
    const greedy = await answer(prompt, 'fast');
    expect(greedy.rawText).toBe(`</s><s>${BEAM_SCRIPT.greedyAnswer}</s>`);
    // <s> (forced), kite .5, <loc_100> .4, three defaults, </s> default.
    const expectedGreedy = [0.5, 0.4, ...Array(4).fill(DEFAULT_TOKEN_PROBABILITY)];
    expect(greedy.tokens.map((token) => token.forced)).toEqual([true, false, false, false, false, false, false]);
    for (const [index, token] of greedy.tokens.slice(1).entries()) {
      expect(token.probability).toBeCloseTo(expectedGreedy[index] ?? 0, 5);
    }

    const image = { width: 640, height: 480 };
    expect(parseAnswer(BEAM_SCRIPT.task, greedy.rawText, image, greedy.tokens).regions[0]?.score).toBeCloseTo(
      BEAM_SCRIPT.greedyScore,
      4,
    );
    const beams = await answer(prompt, 'best');
    expect(beams.rawText).toBe(`</s><s>${BEAM_SCRIPT.beamAnswer}</s>`);
    expect(parseAnswer(BEAM_SCRIPT.task, beams.rawText, image, beams.tokens).regions[0]?.score).toBeCloseTo(
      BEAM_SCRIPT.beamScore,
      4,
    );
    const expectedBeams = [0.45, 0.95, 1, 1, 1, 1];
    for (const [index, token] of beams.tokens.slice(1).entries()) {
      expect(token.probability).toBeCloseTo(expectedBeams[index] ?? 0, 5);
    }
    await model.dispose();
  });

  it('decodes the sure and the unsure phrase alike greedily and with beams', async () => {
    const { model, answer } = await load(RECOMMENDED);
    const prompt = buildPrompt(CONFIDENCE_SCRIPT.task, CONFIDENCE_SCRIPT.input);
    for (const quality of ['fast', 'best'] as const) {
      const result = await answer(prompt, quality);
      expect(result.rawText).toBe(`</s><s>${CONFIDENCE_SCRIPT.answer}</s>`);
      const dog = result.rawText.indexOf(' dog');
      expect(result.tokens.find((token) => token.start === dog)?.probability).toBeCloseTo(0.25, 5);
      const parsed = parseAnswer(CONFIDENCE_SCRIPT.task, result.rawText, { width: 640, height: 480 }, result.tokens);
      expect(parsed.regions.map((region) => region.label)).toEqual(CONFIDENCE_SCRIPT.regions.map(({ label }) => label));
      for (const [index, region] of parsed.regions.entries()) {
        expect(region.score).toBeCloseTo(CONFIDENCE_SCRIPT.regions[index]?.score ?? 0, 4);
      }
    }
    await model.dispose();
  });

  it('stops when cancelled', async () => {
    const { model, answer } = await load(RECOMMENDED);
    const controller = new AbortController();
    controller.abort();
    await expect(answer(buildPrompt('<OD>'), 'best', controller.signal)).rejects.toMatchObject({ code: 'cancelled' });
    await model.dispose();
  });
});
