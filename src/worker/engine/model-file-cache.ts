/**
 * The cache transformers.js keeps model files in: the browser's Cache API, plus noticing when the
 * disk is full (transformers.js would only log it, and the model would download again every visit).
 */
import { MODEL_CACHE_NAME } from '../../shared/cache-names';

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

/** The model folder a cached file belongs to: its URL without the file name (and `onnx/`). */
function modelFolderOf(fileUrl: string): string {
  const folder = fileUrl.slice(0, fileUrl.lastIndexOf('/') + 1);
  return folder.endsWith('/onnx/') ? folder.slice(0, -'onnx/'.length) : folder;
}

/** Deletes a model folder's stored files; returns how many were deleted. */
export async function deleteCachedModel(folderUrl: string): Promise<number> {
  const cache = await caches.open(MODEL_CACHE_NAME);
  let deleted = 0;
  for (const request of await cache.keys()) {
    if (modelFolderOf(request.url) === folderUrl && (await cache.delete(request))) deleted++;
  }
  return deleted;
}
