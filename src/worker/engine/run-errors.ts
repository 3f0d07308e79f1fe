/**
 * What went wrong when a run failed, from the error transformers.js or ONNX Runtime gave and what
 * the browser said of the GPU device.
 */
import type { Device } from '../../shared/device/policy';
import { EngineError, errorText, isOutOfMemory } from './engine';

export interface RunContext {
  readonly device: Device;
  /** Set once the browser reported the WebGPU device lost (driver reset, GPU removed, memory pressure). */
  readonly gpuDeviceLost: string | null;
  readonly cancelled: boolean;
}

const DEVICE_GONE = /device (is |was |has been )?(lost|destroyed)|Device is lost|instance dropped/i;

export function classifyRunError(error: unknown, context: RunContext): EngineError {
  const { device } = context;
  if (context.cancelled) return new EngineError('cancelled', 'The run was cancelled.', undefined, device);
  const text = errorText(error);
  if (device === 'webgpu' && (context.gpuDeviceLost || DEVICE_GONE.test(text))) {
    return new EngineError(
      'gpu-device-lost',
      'The graphics device was lost during the run.',
      context.gpuDeviceLost ?? text,
      device,
    );
  }
  if (error instanceof EngineError) {
    return error.device ? error : new EngineError(error.code, error.message, error.detail, device);
  }
  if (isOutOfMemory(text)) {
    return new EngineError(
      'out-of-memory',
      'There was not enough memory to answer. A smaller model choice needs less.',
      text,
      device,
    );
  }
  return new EngineError('generation-failed', 'The model failed while answering.', text, device);
}
