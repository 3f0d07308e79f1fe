/**
 * Which of ONNX Runtime Web's WebAssembly builds the worker loads, served by this app (never a CDN),
 * so the runtime works offline and under a strict CSP. Only the build the device uses is downloaded.
 */
import asyncifyMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import asyncifyWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import jspiMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jspi.mjs?url';
import jspiWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jspi.wasm?url';
import plainMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { RuntimeBuild } from '../../shared/device/policy';

const BUILD_FILES: Readonly<Record<RuntimeBuild, { readonly mjs: string; readonly wasm: string }>> = {
  plain: { mjs: plainMjsUrl, wasm: plainWasmUrl },
  jspi: { mjs: jspiMjsUrl, wasm: jspiWasmUrl },
  asyncify: { mjs: asyncifyMjsUrl, wasm: asyncifyWasmUrl },
};

/** The part of ONNX Runtime's `env.wasm` set here. */
export interface OnnxWasmFlags {
  wasmPaths?: unknown;
  numThreads?: number;
}

let loadedBuild: RuntimeBuild | null = null;

/**
 * The .wasm files to keep for offline starts, once configured: the build in use and, beside a WebGPU
 * build, the plain one, for a later visit that must run on WASM (no adapter that day, WASM chosen) and
 * starts a worker with the plain build.
 */
export function runtimeFilesToKeep(): string[] {
  if (!loadedBuild) return [];
  const builds: RuntimeBuild[] = loadedBuild === 'plain' ? ['plain'] : [loadedBuild, 'plain'];
  return builds.map((build) => new URL(BUILD_FILES[build].wasm, self.location.href).href);
}

/**
 * Points ONNX Runtime at a build and sets its thread count. The runtime is instantiated once per
 * worker, at its first session: later calls cannot change the build, so the one in use is returned.
 */
export function configureOnnxRuntime(flags: OnnxWasmFlags, build: RuntimeBuild, threads: number): RuntimeBuild {
  if (loadedBuild === null) {
    const files = BUILD_FILES[build];
    flags.wasmPaths = {
      mjs: new URL(files.mjs, self.location.href).href,
      wasm: new URL(files.wasm, self.location.href).href,
    };
    flags.numThreads = threads;
    loadedBuild = build;
  }
  return loadedBuild;
}
