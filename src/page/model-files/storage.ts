/**
 * What the browser keeps of downloaded models: how much space they take, what is left, whether the
 * storage is persistent, and deleting a model's files.
 */
import { MODEL_CACHE_NAME } from '../../shared/cache-names';

export interface CachedModel {
  /** The model folder's URL; every file of the model starts with it. */
  readonly folderUrl: string;
  readonly files: number;
  readonly bytes: number;
}

/** The model folder a cached file belongs to: its URL without the file name (and `onnx/`). */
export function modelFolderOf(fileUrl: string): string {
  const folder = fileUrl.slice(0, fileUrl.lastIndexOf('/') + 1);
  return folder.endsWith('/onnx/') ? folder.slice(0, -'onnx/'.length) : folder;
}

export async function listCachedModels(): Promise<CachedModel[]> {
  if (!('caches' in window)) return [];
  const cache = await caches.open(MODEL_CACHE_NAME);
  const models = new Map<string, { files: number; bytes: number }>();
  for (const request of await cache.keys()) {
    const folderUrl = modelFolderOf(request.url);
    const response = await cache.match(request);
    const bytes = Number(response?.headers.get('content-length') ?? 0);
    const entry = models.get(folderUrl) ?? { files: 0, bytes: 0 };
    models.set(folderUrl, { files: entry.files + 1, bytes: entry.bytes + (Number.isFinite(bytes) ? bytes : 0) });
  }
  return [...models.entries()].map(([folderUrl, entry]) => ({ folderUrl, ...entry }));
}

/** Deletes a model folder's stored files (page or worker); returns how many were deleted. */
export async function deleteCachedModel(folderUrl: string): Promise<number> {
  const cache = await caches.open(MODEL_CACHE_NAME);
  let deleted = 0;
  for (const request of await cache.keys()) {
    if (modelFolderOf(request.url) === folderUrl && (await cache.delete(request))) deleted++;
  }
  return deleted;
}

/** Whether every one of these file URLs is already stored. */
export async function allCached(fileUrls: readonly string[]): Promise<boolean> {
  if (!('caches' in window)) return false;
  const cache = await caches.open(MODEL_CACHE_NAME);
  const hits = await Promise.all(fileUrls.map((url) => cache.match(url)));
  return hits.every(Boolean);
}

export interface StorageState {
  readonly usage: number | null;
  readonly quota: number | null;
  readonly persisted: boolean;
}

export async function storageState(): Promise<StorageState> {
  const storage = navigator.storage;
  const [estimate, persisted] = await Promise.all([
    storage?.estimate?.().catch(() => null) ?? null,
    storage?.persisted?.().catch(() => false) ?? false,
  ]);
  return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted };
}

/** Asks the browser not to evict the models under storage pressure. */
export async function requestPersistentStorage(): Promise<boolean> {
  return (await navigator.storage?.persist?.().catch(() => false)) ?? false;
}
