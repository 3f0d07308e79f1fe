/**
 * The real model worker and the app's session over it.
 */
import { modelFileUrl } from '../../shared/model-source';
import { modelWorkerName } from '../../shared/simulated-faults';
import { deleteCachedModel } from '../model-files/storage';
import { createModelSession, type ModelSession } from './model-session';
import type { WorkerPort } from './worker-client';

/** Starts the model worker; its name may carry a simulated fault (test hooks only). */
export function startModelWorker(name = modelWorkerName(null)): Worker {
  return new Worker(new URL('../../worker/florence.worker.ts', import.meta.url), { type: 'module', name });
}

/** A session over real workers, deleting damaged stored files from this origin's model cache. */
export function createBrowserModelSession(createWorker: () => WorkerPort = startModelWorker): ModelSession {
  return createModelSession({
    createWorker,
    deleteStoredModel: (source) => deleteCachedModel(modelFileUrl(source, '')),
  });
}
