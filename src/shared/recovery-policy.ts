/**
 * The one place that decides what the model session does when a load or a run fails: report it,
 * or start a fresh worker (the same device, or WASM) and try again, and whether the run is sent
 * again afterwards. Pure, so every path is unit-tested; the session only carries out the decision.
 */
import type { Device } from './device/policy';
import type { ErrorCode } from './protocol';

export interface RecoveryHistory {
  /** Times the worker died during this load. */
  readonly crashes: number;
  /** GPU devices lost during this run. */
  readonly lostDevices: number;
  /** The model's stored files were already deleted and downloaded again. */
  readonly repaired: boolean;
  /** The model was already moved to WASM because WebGPU failed. */
  readonly movedToWasm: boolean;
}

export const NO_RECOVERY_YET: RecoveryHistory = { crashes: 0, lostDevices: 0, repaired: false, movedToWasm: false };

export interface Failure {
  /** 'idle': the worker died with no load or run in progress. */
  readonly operation: 'load' | 'run' | 'idle';
  readonly code: ErrorCode;
  /** The device the failed work ran on (for a load, the device it was tried on), when known. */
  readonly device: Device | null;
  /** Runs this model completed before the failure (runs only; 0 for a load). */
  readonly completedRuns: number;
  readonly history: RecoveryHistory;
}

/** Why a recovery happens; the session words its notices and the fallback reason after it. */
export type RecoveryCause =
  | 'worker-crashed'
  | 'damaged-model-files'
  | 'webgpu-failed-to-load'
  | 'webgpu-failed-on-first-run'
  | 'gpu-device-lost'
  | 'gpu-device-lost-again';

export type Recovery =
  | {
      readonly action: 'report';
      /** The worker died: after reporting, start a fresh one and reload the model from this device. */
      readonly restartWorker: boolean;
      /** The model did not fit: the caller is offered the next smaller choice. */
      readonly offerSmallerChoice: boolean;
    }
  | {
      /**
       * Start a fresh worker and load the caller's request again; after a failed run, the run is
       * then sent again.
       */
      readonly action: 'reload';
      readonly device: 'same' | 'wasm';
      /** Delete the model's stored files first, so they are downloaded again. */
      readonly repairStoredFiles: boolean;
      readonly cause: RecoveryCause;
    };

const report = (options: { restartWorker?: boolean; offerSmallerChoice?: boolean } = {}): Recovery => ({
  action: 'report',
  restartWorker: options.restartWorker ?? false,
  offerSmallerChoice: options.offerSmallerChoice ?? false,
});

const reload = (cause: RecoveryCause, device: 'same' | 'wasm', repairStoredFiles = false): Recovery => ({
  action: 'reload',
  device,
  repairStoredFiles,
  cause,
});

/** Failures of the files or the network repeat on any device; moving to WASM would not help. */
const SAME_ON_EVERY_DEVICE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'model-not-found',
  'network',
  'damaged-model-files',
  'invalid-request',
  'cancelled',
  'worker-crashed',
]);

/** A failure on WebGPU that WASM may not have: the first time, the model moves to WASM. */
function webgpuMayBeAtFault(failure: Failure): boolean {
  return failure.device === 'webgpu' && !failure.history.movedToWasm && !SAME_ON_EVERY_DEVICE.has(failure.code);
}

function decideForLoad(failure: Failure): Recovery {
  switch (failure.code) {
    case 'worker-crashed':
      // Once may be bad luck; twice in one load usually means the tab ran out of memory.
      return failure.history.crashes === 0 ? reload('worker-crashed', 'same') : report({ offerSmallerChoice: true });
    case 'damaged-model-files':
      if (!failure.history.repaired) return reload('damaged-model-files', 'same', true);
      // Still unreadable after a fresh download (or nothing was stored to delete): on WebGPU the
      // runtime may be refusing a file that WASM reads.
      return failure.device === 'webgpu' && !failure.history.movedToWasm
        ? reload('webgpu-failed-to-load', 'wasm')
        : report();
    default:
      if (webgpuMayBeAtFault(failure)) return reload('webgpu-failed-to-load', 'wasm');
      return report({ offerSmallerChoice: failure.code === 'out-of-memory' });
  }
}

/** After this many lost GPU devices in one run, the run moves to WASM; after one more, it gives up. */
export const LOST_DEVICES_BEFORE_WASM = 1;

function decideForRun(failure: Failure): Recovery {
  switch (failure.code) {
    case 'cancelled':
      return report();
    case 'worker-crashed':
      return report({ restartWorker: true });
    case 'gpu-device-lost':
      // ONNX Runtime keeps its first GPU device for the life of a worker: a fresh device needs a fresh worker.
      if (failure.history.lostDevices < LOST_DEVICES_BEFORE_WASM) {
        return reload('gpu-device-lost', 'same');
      }
      if (!failure.history.movedToWasm) return reload('gpu-device-lost-again', 'wasm');
      return report();
    case 'out-of-memory':
      return report({ offerSmallerChoice: true });
    case 'generation-failed':
      // Failing on the very first WebGPU run points at WebGPU (an operator or shader it lacks); after
      // runs that worked, it points at this input, which WASM would not answer either.
      if (failure.completedRuns === 0 && webgpuMayBeAtFault(failure)) {
        return reload('webgpu-failed-on-first-run', 'wasm');
      }
      return report();
    default:
      return report();
  }
}

export function decideRecovery(failure: Failure): Recovery {
  switch (failure.operation) {
    case 'load':
      return decideForLoad(failure);
    case 'run':
      return decideForRun(failure);
    case 'idle':
      // The model was loaded and nothing was asked of it: bring it back from this device.
      return failure.code === 'worker-crashed' ? reload('worker-crashed', 'same') : report();
  }
}

/** The history after carrying out a reload decision. */
export function afterRecovery(history: RecoveryHistory, recovery: Recovery): RecoveryHistory {
  if (recovery.action !== 'reload') return history;
  return {
    crashes: history.crashes + (recovery.cause === 'worker-crashed' ? 1 : 0),
    lostDevices:
      history.lostDevices +
      (recovery.cause === 'gpu-device-lost' || recovery.cause === 'gpu-device-lost-again' ? 1 : 0),
    repaired: history.repaired || recovery.repairStoredFiles,
    movedToWasm: history.movedToWasm || recovery.device === 'wasm',
  };
}
