import { describe, expect, it } from 'vitest';
import type { StageTimings } from './protocol';
import { formatMs, formatRunSummary, formatStageTimings, RUN_PHASE_TEXT, stageLines } from './run-stages';

// A 200-megapixel photo: most of the time goes before the vision encoder.
const LARGE_PHOTO: StageTimings = {
  visionCached: false,
  readFileMs: 212.4,
  decodeImageMs: 6120.2,
  preprocessMs: 4861.7,
  resizeMs: 4790.05,
  visionEncoderMs: 4.2,
  textEncoderMs: 3.4,
  firstTokenMs: 9.6,
  perTokenMs: 1.5,
  generateMs: 30,
  totalMs: 11240,
};

describe('formatMs', () => {
  it('gives milliseconds under a second and seconds from there, never "1000 ms"', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(4.2)).toBe('4 ms');
    expect(formatMs(999.4)).toBe('999 ms');
    expect(formatMs(999.6)).toBe('1.00 s');
    expect(formatMs(11_240)).toBe('11.24 s');
  });
});

describe('formatStageTimings', () => {
  it('names every stage that ran, decoding and preprocessing included, in the order they ran', () => {
    expect(formatStageTimings(LARGE_PHOTO)).toBe(
      'reading the file 212 ms · decoding 6.12 s · preprocessing 4.86 s (resizing 4.79 s) · vision encoder 4 ms · text encoder 3 ms · first token 10 ms · 2 ms per token',
    );
  });

  it('leaves resizing out when the image already had the model’s size', () => {
    expect(formatStageTimings({ ...LARGE_PHOTO, decodeImageMs: 20, preprocessMs: 7, resizeMs: 0 })).toBe(
      'reading the file 212 ms · decoding 20 ms · preprocessing 7 ms · vision encoder 4 ms · text encoder 3 ms · first token 10 ms · 2 ms per token',
    );
  });

  it('says the features were reused, and still shows the reading of the file that found them', () => {
    const reused: StageTimings = {
      ...LARGE_PHOTO,
      visionCached: true,
      readFileMs: 180,
      decodeImageMs: 0,
      preprocessMs: 0,
      resizeMs: 0,
      visionEncoderMs: 0,
    };
    expect(formatStageTimings(reused)).toBe(
      'Image features reused from an earlier task · reading the file 180 ms · text encoder 3 ms · first token 10 ms · 2 ms per token',
    );
    expect(stageLines(reused).map((stage) => stage.key)).toEqual([
      'features-reused',
      'read-file',
      'text-encoder',
      'first-token',
      'per-token',
    ]);
  });

  it('keeps each stage’s own milliseconds beside its text', () => {
    const lines = stageLines(LARGE_PHOTO);
    expect(lines.map((stage) => [stage.key, stage.ms])).toEqual([
      ['read-file', 212.4],
      ['decode-image', 6120.2],
      ['preprocess', 4861.7],
      ['vision-encoder', 4.2],
      ['text-encoder', 3.4],
      ['first-token', 9.6],
      ['per-token', 1.5],
    ]);
    for (const stage of lines) expect(stage.description).not.toBe('');
  });
});

describe('formatRunSummary', () => {
  it('gives the time, tokens, decoding and image size', () => {
    const summary = { elapsedMs: 11_402, generatedTokens: 12, imageSize: { width: 16_320, height: 12_240 } };
    expect(formatRunSummary({ ...summary, quality: 'best' })).toBe('11.40 s · 12 tokens · 3 beams · image 16320×12240');
    expect(formatRunSummary({ ...summary, elapsedMs: 85, quality: 'fast' })).toBe(
      '85 ms · 12 tokens · greedy · image 16320×12240',
    );
  });
});

describe('RUN_PHASE_TEXT', () => {
  it('says the image is being prepared before the model runs', () => {
    expect(RUN_PHASE_TEXT['preparing-image']).toBe('Preparing the image…');
    expect(RUN_PHASE_TEXT.generating).toBe('The model is thinking…');
  });
});
