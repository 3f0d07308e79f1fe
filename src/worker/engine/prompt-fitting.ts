/**
 * Cuts the person's text so the whole prompt fits the encoder, rather than letting the model fail
 * on an over-long sequence; the answer says how much was kept.
 */
import { buildPrompt, getTask, type TaskToken } from '../../shared/florence/tasks';

/** The tokenizer calls used here (transformers.js's PreTrainedTokenizer has them). */
export interface PromptTokenizer {
  encode(text: string, options: { add_special_tokens: false }): number[];
  decode(ids: number[], options: { skip_special_tokens: true }): string;
}

// BART's learned positions: image tokens and prompt tokens together must fit.
export const MAX_ENCODER_POSITIONS = 1024;
export const IMAGE_TOKENS = 577;
// The tokenizer adds <s> and </s> around the prompt.
const SPECIAL_TOKENS_AROUND_PROMPT = 2;

export interface FittedInput {
  readonly input: string;
  readonly truncated: { readonly keptTokens: number; readonly originalTokens: number } | null;
}

export function fitInputToModel(tokenizer: PromptTokenizer, task: TaskToken, taskInput: string): FittedInput {
  if (getTask(task).input !== 'text' || !taskInput) return { input: taskInput, truncated: null };
  const tokenIds = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
  const available = MAX_ENCODER_POSITIONS - IMAGE_TOKENS - SPECIAL_TOKENS_AROUND_PROMPT;
  // Measured on the whole prompt: the prompt and the text tokenise differently apart than together.
  const fits = (text: string) => tokenIds(buildPrompt(task, text)).length <= available;
  if (fits(taskInput)) return { input: taskInput, truncated: null };
  const inputIds = tokenIds(taskInput);
  const prefix = (tokens: number) => tokenizer.decode(inputIds.slice(0, tokens), { skip_special_tokens: true });
  // The longest prefix of the text that fits, by bisection (the prompt alone always fits).
  let longest = 0;
  let tooLong = inputIds.length;
  while (tooLong - longest > 1) {
    const middle = Math.floor((longest + tooLong) / 2);
    if (fits(prefix(middle))) longest = middle;
    else tooLong = middle;
  }
  return { input: prefix(longest), truncated: { keptTokens: longest, originalTokens: inputIds.length } };
}
