/**
 * A loaded Florence-2 as the engine uses it: transformers.js's model, processor and tokenizer.
 */
import type {
  Florence2ForConditionalGeneration,
  PreTrainedTokenizer,
  Processor,
  Tensor,
} from '@huggingface/transformers';

export interface Runtime {
  readonly model: Florence2ForConditionalGeneration;
  readonly processor: Processor;
  readonly tokenizer: PreTrainedTokenizer;
}

/** The model methods used here; transformers.js marks them internal, so they are typed narrowly. */
export interface FlorenceInternals {
  encode_image(inputs: { pixel_values: Tensor }): Promise<Tensor>;
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  _merge_input_ids_with_image_features(inputs: {
    inputs_embeds: Tensor;
    image_features: Tensor;
    input_ids: Tensor;
    attention_mask: Tensor;
  }): { inputs_embeds: Tensor; attention_mask: Tensor };
  sessions: Record<string, { run: (...args: unknown[]) => Promise<unknown> }>;
}
