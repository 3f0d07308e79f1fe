import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestModel } from '../../../e2e/support/test-model/write-test-model';
import { buildPrompt } from '../../shared/florence/tasks';
import { fitInputToModel, IMAGE_TOKENS, MAX_ENCODER_POSITIONS, type PromptTokenizer } from './prompt-fitting';

let root = '';
let tokenizer: PromptTokenizer;
const count = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).length;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'prompt-fitting-'));
  await makeTestModel(join(root, 'tiny'));
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${root}/`;
  tokenizer = (await AutoTokenizer.from_pretrained('tiny')) as unknown as PromptTokenizer;
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

  it('cuts text too long for the encoder so image, prompt and text fill exactly its 1024 positions', () => {
    const typed = 'the quick brown fox jumps over the lazy dog '.repeat(200).trim();
    const fitted = fitInputToModel(tokenizer, '<CAPTION_TO_PHRASE_GROUNDING>', typed);
    if (!fitted.truncated) throw new Error('expected the text to be cut');
    expect(fitted.truncated.originalTokens).toBe(count(typed));
    // <s> and </s>, the prompt's own words, the 577 image tokens: what is left is the text's share.
    const promptTokens = count(buildPrompt('<CAPTION_TO_PHRASE_GROUNDING>', '')) + 2;
    expect(fitted.truncated.keptTokens).toBe(MAX_ENCODER_POSITIONS - IMAGE_TOKENS - promptTokens);
    expect(count(fitted.input)).toBe(fitted.truncated.keptTokens);
    expect(typed.startsWith(fitted.input)).toBe(true);
  });
});
