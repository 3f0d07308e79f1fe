/**
 * The model worker's entry: the engine with its real parts, wrapped with a simulated fault when the
 * page's test hooks started this worker with one, and the request handler over the protocol.
 */
import { probeCapabilities } from '../shared/device/capabilities';
import type { WorkerRequest, WorkerResponse } from '../shared/protocol';
import { faultOfWorkerName } from '../shared/simulated-faults';
import { type EngineParts, FlorenceEngine } from './engine/florence-engine';
import { keepRuntimeFiles } from './engine/keep-runtime-files';
import { openModelFileStore } from './engine/model-file-cache';
import { runtimeFilesToKeep } from './engine/onnx-runtime';
import { loadTransformersRuntime } from './engine/runtime-loader';
import { createRequestHandler } from './handler';
import { withSimulatedFault } from './simulated-faults';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const parts: EngineParts = {
  probeCapabilities: () => probeCapabilities(scope),
  loadRuntime: loadTransformersRuntime,
  openFileStore: openModelFileStore,
  // For offline starts: the service worker keeps what it serves, but the page may not have been
  // under its control yet, and the plain build kept beside a WebGPU one is not served at all.
  keepRuntimeFiles: () => void keepRuntimeFiles(runtimeFilesToKeep()),
};
const fault = faultOfWorkerName(scope.name);
const engine = new FlorenceEngine(fault ? withSimulatedFault(parts, fault) : parts);

const handle = createRequestHandler(engine, (response: WorkerResponse) => scope.postMessage(response));
scope.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  void handle(event.data);
});
