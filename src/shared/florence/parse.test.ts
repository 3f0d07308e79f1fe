import { describe, expect, it } from 'vitest';
import type { TokenProbability } from './confidence';
import { dequantizeBin, parseAnswer, toReferenceJson } from './parse';

const VGA = { width: 640, height: 480 };

describe('dequantizing bins like the reference (float32, bin centre, truncated)', () => {
  it.each([
    // bin, size, (bin + 0.5) * size / 1000 truncated
    [52, 640, 33], // 33.6
    [333, 480, 160], // 160.08
    [932, 640, 596], // 596.8
    [774, 480, 371], // 371.76
    [0, 1, 0], // 0.0005
    [999, 1000, 999], // 999.5
    [2, 400, 1], // exactly 1.0 in float32
  ])('bin %i of %i px -> %i', (bin, size, pixel) => {
    expect(dequantizeBin(bin, size)).toBe(pixel);
  });

  it('clamps bins above 999 from malformed output', () => {
    expect(dequantizeBin(1500, 1000)).toBe(999);
  });
});

describe('<OD> answers (description_with_bboxes)', () => {
  it('reads labelled boxes in image pixels', () => {
    const answer = parseAnswer(
      '<OD>',
      '</s><s>car<loc_52><loc_333><loc_932><loc_774>wheel<loc_158><loc_558><loc_336><loc_775></s>',
      VGA,
    );
    expect(answer.regions).toEqual([
      { kind: 'box', label: 'car', box: [33, 160, 596, 371] },
      // 158.5*.64=101.44, 558.5*.48=268.08, 336.5*.64=215.36, 775.5*.48=372.24
      { kind: 'box', label: 'wheel', box: [101, 268, 215, 372] },
    ]);
    expect(answer.text).toBe('car, wheel');
  });

  it('gives one region per box when a label carries several boxes', () => {
    const answer = parseAnswer('<OD>', 'wheel<loc_0><loc_0><loc_10><loc_10><loc_20><loc_20><loc_30><loc_30>', {
      width: 1000,
      height: 1000,
    });
    expect(answer.regions.map((region) => (region.kind === 'box' ? region.box : null))).toEqual([
      [0, 0, 10, 10],
      [20, 20, 30, 30],
    ]);
    expect(answer.regions.every((region) => region.label === 'wheel')).toBe(true);
  });

  it('trims labels and drops non-ASCII characters from them', () => {
    const answer = parseAnswer('<OD>', ' café table <loc_1><loc_2><loc_3><loc_4>', { width: 1000, height: 1000 });
    expect(answer.regions[0]?.label).toBe('caf table');
  });

  it('ignores a label with fewer than four locations, and an incomplete trailing box', () => {
    const square = { width: 1000, height: 1000 };
    expect(parseAnswer('<OD>', 'cat<loc_1><loc_2><loc_3>', square).regions).toEqual([]);
    expect(parseAnswer('<OD>', 'dog<loc_1><loc_2><loc_3><loc_4><loc_5>', square).regions).toEqual([
      { kind: 'box', label: 'dog', box: [1, 2, 3, 4] },
    ]);
  });

  it('gives no regions for empty or garbage output', () => {
    expect(parseAnswer('<OD>', '', VGA).regions).toEqual([]);
    expect(parseAnswer('<OD>', '</s><s></s>', VGA).regions).toEqual([]);
    expect(parseAnswer('<OD>', '<loc_1>car<loc_x><pad>', VGA).regions).toEqual([]);
  });
});

describe('<CAPTION> answers (pure_text)', () => {
  it('drops sequence tokens and surrounding space', () => {
    const answer = parseAnswer('<CAPTION>', '</s><s> A green car.</s><pad>', VGA);
    expect(answer.text).toBe('A green car.');
    expect(answer.regions).toEqual([]);
  });
});

describe('pure-text answers of region tasks', () => {
  it('read clean, while the reference text keeps what the reference keeps', () => {
    const answer = parseAnswer('<REGION_TO_CATEGORY>', '</s><s> car<loc_52><loc_333><loc_932><loc_774></s><pad>', VGA);
    expect(answer.text).toBe('car');
    expect(answer.referenceText).toBe('car<loc_52><loc_333><loc_932><loc_774><pad>');
    expect(toReferenceJson(answer)).toEqual({ '<REGION_TO_CATEGORY>': 'car<loc_52><loc_333><loc_932><loc_774><pad>' });
  });

  it('an answer built without referenceText gives its text', () => {
    const answer = { task: '<CAPTION>', answerType: 'pure_text', text: 'A cat.', regions: [] } as const;
    expect(toReferenceJson(answer)).toEqual({ '<CAPTION>': 'A cat.' });
  });
});

