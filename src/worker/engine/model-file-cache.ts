/**
 * The cache transformers.js keeps model files in: the browser's Cache API, plus noticing when the
 * disk is full (transformers.js would only log it, and the model would download again every visit).
 */
import { MODEL_CACHE_NAME } from '../../shared/cache-names';

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}

/** The two Cache API calls used; the simulated full disk substitutes its own `put`. */
export type FileStore = Pick<Cache, 'match' | 'put'>;

export const openModelFileStore = (): Promise<FileStore> => caches.open(MODEL_CACHE_NAME);

export class ModelFileCache {
  /** Set once a file could not be stored for want of space. */
  quotaExceeded = false;

  constructor(private readonly openStore: () => Promise<FileStore> = openModelFileStore) {}

  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    return (await this.openStore()).match(request);
  }

  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    try {
      await (await this.openStore()).put(request, response);
    } catch (error) {
      if (isQuotaError(error)) this.quotaExceeded = true;
      throw error;
    }
  }
}
