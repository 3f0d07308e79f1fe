/** The sample images shipped in public/samples (drawn by scripts/make-samples.ts). */
export interface SampleImage {
  readonly id: string;
  readonly file: string;
  /** What the picture shows, for its button and alt text. */
  readonly description: string;
  /** The tasks it suits, as a hint on the button. */
  readonly suits: string;
}

export const SAMPLE_IMAGES: readonly SampleImage[] = [
  { id: 'street', file: 'street.jpg', description: 'A green car before a yellow house', suits: 'captions, detection' },
  { id: 'sign', file: 'sign.jpg', description: 'A shop sign with text', suits: 'text reading (OCR)' },
  { id: 'kites', file: 'kites.jpg', description: 'A kite and birds in the sky', suits: 'grounding, segmentation' },
];

/** Where a sample is served from, under the app's base path (it may be deployed in a sub-folder). */
export const sampleUrl = (sample: SampleImage, baseUrl: string) =>
  `${baseUrl.replace(/\/?$/, '/')}samples/${sample.file}`;
