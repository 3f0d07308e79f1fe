/**
 * How much a model download will be, before anything is downloaded: published sizes for catalogue
 * models, otherwise the size each file's server reports for a one-byte range request.
 */
import type { DtypePlan } from '../../shared/device/policy';
import { knownDownloadBytes, modelFilesFor } from '../../shared/model-catalog';
import { type ModelSource, modelFileUrl } from '../../shared/model-source';
import { allCached } from './storage';

export type DownloadEstimate =
  | { readonly kind: 'cached' }
  | { readonly kind: 'bytes'; readonly bytes: number; readonly published: boolean }
  | { readonly kind: 'unknown' };

async function reportedSize(url: string, signal: AbortSignal): Promise<number | null> {
  const response = await fetch(url, { headers: { Range: 'bytes=0-0' }, signal });
  await response.body?.cancel().catch(() => {});
  if (response.status === 206) {
    const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
    return total ? Number(total) : null;
  }
  if (response.ok) return Number(response.headers.get('content-length')) || null;
  return null;
}

export async function estimateDownload(
  source: ModelSource,
  plan: DtypePlan,
  signal: AbortSignal,
): Promise<DownloadEstimate> {
  const files = modelFilesFor(plan);
  if (await allCached(files.map((file) => modelFileUrl(source, file)))) return { kind: 'cached' };
  const published = source.kind === 'hub' ? knownDownloadBytes(source.modelId, plan) : null;
  if (published !== null) return { kind: 'bytes', bytes: published, published: true };
  if (!navigator.onLine) return { kind: 'unknown' };
  try {
    const sizes = await Promise.all(files.map((file) => reportedSize(modelFileUrl(source, file), signal)));
    if (sizes.some((size) => size === null)) return { kind: 'unknown' };
    return { kind: 'bytes', bytes: sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0), published: false };
  } catch {
    return { kind: 'unknown' };
  }
}
