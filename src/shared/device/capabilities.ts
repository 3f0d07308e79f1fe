import type { DeviceCapabilities } from './policy';

// The subset of the WebGPU API the probe reads; the full typings are not needed for this.
interface GpuAdapterLike {
  readonly features: { has(feature: string): boolean };
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/**
 * The globals the probe reads, as the page (`window`) and a worker (`self`) both have them; passed in,
 * so this module uses no thread's globals.
 */
export interface CapabilityHost {
  readonly navigator: {
    readonly hardwareConcurrency?: number;
    readonly deviceMemory?: number;
    readonly gpu?: GpuLike;
  };
  readonly WebAssembly?: object;
}

async function probeWebgpu(gpu: GpuLike | undefined): Promise<DeviceCapabilities['webgpu']> {
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
export async function probeCapabilities(host: CapabilityHost): Promise<DeviceCapabilities> {
  const { deviceMemory, hardwareConcurrency, gpu } = host.navigator;
  const wasm = host.WebAssembly;
  return {
    webgpu: await probeWebgpu(gpu),
    logicalCores: hardwareConcurrency || 1,
    deviceMemoryGb: typeof deviceMemory === 'number' ? deviceMemory : null,
    jspi: typeof wasm === 'object' && 'Suspending' in wasm && 'promising' in wasm,
  };
}
