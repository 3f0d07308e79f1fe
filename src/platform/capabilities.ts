import type { DeviceCapabilities } from '../core/device/policy';

// The subset of the WebGPU API the probe reads; the full typings are not needed for this.
interface GpuAdapterLike {
  readonly features: { has(feature: string): boolean };
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

async function probeWebgpu(): Promise<DeviceCapabilities['webgpu']> {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    const info = adapter.info;
    const adapterName = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'GPU';
    return { shaderF16: adapter.features.has('shader-f16'), adapterName };
  } catch {
    return null;
  }
}

/** What this browser offers; the same answer on the page and in the worker, so both choose alike. */
export async function probeCapabilities(): Promise<DeviceCapabilities> {
  const { deviceMemory, hardwareConcurrency } = navigator as Navigator & { deviceMemory?: number };
  return {
    webgpu: await probeWebgpu(),
    logicalCores: hardwareConcurrency || 1,
    deviceMemoryGb: typeof deviceMemory === 'number' ? deviceMemory : null,
    jspi: typeof WebAssembly === 'object' && 'Suspending' in WebAssembly && 'promising' in WebAssembly,
  };
}
