/**
 * An image's features from the vision encoder, kept per image content so later tasks on the same
 * image skip decoding, preprocessing and the vision encoder.
 */
import type { RawImage, Tensor } from '@huggingface/transformers';
import type { ImageSize } from '../../shared/geometry/bins';
import type { PixelSummary } from '../../shared/image-pixels';
import type { RunPhase } from '../../shared/protocol';
import { decodeImage } from './decode-image';
import { EngineError } from './engine';
import type { FlorenceInternals, Runtime } from './runtime';

interface CachedImage {
  readonly size: ImageSize;
  readonly features: Tensor;
  readonly inputPixels?: PixelSummary;
}

/** Image features of the most recent images, keyed by a hash of the file's bytes. */
export class ImageFeatureCache {
  private readonly entries = new Map<string, CachedImage>();

  constructor(private readonly capacity = 8) {}

  get(key: string): CachedImage | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Least recently used goes first: re-insert to mark as recent.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedImage): void {
    // With no room (the reference demo's behaviour, kept for comparison) nothing is kept.
    if (this.capacity === 0) return;
    const replaced = this.entries.get(key);
    if (replaced && replaced.features !== entry.features) replaced.features.dispose();
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.get(oldest)?.features.dispose();
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    for (const entry of this.entries.values()) entry.features.dispose();
    this.entries.clear();
  }
}

async function contentKey(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export interface ImageFeatures {
  readonly size: ImageSize;
  readonly features: Tensor;
  readonly inputPixels?: PixelSummary;
  /** Reading and hashing the file: runs even when the features come from the cache. */
  readonly readFileMs: number;
  /** Zero when the features came from the cache (see `StageTimings`). */
  readonly decodeImageMs: number;
  readonly preprocessMs: number;
  /** Of `preprocessMs`. */
  readonly resizeMs: number;
  readonly visionEncoderMs: number;
  readonly cached: boolean;
}

/**
 * Decodes, preprocesses and encodes an image, or finds its features in the cache, timing each stage;
 * `onPhase` hears when the vision encoder starts (everything before it is preparing the image).
 */
export async function imageFeaturesFor(
  runtime: Runtime,
  cache: ImageFeatureCache,
  image: Blob,
  reportInputPixels: boolean,
  onPhase: (phase: RunPhase) => void = () => {},
): Promise<ImageFeatures> {
  const started = performance.now();
  const key = await contentKey(image);
  const cached = cache.get(key);
  const readAt = performance.now();
  const readFileMs = readAt - started;
  if (cached && (!reportInputPixels || cached.inputPixels)) {
    return { ...cached, readFileMs, decodeImageMs: 0, preprocessMs: 0, resizeMs: 0, visionEncoderMs: 0, cached: true };
  }
  const decoded = await decodeImage(image, { reportInputPixels });
  const decodedAt = performance.now();
  const resizeMs = timeResizing(decoded.image);
  const pixelValues = await preprocess(runtime, decoded.image);
  const preprocessedAt = performance.now();
  onPhase('encoding-image');
  const features = await (runtime.model as unknown as FlorenceInternals).encode_image({ pixel_values: pixelValues });
  const entry: CachedImage = {
    size: decoded.size,
    features,
    ...(decoded.inputPixels ? { inputPixels: decoded.inputPixels } : {}),
  };
  cache.set(key, entry);
  return {
    ...entry,
    readFileMs,
    decodeImageMs: decodedAt - readAt,
    preprocessMs: preprocessedAt - decodedAt,
    resizeMs: resizeMs(),
    visionEncoderMs: performance.now() - preprocessedAt,
    cached: false,
  };
}

/**
 * Times the image processor's resizing of `image`, which it does by calling `image.resize` (its RGB
 * conversion returns the same image, as decoded images are RGB already); the resize itself is
 * untouched. Returns the time spent so far.
 */
function timeResizing(image: RawImage): () => number {
  let spent = 0;
  const resize = image.resize.bind(image);
  image.resize = async (...args: Parameters<RawImage['resize']>) => {
    const started = performance.now();
    try {
      return await resize(...args);
    } finally {
      spent += performance.now() - started;
    }
  };
  return () => spent;
}

async function preprocess(runtime: Runtime, image: RawImage): Promise<Tensor> {
  const imageProcessor = runtime.processor.image_processor;
  if (!imageProcessor) {
    throw new EngineError('model-load-failed', 'The model folder has no image processor configuration.');
  }
  const { pixel_values } = (await imageProcessor(image)) as { pixel_values: Tensor };
  return pixel_values;
}
