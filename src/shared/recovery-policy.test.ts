import { describe, expect, it } from 'vitest';
import type { Device } from './device/policy';
import type { ErrorCode } from './protocol';
import {
  afterRecovery,
  decideRecovery,
  type Failure,
  NO_RECOVERY_YET,
  type Recovery,
  type RecoveryHistory,
} from './recovery-policy';

const failure = (
  operation: Failure['operation'],
  code: ErrorCode,
  device: Device | null,
  history: Partial<RecoveryHistory> = {},
  completedRuns = 0,
): Failure => ({ operation, code, device, completedRuns, history: { ...NO_RECOVERY_YET, ...history } });

const reportOnly: Recovery = { action: 'report', restartWorker: false, offerSmallerChoice: false };

describe('recovery after a failed load', () => {
  it('moves to WASM once when WebGPU fails for a reason WASM may not share', () => {
    for (const code of ['model-load-failed', 'internal', 'out-of-memory'] as const) {
      expect(decideRecovery(failure('load', code, 'webgpu'))).toEqual({
        action: 'reload',
        device: 'wasm',
        repairStoredFiles: false,
        cause: 'webgpu-failed-to-load',
      });
    }
    // Already moved: WebGPU is not to blame a second time.
    expect(decideRecovery(failure('load', 'model-load-failed', 'webgpu', { movedToWasm: true }))).toEqual(reportOnly);
  });

  it('reports failures of the files or the network on any device', () => {
    for (const code of ['model-not-found', 'network', 'invalid-request', 'cancelled'] as const) {
      for (const device of ['webgpu', 'wasm', null] as const) {
        expect(decideRecovery(failure('load', code, device)), `${code} on ${device}`).toEqual(reportOnly);
      }
    }
    expect(decideRecovery(failure('load', 'model-load-failed', 'wasm'))).toEqual(reportOnly);
  });

  it('repairs damaged stored files once, on the same device', () => {
    expect(decideRecovery(failure('load', 'damaged-model-files', 'webgpu'))).toEqual({
      action: 'reload',
      device: 'same',
      repairStoredFiles: true,
      cause: 'damaged-model-files',
    });
    expect(decideRecovery(failure('load', 'damaged-model-files', 'wasm', { repaired: true }))).toEqual(reportOnly);
    // Unreadable on WebGPU even after a fresh download: WASM may read it.
    expect(decideRecovery(failure('load', 'damaged-model-files', 'webgpu', { repaired: true }))).toMatchObject({
      action: 'reload',
      device: 'wasm',
      cause: 'webgpu-failed-to-load',
    });
  });

  it('retries a crash once, then offers a smaller choice', () => {
    expect(decideRecovery(failure('load', 'worker-crashed', null))).toMatchObject({
      action: 'reload',
      device: 'same',
      cause: 'worker-crashed',
    });
    expect(decideRecovery(failure('load', 'worker-crashed', null, { crashes: 1 }))).toEqual({
      action: 'report',
      restartWorker: false,
      offerSmallerChoice: true,
    });
  });

  it('offers a smaller choice when the model does not fit on WASM', () => {
    expect(decideRecovery(failure('load', 'out-of-memory', 'wasm'))).toEqual({
      action: 'report',
      restartWorker: false,
      offerSmallerChoice: true,
    });
  });
});

describe('recovery after a failed run', () => {
  it('a lost GPU device: a fresh device first, then WASM, then it gives up', () => {
    expect(decideRecovery(failure('run', 'gpu-device-lost', 'webgpu'))).toEqual({
      action: 'reload',
      device: 'same',
      repairStoredFiles: false,
      cause: 'gpu-device-lost',
    });
    expect(decideRecovery(failure('run', 'gpu-device-lost', 'webgpu', { lostDevices: 1 }))).toEqual({
      action: 'reload',
      device: 'wasm',
      repairStoredFiles: false,
      cause: 'gpu-device-lost-again',
    });
    expect(decideRecovery(failure('run', 'gpu-device-lost', 'webgpu', { lostDevices: 2, movedToWasm: true }))).toEqual(
      reportOnly,
    );
  });

  it('WebGPU failing on the first run moves to WASM and runs again; after runs that worked it is reported', () => {
    expect(decideRecovery(failure('run', 'generation-failed', 'webgpu', {}, 0))).toEqual({
      action: 'reload',
      device: 'wasm',
      repairStoredFiles: false,
      cause: 'webgpu-failed-on-first-run',
    });
    expect(decideRecovery(failure('run', 'generation-failed', 'webgpu', {}, 3))).toEqual(reportOnly);
    expect(decideRecovery(failure('run', 'generation-failed', 'wasm', {}, 0))).toEqual(reportOnly);
    // A problem of the browser itself (no canvas in workers, say) is not WebGPU's.
    expect(decideRecovery(failure('run', 'internal', 'webgpu', {}, 0))).toEqual(reportOnly);
  });

  it('a crash fails the run and restarts the worker; running out of memory offers a smaller choice', () => {
    expect(decideRecovery(failure('run', 'worker-crashed', 'wasm'))).toEqual({
      action: 'report',
      restartWorker: true,
      offerSmallerChoice: false,
    });
    expect(decideRecovery(failure('run', 'out-of-memory', 'webgpu'))).toEqual({
      action: 'report',
      restartWorker: false,
      offerSmallerChoice: true,
    });
  });

  it('reports what no recovery can change', () => {
    for (const code of ['cancelled', 'image-unreadable', 'invalid-request', 'not-loaded'] as const) {
      expect(decideRecovery(failure('run', code, 'webgpu')), code).toEqual(reportOnly);
    }
  });
});

describe('recovery while idle', () => {
  it('a worker that dies with nothing to do is restarted and the model reloaded', () => {
    expect(decideRecovery(failure('idle', 'worker-crashed', 'wasm'))).toEqual({
      action: 'reload',
      device: 'same',
      repairStoredFiles: false,
      cause: 'worker-crashed',
    });
  });
});

describe('the history after a recovery', () => {
  it('counts crashes and lost devices, and remembers repairs and the move to WASM', () => {
    const afterCrash = afterRecovery(NO_RECOVERY_YET, decideRecovery(failure('load', 'worker-crashed', null)));
    expect(afterCrash).toEqual({ crashes: 1, lostDevices: 0, repaired: false, movedToWasm: false });
    const afterLoss = afterRecovery(NO_RECOVERY_YET, decideRecovery(failure('run', 'gpu-device-lost', 'webgpu')));
    const afterSecondLoss = afterRecovery(
      afterLoss,
      decideRecovery(failure('run', 'gpu-device-lost', 'webgpu', afterLoss)),
    );
    expect(afterSecondLoss).toEqual({ crashes: 0, lostDevices: 2, repaired: false, movedToWasm: true });
    const afterRepair = afterRecovery(NO_RECOVERY_YET, decideRecovery(failure('load', 'damaged-model-files', 'wasm')));
    expect(afterRepair.repaired).toBe(true);
    expect(afterRecovery(afterRepair, reportOnly)).toBe(afterRepair);
  });
});
