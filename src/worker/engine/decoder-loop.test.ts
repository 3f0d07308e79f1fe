/**
 * What the decoder loop feeds the merged decoder, with a session that records it: batch sizes of
 * every input on the first and later steps, and the self-attention cache gathered in the beams' order.
 */
import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { createDecoderLoop } from './decoder-loop';
import type { FlorenceInternals } from './runtime';

const HEADS = 2;
const HEAD_SIZE = 1;
const VOCAB = 4;
const SEQUENCE = 3;

type Ort = { dims: readonly number[]; data: Float32Array | BigInt64Array | Uint8Array; type: string };
const ortOf = (tensor: Tensor) => (tensor as unknown as { ort_tensor: Ort }).ort_tensor;

/**
 * A decoder whose self-attention cache holds, for each row, the tokens it was fed (one value a
 * position); its logits are zeros. Records the batch size of every input of every call.
 */
function recordingInternals() {
  const calls: Record<string, number[]>[] = [];
  const caches: number[][][] = [];
  const pastShape = ['batch_size', HEADS, 'past_decoder_sequence_length', HEAD_SIZE];
  const session = {
    inputNames: [
      'encoder_attention_mask',
      'encoder_hidden_states',
      'inputs_embeds',
      'past_key_values.0.decoder.key',
      'past_key_values.0.encoder.key',
      'use_cache_branch',
    ],
    outputNames: ['logits', 'present.0.decoder.key', 'present.0.encoder.key'],
    inputMetadata: [
      { name: 'past_key_values.0.decoder.key', type: 'float32', shape: pastShape },
      { name: 'past_key_values.0.encoder.key', type: 'float32', shape: pastShape },
    ],
    run: async (feeds: Record<string, Ort>) => {
      calls.push(Object.fromEntries(Object.entries(feeds).map(([name, value]) => [name, [...value.dims]])));
      const embeds = feeds.inputs_embeds as Ort;
      const rows = embeds.dims[0] ?? 0;
      const past = feeds['past_key_values.0.decoder.key'] as Ort;
      const pastLength = past.dims[2] ?? 0;
      const present = new Float32Array(rows * HEADS * (pastLength + 1));
      const history: number[][] = [];
      for (let row = 0; row < rows; row++) {
        const kept: number[] = [];
        for (let head = 0; head < HEADS; head++) {
          for (let position = 0; position <= pastLength; position++) {
            const value =
              position < pastLength
                ? Number((past.data as Float32Array)[(row * HEADS + head) * pastLength + position])
                : Number((embeds.data as Float32Array)[row]);
            present[(row * HEADS + head) * (pastLength + 1) + position] = value;
            if (head === 0) kept.push(value);
          }
        }
        history.push(kept);
      }
      caches.push(history);
      const cached = (feeds.use_cache_branch?.data as Uint8Array | undefined)?.[0] === 1;
      const outputs: Record<string, Tensor> = {
        logits: new Tensor('float32', new Float32Array(rows * VOCAB), [rows, 1, VOCAB]),
        'present.0.decoder.key': new Tensor('float32', present, [rows, HEADS, pastLength + 1, HEAD_SIZE]),
      };
      if (!cached) {
        outputs['present.0.encoder.key'] = new Tensor('float32', new Float32Array(rows * HEADS * SEQUENCE), [
          rows,
          HEADS,
          SEQUENCE,
          HEAD_SIZE,
        ]);
      }
      return Object.fromEntries(Object.entries(outputs).map(([name, tensor]) => [name, ortOf(tensor)]));
    },
  };
  const internals = {
    sessions: { decoder_model_merged: session },
    // The embedding of a token is the token id itself, so the cache shows which tokens a row was fed.
    encode_text: async ({ input_ids }: { input_ids: Tensor }) => {
      const ids = Array.from(ortOf(input_ids).data as BigInt64Array, Number);
      return new Tensor('float32', Float32Array.from(ids), [ids.length, 1, 1]);
    },
  } as unknown as FlorenceInternals;
  const encoderOutput = new Tensor('float32', new Float32Array(SEQUENCE), [1, SEQUENCE, 1]);
  const encoderMask = new Tensor('int64', new BigInt64Array(SEQUENCE).fill(1n), [1, SEQUENCE]);
  return { internals, encoderOutput, encoderMask, calls, caches };
}

describe('decoder loop', () => {
  for (const batchFirstStep of [false, true]) {
    it(`feeds every input with a row per beam, and gathers each beam's cache (first step ${batchFirstStep ? 'batched' : 'once'})`, async () => {
      const { internals, encoderOutput, encoderMask, calls, caches } = recordingInternals();
      const loop = createDecoderLoop(internals, encoderOutput, encoderMask, { batchFirstStep });
      const first = await loop.step({ tokens: [2, 2, 2], sources: null });
      expect(first).toHaveLength(3);
      const firstRows = batchFirstStep ? 3 : 1;
      // The empty cache, the encoder states and the mask all have the first call's rows.
      for (const name of ['inputs_embeds', 'encoder_hidden_states', 'encoder_attention_mask']) {
        expect(calls[0]?.[name]?.[0], name).toBe(firstRows);
      }
      expect(calls[0]?.['past_key_values.0.decoder.key']).toEqual([firstRows, HEADS, 0, HEAD_SIZE]);

      // Every beam continues row 0; then beam 0 continues beam 2, beam 1 beam 0, beam 2 beam 0.
      await loop.step({ tokens: [10, 11, 12], sources: [0, 0, 0] });
      await loop.step({ tokens: [20, 21, 22], sources: [2, 0, 0] });
      for (const call of calls.slice(1)) {
        for (const [name, dims] of Object.entries(call)) {
          if (name !== 'use_cache_branch') expect(dims[0], name).toBe(3);
        }
      }
      expect(caches[2]).toEqual([
        [2, 12, 20],
        [2, 10, 21],
        [2, 10, 22],
      ]);
      loop.dispose();
    });
  }
});
