import { describe, expect, it } from 'vitest';
import { fetchOnlyChangingOutputs } from './decoder-outputs';

const OUTPUTS = [
  'logits',
  'present.0.decoder.key',
  'present.0.decoder.value',
  'present.0.encoder.key',
  'present.0.encoder.value',
  'present.1.decoder.key',
  'present.1.encoder.value',
];

function fakeDecoder(outputNames = OUTPUTS) {
  const calls: unknown[][] = [];
  const session = {
    outputNames,
    run: async (...args: unknown[]) => {
      calls.push(args);
      return {};
    },
  };
  fetchOnlyChangingOutputs(session);
  return { session, calls };
}

const step = (cached: boolean) => ({
  use_cache_branch: { data: Uint8Array.of(cached ? 1 : 0) },
  inputs_embeds: { data: new Float32Array(4) },
});

describe('fetchOnlyChangingOutputs', () => {
  it('asks for every output on the first step, which computes the encoder cache', async () => {
    const { session, calls } = fakeDecoder();
    await session.run(step(false));
    expect(calls).toEqual([[step(false)]]);
  });

  it('leaves out the encoder cache on cached steps, keeping logits and the decoder cache', async () => {
    const { session, calls } = fakeDecoder();
    await session.run(step(true));
    expect(calls[0]?.[1]).toEqual([
      'logits',
      'present.0.decoder.key',
      'present.0.decoder.value',
      'present.1.decoder.key',
    ]);
  });

  it('does not touch a call that names its outputs or passes options', async () => {
    const { session, calls } = fakeDecoder();
    await session.run(step(true), ['logits']);
    await session.run(step(true), { logSeverityLevel: 3 });
    expect(calls.map((call) => call[1])).toEqual([['logits'], { logSeverityLevel: 3 }]);
  });

  it('does nothing to a decoder without an encoder cache', async () => {
    const names = ['logits', 'present.0.decoder.key'];
    const { session, calls } = fakeDecoder(names);
    await session.run(step(true));
    expect(calls[0]).toHaveLength(1);
  });
});
