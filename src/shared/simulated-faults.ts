/**
 * Test-only failures, made to happen on purpose so each recovery path runs for real. The page's test
 * hooks give a fault to a model worker through the worker's name; the worker's entry wraps its engine
 * with it (src/worker/simulated-faults.ts). Nothing else in the app knows about faults.
 */

export const SIMULATED_FAULTS = {
  'webgpu-load': { strikesOnce: false, what: 'WebGPU fails while the model loads' },
  'webgpu-first-run': { strikesOnce: false, what: 'WebGPU fails on the first run after loading' },
  'webgpu-device-lost': {
    strikesOnce: true,
    what: 'the real GPU device is destroyed at the first token of the worker’s second WebGPU run',
  },
  'webgpu-device-lost-always': {
    strikesOnce: false,
    what: 'the real GPU device is destroyed at the first token of every WebGPU run, fresh devices included',
  },
  'out-of-memory': { strikesOnce: true, what: 'loading fails with the error V8 gives when an allocation fails' },
  'full-disk': { strikesOnce: false, what: 'every model file fails to be stored, as on a full disk' },
} as const satisfies Readonly<Record<string, { readonly strikesOnce: boolean; readonly what: string }>>;

export type SimulatedFault = keyof typeof SIMULATED_FAULTS;

export function isSimulatedFault(value: unknown): value is SimulatedFault {
  return typeof value === 'string' && Object.hasOwn(SIMULATED_FAULTS, value);
}

const WORKER_NAME = 'florence-2';

/** The name a model worker is started with; it carries the fault that worker simulates, if any. */
export function modelWorkerName(fault: SimulatedFault | null): string {
  return fault ? `${WORKER_NAME} fault=${fault}` : WORKER_NAME;
}

/** The fault a model worker was started to simulate, read back from its name. */
export function faultOfWorkerName(name: string): SimulatedFault | null {
  const fault = /\bfault=([\w-]+)$/.exec(name)?.[1];
  return isSimulatedFault(fault) ? fault : null;
}
