import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestModel } from '../../../e2e/support/test-model/write-test-model';
import { buildPrompt } from '../../shared/florence/tasks';
import { fitInputToModel, type PromptTokenizer } from './prompt-fitting';

let root = '';
let tokenizer: PromptTokenizer;
/** Read from the model's own configuration, not from the module under test. */
let imageTokens = 0;
let encoderPositions = 0;
const count = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).length;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'prompt-fitting-'));
  await makeTestModel(join(root, 'tiny'));
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${root}/`;
  tokenizer = (await AutoTokenizer.from_pretrained('tiny')) as unknown as PromptTokenizer;
  const json = async (file: string) => JSON.parse(await readFile(join(root, 'tiny', file), 'utf8'));
  imageTokens = (await json('preprocessor_config.json')).image_seq_length;
  encoderPositions = (await json('config.json')).text_config.max_position_embeddings;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('fitInputToModel (the test model’s tokenizer)', () => {
  it('leaves text that fits, and tasks without text, as they are', () => {
    expect(fitInputToModel(tokenizer, '<CAPTION_TO_PHRASE_GROUNDING>', 'a dog on the grass')).toEqual({
      input: 'a dog on the grass',
      truncated: null,
    });
    expect(fitInputToModel(tokenizer, '<REGION_TO_CATEGORY>', '<loc_1><loc_2><loc_3><loc_4>')).toEqual({
      input: '<loc_1><loc_2><loc_3><loc_4>',
      truncated: null,
    });
  });

  it('cuts text too long for the encoder to the longest start that fits with the image and the prompt', () => {
    const typed = 'the quick brown fox jumps over the lazy dog '.repeat(200).trim();
    const fitted = fitInputToModel(tokenizer, '<CAPTION_TO_PHRASE_GROUNDING>', typed);
    if (!fitted.truncated) throw new Error('expected the text to be cut');
    const typedIds = tokenizer.encode(typed, { add_special_tokens: false });
    expect(fitted.truncated.originalTokens).toBe(typedIds.length);
    // The encoder reads the image tokens, <s>, the prompt with the text, </s>.
    const positions = (text: string) => imageTokens + 1 + count(buildPrompt('<CAPTION_TO_PHRASE_GROUNDING>', text)) + 1;
    const start = (tokens: number) => tokenizer.decode(typedIds.slice(0, tokens), { skip_special_tokens: true });
    expect(fitted.input).toBe(start(fitted.truncated.keptTokens));
    expect(positions(fitted.input)).toBeLessThanOrEqual(encoderPositions);
    expect(positions(start(fitted.truncated.keptTokens + 1))).toBeGreaterThan(encoderPositions);
    expect(typed.startsWith(fitted.input)).toBe(true);
  });
});
