/**
 * What a person reads about a run: the phase it is in while it runs, and afterwards where its time
 * went, stage by stage, from reading the image file to the last token. Pure, so it is tested in Node.
 */
import type { AnswerQuality } from './generation/config';
import type { ImageSize } from './geometry/bins';
import type { RunPhase, StageTimings } from './protocol';

/** What the app says while a run is in each phase. */
export const RUN_PHASE_TEXT: Readonly<Record<RunPhase, string>> = {
  'preparing-image': 'Preparing the image…',
  'encoding-image': 'The model is looking at the image…',
  generating: 'The model is thinking…',
};

/** Milliseconds under a second, seconds with two decimals from there. */
export function formatMs(ms: number): string {
  return ms < 999.5 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export type StageKey =
  | 'read-file'
  | 'features-reused'
  | 'decode-image'
  | 'preprocess'
  | 'vision-encoder'
  | 'text-encoder'
  | 'first-token'
  | 'per-token';

/** One stage as shown: `text` is what is read, `description` says what it measures. */
export interface StageLine {
  readonly key: StageKey;
  /** Null for a stage that is a fact rather than a time (features reused). */
  readonly ms: number | null;
  readonly text: string;
  readonly description: string;
}

const line = (key: StageKey, ms: number | null, text: string, description: string): StageLine => ({
  key,
  ms,
  text,
  description,
});

/** Every stage the run went through, in the order they ran; the image's are left out when its features were reused. */
export function stageLines(timings: StageTimings): readonly StageLine[] {
  const readFile = line(
    'read-file',
    timings.readFileMs,
    `reading the file ${formatMs(timings.readFileMs)}`,
    'Reading the image file and hashing it, to find features kept from an earlier task.',
  );
  const image: StageLine[] = timings.visionCached
    ? [
        line(
          'features-reused',
          null,
          'Image features reused from an earlier task',
          'The image was not decoded, preprocessed or encoded again.',
        ),
        readFile,
      ]
    : [
        readFile,
        line(
          'decode-image',
          timings.decodeImageMs,
          `decoding ${formatMs(timings.decodeImageMs)}`,
          'Decoding the file into upright RGB pixels at its full size.',
        ),
        line(
          'preprocess',
          timings.preprocessMs,
          // A resize of no time at all did not happen: the image already had the model's size.
          `preprocessing ${formatMs(timings.preprocessMs)}${timings.resizeMs > 0 ? ` (resizing ${formatMs(timings.resizeMs)})` : ''}`,
          "Resizing to the model's input size, rescaling and normalising into pixel values.",
        ),
        line(
          'vision-encoder',
          timings.visionEncoderMs,
          `vision encoder ${formatMs(timings.visionEncoderMs)}`,
          'The vision encoder turning the pixel values into image features.',
        ),
      ];
  return [
    ...image,
    line(
      'text-encoder',
      timings.textEncoderMs,
      `text encoder ${formatMs(timings.textEncoderMs)}`,
      'The text encoder reading the prompt with the image features.',
    ),
    line(
      'first-token',
      timings.firstTokenMs,
      `first token ${formatMs(timings.firstTokenMs)}`,
      'From the start of generation to the first generated token.',
    ),
    line('per-token', timings.perTokenMs, `${formatMs(timings.perTokenMs)} per token`, 'Each later token, on average.'),
  ];
}

export const STAGE_SEPARATOR = ' · ';

/** The stages as one line of text. */
export function formatStageTimings(timings: StageTimings): string {
  return stageLines(timings)
    .map((stage) => stage.text)
    .join(STAGE_SEPARATOR);
}

export interface RunSummary {
  /** From pressing Run to the answer on screen. */
  readonly elapsedMs: number;
  readonly generatedTokens: number;
  readonly quality: AnswerQuality;
  readonly imageSize: ImageSize;
}

/** The run in one line: its time, tokens, decoding and the size of the image the model saw. */
export function formatRunSummary(run: RunSummary): string {
  return [
    formatMs(run.elapsedMs),
    `${run.generatedTokens} tokens`,
    run.quality === 'best' ? '3 beams' : 'greedy',
    `image ${run.imageSize.width}×${run.imageSize.height}`,
  ].join(STAGE_SEPARATOR);
}
