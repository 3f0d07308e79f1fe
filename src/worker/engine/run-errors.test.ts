import { describe, expect, it } from 'vitest';
import { isOutOfMemory } from './engine';
import { classifyRunError } from './run-errors';

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

describe('classifyRunError', () => {
  const onWebgpu = { device: 'webgpu', gpuDeviceLost: null, cancelled: false } as const;

  it('a destroyed or lost GPU device, from the browser’s report or from the runtime’s error', () => {
    const reported = classifyRunError(new Error('anything'), {
      ...onWebgpu,
      gpuDeviceLost: 'GPU device lost (destroyed): Device was destroyed.',
    });
    expect([reported.code, reported.detail]).toEqual([
      'gpu-device-lost',
      'GPU device lost (destroyed): Device was destroyed.',
    ]);
    expect(classifyRunError(new Error('[WebGPU] Device is lost'), onWebgpu).code).toBe('gpu-device-lost');
    // On WASM there is no GPU device to lose.
    expect(classifyRunError(new Error('Device is lost'), { ...onWebgpu, device: 'wasm' }).code).toBe(
      'generation-failed',
    );
  });

  it('cancellation, memory, and any other failure, each with the device it ran on', () => {
    expect(classifyRunError(new Error('aborted'), { ...onWebgpu, cancelled: true }).code).toBe('cancelled');
    const oom = classifyRunError(new RangeError('Array buffer allocation failed'), { ...onWebgpu, device: 'wasm' });
    expect([oom.code, oom.device]).toEqual(['out-of-memory', 'wasm']);
    const other = classifyRunError(new Error('Simulated WebGPU failure on the first run'), onWebgpu);
    expect([other.code, other.device, other.detail]).toEqual([
      'generation-failed',
      'webgpu',
      'Simulated WebGPU failure on the first run',
    ]);
  });
});