/** The raw text and its tokens from [text, probability, forced?] pieces, offsets as the worker gives them. */
function tokenized(pieces: readonly (readonly [string, number, boolean?])[]) {
  let rawText = '';
  const tokens: TokenProbability[] = [];
  for (const [text, probability, forced = false] of pieces) {
    tokens.push({ start: rawText.length, end: rawText.length + text.length, probability, forced });
    rawText += text;
  }
  return { rawText, tokens };
}

const SQUARE = { width: 1000, height: 1000 };
const LOCATIONS = (bins: readonly number[], probability: number) =>
  bins.map((bin) => [`<loc_${bin}>`, probability] as const);

describe('confidence scores', () => {
  it('scores a box by its label and its four locations, the answer by every chosen token', () => {
    const { rawText, tokens } = tokenized([
      ['<s>', 1, true],
      ['cat', 0.5],
      ...LOCATIONS([1, 2, 3, 4], 0.8),
      ['</s>', 0.9],
    ]);
    expect(rawText).toBe('<s>cat<loc_1><loc_2><loc_3><loc_4></s>');
    const answer = parseAnswer('<OD>', rawText, SQUARE, tokens);
    // Region: (0.5 * 0.8^4)^(1/5) = 0.2048^(1/5) = 2^(11/5) / 10^(4/5) = 4.59479 / 6.30957 = 0.728226
    expect(answer.regions[0]?.score).toBeCloseTo(0.7282256812, 9);
    // Answer, six chosen tokens (</s> included, <s> forced): (0.2048 * 0.9)^(1/6) = 0.18432^(1/6) = 0.754389
    expect(answer.score).toBeCloseTo(0.7543891096, 9);
    // The JSON rounds to 4 decimals; the answer keeps the full number.
    expect(toReferenceJson(answer)).toEqual({ '<OD>': { bboxes: [[1, 2, 3, 4]], labels: ['cat'], scores: [0.7282] } });
  });

  it('counts the label tokens for each box of a phrase, a label split in two tokens both', () => {
    const { rawText, tokens } = tokenized([
      ['<s>', 1, true],
      ['whe', 0.5],
      ['el', 0.5],
      ...LOCATIONS([1, 2, 3, 4], 0.5),
      ...LOCATIONS([5, 6, 7, 8], 1),
      ['</s>', 0.9, true],
    ]);
    const answer = parseAnswer('<OD>', rawText, SQUARE, tokens);
    expect(answer.regions.map((region) => region.label)).toEqual(['wheel', 'wheel']);
    // First box: six tokens of 0.5 -> 0.5. Second: 0.5, 0.5 and four of 1: 0.25^(1/6) = 2^(-1/3) = 0.793701
    expect(answer.regions[0]?.score).toBeCloseTo(0.5, 12);
    expect(answer.regions[1]?.score).toBeCloseTo(0.793700526, 9);
    // Answer: the forced </s> is not counted: 0.5^6 over 10 tokens = 2^(-6/10) = 0.659754
    expect(answer.score).toBeCloseTo(0.6597539554, 9);
  });

  it('counts a token that starts with the space before its label', () => {
    const { rawText, tokens } = tokenized([
      ['<s>', 1, true],
      [' cat', 0.25],
      ...LOCATIONS([1, 2, 3, 4], 1),
      ['</s>', 1],
    ]);
    const answer = parseAnswer('<CAPTION_TO_PHRASE_GROUNDING>', rawText, SQUARE, tokens);
    expect(answer.regions[0]?.label).toBe('cat');
    // 0.25 and four of 1: 0.25^(1/5) = 2^(-2/5) = 0.757858
    expect(answer.regions[0]?.score).toBeCloseTo(0.7578582833, 9);
  });

  it('scores an OCR line by its text and eight locations, not the next line', () => {
    const { rawText, tokens } = tokenized([
      ['<s>', 1, true],
      ['EX', 0.5],
      ['IT', 0.5],
      ...LOCATIONS([1, 2, 3, 4, 5, 6, 7, 8], 1),
      ['NO', 0.01],
      ...LOCATIONS([1, 2, 3, 4, 5, 6, 7, 8], 0.01),
      ['</s>', 1],
    ]);
    const answer = parseAnswer('<OCR_WITH_REGION>', rawText, SQUARE, tokens);
    expect(answer.text).toBe('EXIT\nNO');
    // 0.5, 0.5 and eight of 1: 0.25^(1/10) = 2^(-1/5) = 0.870551; the second line is all 0.01.
    expect(answer.regions[0]?.score).toBeCloseTo(0.8705505633, 9);
    expect(answer.regions[1]?.score).toBeCloseTo(0.01, 12);
    expect(toReferenceJson(answer)['<OCR_WITH_REGION>']).toMatchObject({ scores: [0.8706, 0.01] });
  });

  it('scores a polygon by the locations of its rings, not <sep> nor an odd trailing location', () => {
    const { rawText, tokens } = tokenized([
      ['<s>', 1, true],
      ...LOCATIONS([10, 10, 20, 10, 20, 20], 0.5),
      ['<sep>', 0.01],
      ...LOCATIONS([30, 30, 40, 30], 0.5),
      ['<loc_40>', 0.01], // fifth location of the second ring: no pair, no point
      ['</s>', 1],
    ]);
    const answer = parseAnswer('<REFERRING_EXPRESSION_SEGMENTATION>', rawText, SQUARE, tokens);
    expect(answer.regions).toHaveLength(1);
    // Ten locations of 0.5 -> 0.5
    expect(answer.regions[0]?.score).toBeCloseTo(0.5, 12);
    // Answer: 0.5^10 * 0.01^2 * 1 over 13 tokens = exp((10 ln 0.5 + 2 ln 0.01) / 13)
    //   = exp((-6.931472 - 9.210340) / 13) = exp(-1.241678) = 0.288899
    expect(answer.score).toBeCloseTo(0.2888990789, 9);
  });

  it('maps positions past removed sequence tokens back to the raw text', () => {
    const { rawText, tokens } = tokenized([
      ['</s>', 1, true],
      ['<s>', 1, true],
      ['ca', 0.5],
      ['<pad>', 0.01], // inside the label in the raw text, but not one of its characters
      ['t', 0.5],
      ...LOCATIONS([1, 2, 3, 4], 0.5),
      ['</s>', 1],
    ]);
    const answer = parseAnswer('<OD>', rawText, SQUARE, tokens);
    expect(answer.regions[0]).toMatchObject({ label: 'cat', box: [1, 2, 3, 4] });
    expect(answer.regions[0]?.score).toBeCloseTo(0.5, 12);
    // Answer: 0.5^6 * 0.01 * 1 over 8 tokens = exp((6 ln 0.5 + ln 0.01) / 8) = exp(-1.095507) = 0.334370
    expect(answer.score).toBeCloseTo(0.3343701525, 9);
  });

  it('gives a region no token covers the answer score', () => {
    const rawText = '<s>cat<loc_1><loc_2><loc_3><loc_4></s>';
    const answer = parseAnswer('<OD>', rawText, SQUARE, [{ start: 34, end: 38, probability: 0.9, forced: false }]);
    expect(answer.score).toBeCloseTo(0.9, 12);
    expect(answer.regions[0]?.score).toBeCloseTo(0.9, 12);
  });

  it('scores pure-text answers over their chosen tokens', () => {
    const { rawText, tokens } = tokenized([
      ['<s>', 1, true],
      ['A', 0.9],
      [' cat', 0.4],
      ['</s>', 1, true],
    ]);
    const answer = parseAnswer('<CAPTION>', rawText, SQUARE, tokens);
    // (0.9 * 0.4)^(1/2) = 0.36^(1/2) = 0.6
    expect(answer.score).toBeCloseTo(0.6, 12);
    expect(toReferenceJson(answer)).toEqual({ '<CAPTION>': 'A cat' });
  });

  it('puts scores beside each kind of label for open-vocabulary detection', () => {
    const { rawText, tokens } = tokenized([
      ['<s>', 1, true],
      ['car', 0.5],
      ['<poly>', 0.01],
      ...LOCATIONS([1, 2, 3, 4, 5, 6], 0.5),
      ['</poly>', 0.01],
      ['</s>', 1],
    ]);
    const json = toReferenceJson(parseAnswer('<OPEN_VOCABULARY_DETECTION>', rawText, SQUARE, tokens));
    expect(json).toEqual({
      '<OPEN_VOCABULARY_DETECTION>': {
        bboxes: [],
        bboxes_labels: [],
        bboxes_scores: [],
        polygons: [[[1, 2, 3, 4, 5, 6]]],
        polygons_labels: ['car'],
        polygons_scores: [0.5],
      },
    });
  });

  it.each([
    ['no tokens', undefined],
    ['an empty list (none reported)', []],
  ])('leaves scores out with %s', (_case, none) => {
    const answer = parseAnswer('<OD>', '<s>cat<loc_1><loc_2><loc_3><loc_4></s>', SQUARE, none);
    expect('score' in answer).toBe(false);
    expect(answer.regions.some((region) => 'score' in region)).toBe(false);
    expect(toReferenceJson(answer)).toEqual({ '<OD>': { bboxes: [[1, 2, 3, 4]], labels: ['cat'] } });
  });

  it('gives an empty scores list for an answer with tokens but no regions', () => {
    const { rawText, tokens } = tokenized([
      ['<s>', 1, true],
      ['nothing', 0.3],
      ['</s>', 1],
    ]);
    const answer = parseAnswer('<OD>', rawText, SQUARE, tokens);
    expect(toReferenceJson(answer)).toEqual({ '<OD>': { bboxes: [], labels: [], scores: [] } });
  });
});
