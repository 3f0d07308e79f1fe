import type { DeviceCapabilities } from '../core/device/policy';

// The subset of the WebGPU API the probe reads; the full typings are not needed for this.
interface GpuAdapterLike {
  readonly features: { has(feature: string): boolean };
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

export async function probeCapabilities(): Promise<DeviceCapabilities> {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return { webgpu: null };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { webgpu: null };
    const info = adapter.info;
    const adapterName = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'GPU';
    return { webgpu: { shaderF16: adapter.features.has('shader-f16'), adapterName } };
  } catch {
    return { webgpu: null };
  }
}
