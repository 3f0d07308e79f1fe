import type { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { ImageFeatureCache } from './image-features';

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
