import type { RawImage, Tensor } from '@huggingface/transformers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunPhase } from '../../shared/protocol';
import { decodeImage } from './decode-image';
import { ImageFeatureCache, imageFeaturesFor } from './image-features';
import type { Runtime } from './runtime';

// Decoding needs a browser; here it is a stand-in that takes a known time.
vi.mock('./decode-image', () => ({ decodeImage: vi.fn() }));

function fakeFeatures(): Tensor & { disposed: boolean } {
  const tensor = {
    disposed: false,
    dispose() {
      tensor.disposed = true;
    },
  };
  return tensor as unknown as Tensor & { disposed: boolean };
}

const size = { width: 10, height: 10 };

describe('ImageFeatureCache', () => {
  it('frees the features it drops: the least recently used, and one replaced under the same key', () => {
    const cache = new ImageFeatureCache(2);
    const [a, b, c, aAgain] = [fakeFeatures(), fakeFeatures(), fakeFeatures(), fakeFeatures()];
    cache.set('a', { size, features: a });
    cache.set('b', { size, features: b });
    cache.get('a');
    cache.set('c', { size, features: c });
    expect(b.disposed).toBe(true);
    expect(cache.get('b')).toBeUndefined();
    cache.set('a', { size, features: aAgain });
    expect(a.disposed).toBe(true);
    expect(cache.get('a')?.features).toBe(aAgain);
    expect([c.disposed, aAgain.disposed]).toEqual([false, false]);
  });
});

describe('imageFeaturesFor', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Every stage advances a fake clock by a known time: decode 100, resize 40, the rest of preprocessing 10, vision 7. */
  function stagedRuntime() {
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const phases: [RunPhase, number][] = [];
    const image = {
      width: 4000,
      height: 3000,
      channels: 3,
      async resize() {
        now += 40;
        return image;
      },
    };
    vi.mocked(decodeImage)
      .mockClear()
      .mockImplementation(async () => {
        now += 100;
        return { image: image as unknown as RawImage, size: { width: 4000, height: 3000 } };
      });
    // As transformers.js's image processor does: RGB conversion (the same image), then resize, then normalise.
    const imageProcessor = async (input: RawImage) => {
      now += 5;
      await input.resize(768, 768);
      now += 5;
      return { pixel_values: {} as Tensor };
    };
    const runtime = {
      processor: { image_processor: imageProcessor },
      model: {
        async encode_image() {
          now += 7;
          return fakeFeatures();
        },
      },
    } as unknown as Runtime;
    return { runtime, phases, onPhase: (phase: RunPhase) => phases.push([phase, now]) };
  }

  it('times each stage before the vision encoder on its own, and says when the encoder starts', async () => {
    const { runtime, phases, onPhase } = stagedRuntime();
    const result = await imageFeaturesFor(runtime, new ImageFeatureCache(), new Blob(['photo']), false, onPhase);
    expect(result).toMatchObject({
      cached: false,
      readFileMs: 0,
      decodeImageMs: 100,
      preprocessMs: 50,
      resizeMs: 40,
      visionEncoderMs: 7,
    });
    // After reading (0), decoding (100) and preprocessing (50): at 1150 on the fake clock.
    expect(phases).toEqual([['encoding-image', 1150]]);
  });

  it('features found in the cache skip every image stage but the reading of the file', async () => {
    const { runtime, phases, onPhase } = stagedRuntime();
    const cache = new ImageFeatureCache();
    await imageFeaturesFor(runtime, cache, new Blob(['photo']), false);
    const again = await imageFeaturesFor(runtime, cache, new Blob(['photo']), false, onPhase);
    expect(again).toMatchObject({ cached: true, decodeImageMs: 0, preprocessMs: 0, resizeMs: 0, visionEncoderMs: 0 });
    expect(vi.mocked(decodeImage)).toHaveBeenCalledTimes(1);
    expect(phases).toEqual([]);
  });
});
