/**
 * The cache transformers.js keeps model files in: the browser's Cache API, plus noticing when the
 * disk is full (transformers.js would only log it, and the model would download again every visit).
 */
import { MODEL_CACHE_NAME } from '../../model-files/cache-name';

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}

export class ModelFileCache {
  /** Set once a file could not be stored for want of space. */
  quotaExceeded = false;

  /** `simulateFullDisk` is a test hook: every store fails as it does on a full disk. */
  constructor(private readonly simulateFullDisk = false) {}

  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    const cache = await caches.open(MODEL_CACHE_NAME);
    return cache.match(request);
  }

  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    try {
      if (this.simulateFullDisk) throw new DOMException('Simulated full disk', 'QuotaExceededError');
      const cache = await caches.open(MODEL_CACHE_NAME);
      await cache.put(request, response);
    } catch (error) {
      if (isQuotaError(error)) this.quotaExceeded = true;
      throw error;
    }
  }
}
