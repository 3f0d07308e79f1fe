/**
 * The sweep page: reads what to measure from the query string, runs it in a module worker (where the
 * app runs the model too) when `window.startSweep()` is called, so the benchmark can read the idle
 * memory first, and leaves the answer on `window.sweepResult`.
 */
import type { SweepRequest, SweepResponse } from './protocol';

const params = new URLSearchParams(location.search);
const request: SweepRequest = {
  fileUrl: new URL(params.get('file') ?? '', location.href).href,
  subModel: params.get('sub-model') as SweepRequest['subModel'],
  device: params.get('device') === 'webgpu' ? 'webgpu' : 'wasm',
  build: (params.get('build') ?? 'plain') as SweepRequest['build'],
  threads: Number(params.get('threads') ?? '1'),
  calls: Number(params.get('calls') ?? '3'),
};
const worker = new Worker(new URL('./sweep.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<SweepResponse>) => {
  (window as unknown as { sweepResult: SweepResponse }).sweepResult = event.data;
  const status = document.getElementById('status');
  if (status) status.textContent = JSON.stringify(event.data);
};
worker.onerror = (event) => {
  (window as unknown as { sweepResult: SweepResponse }).sweepResult = { ok: false, error: event.message };
};
(window as unknown as { startSweep: () => void }).startSweep = () => worker.postMessage(request);
