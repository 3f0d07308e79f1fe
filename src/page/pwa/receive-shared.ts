import { SHARED_IMAGE_CACHE, SHARED_IMAGE_KEY } from '../../shared/share-target';

/** Takes the shared image out of the cache (once), or null when there is none. */
export async function takeSharedImage(scope: string): Promise<File | null> {
  if (!('caches' in window)) return null;
  const cache = await caches.open(SHARED_IMAGE_CACHE);
  const key = new URL(SHARED_IMAGE_KEY, scope).href;
  const response = await cache.match(key);
  if (!response) return null;
  await cache.delete(key);
  const blob = await response.blob();
  const name = decodeURIComponent(response.headers.get('X-File-Name') ?? 'shared-image');
  return new File([blob], name, { type: blob.type });
}
