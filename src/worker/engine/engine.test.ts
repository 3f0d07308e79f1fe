import { describe, expect, it } from 'vitest';
import { isOutOfMemory } from './engine';

describe('isOutOfMemory', () => {
  it('recognises how browsers, WebAssembly, ONNX Runtime and WebGPU report running out of memory', () => {
    for (const text of [
      'Array buffer allocation failed',
      'WebAssembly.Memory(): could not allocate memory',
      'RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded; failed to grow memory',
      "Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: std::bad_alloc",
      'Aborted(OOM). Build with -sASSERTIONS for more info.',
      'Cannot enlarge memory arrays to size 4294967296 bytes',
      'GPUOutOfMemoryError: Failed to allocate buffer',
      'Out of memory',
    ]) {
      expect(isOutOfMemory(text), text).toBe(true);
    }
  });

  it('does not mistake other failures for it', () => {
    for (const text of ['Failed to fetch', 'protobuf parsing failed', 'memory access out of bounds', 'Device lost']) {
      expect(isOutOfMemory(text), text).toBe(false);
    }
  });
});
