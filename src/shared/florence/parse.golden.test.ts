/**
 * Golden tables: raw model text + image size -> the result the reference Python post-processor
 * returns (in its own JSON shape). Expected values are worked out by hand from its rules:
 * pixel = trunc((bin + 0.5) * size / 1000). On a 1000 x 1000 image that is the bin itself; on
 * 2000 x 500 it is x = 2 * bin + 1 and y = floor(bin / 2).
 */
import { describe, expect, it } from 'vitest';
import type { ImageSize } from '../geometry/bins';
import { parseAnswer, toReferenceJson } from './parse';
import type { TaskToken } from './tasks';

const SQUARE: ImageSize = { width: 1000, height: 1000 };
const WIDE: ImageSize = { width: 2000, height: 500 };

type Row = readonly [description: string, raw: string, image: ImageSize, expected: unknown];

function check(task: TaskToken, rows: readonly Row[]) {
  it.each(rows)('%s', (_description, raw, image, expected) => {
    expect(toReferenceJson(parseAnswer(task, raw, image))).toEqual({ [task]: expected });
  });
}

describe('pure_text', () => {
  // The reference returns the text with only `<s>` and `</s>` removed (its `<pad>` stays), then
  // Python's strip(); `answer.text`, what a person reads, is cleaned further (parse.test.ts).
  check('<CAPTION>', [
    ['sequence tokens and outer space removed', '</s><s> A cat on a mat. </s>', SQUARE, 'A cat on a mat.'],
    ['empty output', '', SQUARE, ''],
    ['only sequence tokens: the reference keeps <pad>', '</s><s></s><pad><pad>', SQUARE, '<pad><pad>'],
    ['non-ASCII text is kept in captions', '<s>Un café à Paris</s>', SQUARE, 'Un café à Paris'],
    [
      'strip() takes \\r \\n \\x1c \\x85 at the ends (String.prototype.trim leaves \\x1c and \\x85)',
      '<s>\r\n\x1cA cat.\x85</s>',
      SQUARE,
      'A cat.',
    ],
    ['strip() leaves U+FEFF (trim would take it)', '<s>\ufeffA cat.</s>', SQUARE, '\ufeffA cat.'],
  ]);
  check('<REGION_TO_CATEGORY>', [
    [
      'a region task keeps the region it echoes',
      '</s><s>car<loc_52><loc_333><loc_932><loc_774></s>',
      SQUARE,
      'car<loc_52><loc_333><loc_932><loc_774>',
    ],
    ['task markup is kept', '<s><region_cap>wheel</region_cap></s>', SQUARE, '<region_cap>wheel</region_cap>'],
    ['truncated location token text stays text', '<s>car<loc_5', SQUARE, 'car<loc_5'],
    ['garbage tokens are kept', '<loc_1><sep><and>', SQUARE, '<loc_1><sep><and>'],
  ]);
  check('<REGION_TO_DESCRIPTION>', [
    [
      'only the outer space is stripped; the space before <pad> stays',
      '<s> a red car <loc_1><loc_2><loc_3><loc_4> </s><pad>',
      SQUARE,
      'a red car <loc_1><loc_2><loc_3><loc_4> <pad>',
    ],
  ]);
});

describe('ocr', () => {
  check('<OCR_WITH_REGION>', [
    [
      'two lines, corners as x,y pairs',
      '</s><s>HELLO<loc_10><loc_20><loc_300><loc_20><loc_300><loc_80><loc_10><loc_80>World 2026<loc_5><loc_100><loc_200><loc_110><loc_195><loc_160><loc_0><loc_150></s>',
      SQUARE,
      {
        quad_boxes: [
          [10, 20, 300, 20, 300, 80, 10, 80],
          [5, 100, 200, 110, 195, 160, 0, 150],
        ],
        labels: ['HELLO', 'World 2026'],
      },
    ],
    [
      'x scales with the width, y with the height',
      'A<loc_0><loc_0><loc_999><loc_0><loc_999><loc_999><loc_0><loc_999>',
      WIDE,
      { quad_boxes: [[1, 0, 1999, 0, 1999, 499, 1, 499]], labels: ['A'] },
    ],
    [
      'a line cut before its eighth location is dropped',
      'ONE<loc_1><loc_2><loc_3><loc_4><loc_5><loc_6><loc_7><loc_8>TWO<loc_1><loc_2><loc_3>',
      SQUARE,
      { quad_boxes: [[1, 2, 3, 4, 5, 6, 7, 8]], labels: ['ONE'] },
    ],
    ['no text lines', '</s><s></s>', SQUARE, { quad_boxes: [], labels: [] }],
    [
      'a cut-off line does not leak its locations into the next line (the reference keeps them)',
      'AB<loc_1><loc_2>CD<loc_1><loc_2><loc_3><loc_4><loc_5><loc_6><loc_7><loc_8>',
      SQUARE,
      { quad_boxes: [[1, 2, 3, 4, 5, 6, 7, 8]], labels: ['ABCD'] },
    ],
    [
      'non-ASCII text is kept and bins above 999 are clamped',
      'Größe<loc_1500><loc_0><loc_999><loc_0><loc_999><loc_5><loc_0><loc_5>',
      SQUARE,
      { quad_boxes: [[999, 0, 999, 0, 999, 5, 0, 5]], labels: ['Größe'] },
    ],
  ]);
});

describe('description_with_bboxes', () => {
  check('<OD>', [
    [
      'labels with one and with several boxes',
      '</s><s>car<loc_52><loc_333><loc_932><loc_774>wheel<loc_158><loc_558><loc_336><loc_775><loc_695><loc_561><loc_868><loc_774></s>',
      SQUARE,
      {
        bboxes: [
          [52, 333, 932, 774],
          [158, 558, 336, 775],
          [695, 561, 868, 774],
        ],
        labels: ['car', 'wheel', 'wheel'],
      },
    ],
    [
      'x with the width, y with the height',
      'person<loc_100><loc_200><loc_300><loc_400>',
      WIDE,
      { bboxes: [[201, 100, 601, 200]], labels: ['person'] },
    ],
    [
      'label trimmed, non-ASCII dropped',
      ' café table <loc_1><loc_2><loc_3><loc_4>',
      SQUARE,
      { bboxes: [[1, 2, 3, 4]], labels: ['caf table'] },
    ],
    [
      'fewer than four locations give nothing; a fifth is ignored (the reference would label it "loc_3>dog")',
      'cat<loc_1><loc_2><loc_3></s>dog<loc_1><loc_2><loc_3><loc_4><loc_5>',
      SQUARE,
      { bboxes: [[1, 2, 3, 4]], labels: ['dog'] },
    ],
    ['boxes without a label are not objects', '<loc_1><loc_2><loc_3><loc_4>', SQUARE, { bboxes: [], labels: [] }],
  ]);
});

describe('bboxes (region proposals)', () => {
  check('<REGION_PROPOSAL>', [
    [
      'runs of locations, four per box, no labels',
      '</s><s><loc_1><loc_2><loc_3><loc_4><loc_10><loc_20><loc_30><loc_40></s>',
      SQUARE,
      {
        bboxes: [
          [1, 2, 3, 4],
          [10, 20, 30, 40],
        ],
        labels: ['', ''],
      },
    ],
    ['scaled to a wide image', '<loc_0><loc_0><loc_999><loc_999>', WIDE, { bboxes: [[1, 0, 1999, 499]], labels: [''] }],
    [
      'a truncated box is dropped',
      '<loc_1><loc_2><loc_3><loc_4><loc_5><loc_6>',
      SQUARE,
      {
        bboxes: [[1, 2, 3, 4]],
        labels: [''],
      },
    ],
    ['empty output', '', SQUARE, { bboxes: [], labels: [] }],
  ]);
});

describe('phrase_grounding', () => {
  check('<CAPTION_TO_PHRASE_GROUNDING>', [
    [
      'several boxes for one phrase',
      '</s><s>A green car<loc_10><loc_20><loc_30><loc_40><loc_50><loc_60><loc_70><loc_80>a yellow building<loc_0><loc_0><loc_999><loc_500></s>',
      SQUARE,
      {
        bboxes: [
          [10, 20, 30, 40],
          [50, 60, 70, 80],
          [0, 0, 999, 500],
        ],
        labels: ['A green car', 'A green car', 'a yellow building'],
      },
    ],
    [
      'banned pronoun phrases are skipped',
      'it<loc_1><loc_1><loc_2><loc_2>the image<loc_0><loc_0><loc_999><loc_999>a dog<loc_3><loc_3><loc_4><loc_4>',
      SQUARE,
      { bboxes: [[3, 3, 4, 4]], labels: ['a dog'] },
    ],
    [
      'non-ASCII dropped from labels, boxes scaled',
      'ein Hünd<loc_100><loc_100><loc_200><loc_200>',
      WIDE,
      { bboxes: [[201, 50, 401, 100]], labels: ['ein Hnd'] },
    ],
    ['a phrase with no box is left out', 'a red ball', SQUARE, { bboxes: [], labels: [] }],
  ]);
});

describe('polygons', () => {
  check('<REFERRING_EXPRESSION_SEGMENTATION>', [
    [
      'one polygon of x,y pairs',
      '</s><s><loc_10><loc_10><loc_90><loc_10><loc_90><loc_90><loc_10><loc_90></s>',
      SQUARE,
      { polygons: [[[10, 10, 90, 10, 90, 90, 10, 90]]], labels: [''] },
    ],
    [
      'parts separated by <sep> belong to one object',
      '<loc_0><loc_0><loc_100><loc_0><loc_100><loc_100><sep><loc_20><loc_20><loc_40><loc_20><loc_40><loc_40>',
      SQUARE,
      {
        polygons: [
          [
            [0, 0, 100, 0, 100, 100],
            [20, 20, 40, 20, 40, 40],
          ],
        ],
        labels: [''],
      },
    ],
    [
      'an odd trailing bin (output cut at the token budget) is dropped',
      '<loc_10><loc_10><loc_90><loc_10><loc_90>',
      WIDE,
      { polygons: [[[21, 5, 181, 5]]], labels: [''] },
    ],
    [
      '<poly> groups make separate objects; a truncated group is still read',
      '<poly><loc_1><loc_2><loc_3><loc_4><loc_5><loc_6></poly><poly><loc_7><loc_8><loc_9><loc_10><loc_11><loc_12></poly>',
      SQUARE,
      {
        polygons: [[[1, 2, 3, 4, 5, 6]], [[7, 8, 9, 10, 11, 12]]],
        labels: ['', ''],
      },
    ],
    ['empty output', '</s><s></s>', SQUARE, { polygons: [], labels: [] }],
  ]);
  check('<REGION_TO_SEGMENTATION>', [
    [
      'a cut-off <poly> without its end tag is read as one run',
      '<poly><loc_1><loc_2><loc_3><loc_4><loc_5><loc_6><loc_7>',
      SQUARE,
      { polygons: [[[1, 2, 3, 4, 5, 6]]], labels: [''] },
    ],
    ['fewer than four tokens are no polygon', '<loc_1><loc_2><loc_3>', SQUARE, { polygons: [], labels: [] }],
    [
      'bins above 999 are clamped',
      '<loc_2000><loc_0><loc_0><loc_2000>',
      SQUARE,
      { polygons: [[[999, 0, 0, 999]]], labels: [''] },
    ],
    [
      'a leading location is part of the polygon, not a label',
      '<loc_5><loc_6><loc_7><loc_8>',
      WIDE,
      { polygons: [[[11, 3, 15, 4]]], labels: [''] },
    ],
  ]);
});

describe('description_with_bboxes_or_polygons', () => {
  check('<OPEN_VOCABULARY_DETECTION>', [
    [
      'boxes when the answer has no <poly>',
      '</s><s>car<loc_1><loc_2><loc_3><loc_4>wheel<loc_5><loc_6><loc_7><loc_8><loc_9><loc_10><loc_11><loc_12></s>',
      SQUARE,
      {
        bboxes: [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
          [9, 10, 11, 12],
        ],
        bboxes_labels: ['car', 'wheel', 'wheel'],
        polygons: [],
        polygons_labels: [],
      },
    ],
    [
      'polygons when it has <poly>, labelled by the phrase before them',
      'yellow building<poly><loc_0><loc_0><loc_500><loc_0><loc_500><loc_500></poly>',
      SQUARE,
      {
        bboxes: [],
        bboxes_labels: [],
        polygons: [[[0, 0, 500, 0, 500, 500]]],
        polygons_labels: ['yellow building'],
      },
    ],
    [
      'several <poly> groups under one phrase are separate objects',
      'wheel<poly><loc_1><loc_1><loc_2><loc_1><loc_2><loc_2></poly><poly><loc_7><loc_7><loc_8><loc_7><loc_8><loc_8></poly>',
      WIDE,
      {
        bboxes: [],
        bboxes_labels: [],
        polygons: [[[3, 0, 5, 0, 5, 1]], [[15, 3, 17, 3, 17, 4]]],
        polygons_labels: ['wheel', 'wheel'],
      },
    ],
    ['nothing found', '</s><s></s>', SQUARE, { bboxes: [], bboxes_labels: [], polygons: [], polygons_labels: [] }],
  ]);
});

/**
 * Odd label text right before a run of locations: a control character, a stray `<`, a malformed
 * location token. The reference finds a phrase as `[^<]+(?:<loc_\d+>){4,}`, so its phrase starts
 * after the last `<`; it reads the label with `^\s*(.*?)(?=<loc_…)`, whose `.` takes every character
 * but a line feed, and strip()s it. Each of these gives the region. Where the labels differ, ours is
 * the text after the last Florence token (parse.ts, findPhrases), which the row says.
 */
const LOCS_1_4 = '<loc_1><loc_2><loc_3><loc_4>';
const LOCS_1_8 = '<loc_1><loc_2><loc_3><loc_4><loc_5><loc_6><loc_7><loc_8>';
const POLY_1_6 = '<poly><loc_1><loc_2><loc_3><loc_4><loc_5><loc_6></poly>';
const BOX_1_4 = { bboxes: [[1, 2, 3, 4]] };

describe('odd text before the locations: description_with_bboxes', () => {
  check('<OD>', [
    [
      '\\r before the locations: `[^<]` and `.` take it, strip() drops it',
      `car\r${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: ['car'] },
    ],
    [
      'a control character inside stays (ASCII, kept by encode); \\t, \\x1c at the ends are stripped',
      `\tca\x07t\x1c${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: ['ca\x07t'] },
    ],
    [
      "a line feed: the reference's `.` stops at it and drops the phrase; ours keeps the region (deliberate)",
      `car\n${LOCS_1_4}two\nwords<loc_5><loc_6><loc_7><loc_8>`,
      SQUARE,
      {
        bboxes: [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
        ],
        labels: ['car', 'two\nwords'],
      },
    ],
    [
      'a stray <: the phrase of the reference starts after it ("b dog"); ours keeps the text the model wrote',
      `a<b dog${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: ['a<b dog'] },
    ],
    [
      'a location cut before its > (the reference labels it "loc_12"); ours keeps "cat<loc_12"',
      `cat<loc_12${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: ['cat<loc_12'] },
    ],
    [
      'a location with no digits is text, not a location (the reference labels it "loc_x>")',
      `cat<loc_x>${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: ['cat<loc_x>'] },
    ],
    [
      'an empty location is text too (the reference: "loc_>")',
      `cat<loc_>${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: ['cat<loc_>'] },
    ],
    [
      'an out-of-range location cut before its > (the reference: "loc_99999")',
      `cat<loc_99999${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: ['cat<loc_99999'] },
    ],
    [
      'task markup right before: the reference labels it "od>"; ours, the text after the token, is empty',
      `x<od>${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: [''] },
    ],
    [
      'each odd phrase leaves the next one whole',
      `a<b dog${LOCS_1_4}cat\r<loc_5><loc_6><loc_7><loc_8>`,
      WIDE,
      {
        bboxes: [
          [3, 1, 7, 2],
          [11, 3, 15, 4],
        ],
        labels: ['a<b dog', 'cat'],
      },
    ],
  ]);
});

describe('odd text before the locations: bboxes', () => {
  // Runs of locations alone: text before them is never read, so every row is one unlabelled box.
  check('<REGION_PROPOSAL>', [
    ['\\r before the run', `\r${LOCS_1_4}`, SQUARE, { ...BOX_1_4, labels: [''] }],
    ['a stray < before the run', `a<b${LOCS_1_4}`, SQUARE, { ...BOX_1_4, labels: [''] }],
    ['a location cut before its >', `<loc_12${LOCS_1_4}`, SQUARE, { ...BOX_1_4, labels: [''] }],
    ['a location with no digits', `<loc_x><loc_>${LOCS_1_4}`, SQUARE, { ...BOX_1_4, labels: [''] }],
  ]);
});

describe('odd text before the locations: phrase_grounding', () => {
  check('<CAPTION_TO_PHRASE_GROUNDING>', [
    ['\\r before the locations is stripped', `a dog\r${LOCS_1_4}`, SQUARE, { ...BOX_1_4, labels: ['a dog'] }],
    [
      'strip() runs before the banned list: "it\\r" is "it", skipped',
      `it\r${LOCS_1_4}a cat<loc_5><loc_6><loc_7><loc_8>`,
      SQUARE,
      { bboxes: [[5, 6, 7, 8]], labels: ['a cat'] },
    ],
    ['a stray < (the reference: "b dog")', `a<b dog${LOCS_1_4}`, SQUARE, { ...BOX_1_4, labels: ['a<b dog'] }],
    [
      'a location cut before its > (the reference: "loc_12")',
      `a cat<loc_12${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: ['a cat<loc_12'] },
    ],
    [
      'a location with no digits (the reference: "loc_x>")',
      `a cat<loc_x>${LOCS_1_4}`,
      SQUARE,
      { ...BOX_1_4, labels: ['a cat<loc_x>'] },
    ],
  ]);
});

describe('odd text before the locations: ocr', () => {
  // `(.+?)` then eight locations: the line is everything before them, so labels match the reference.
  const QUAD = { quad_boxes: [[1, 2, 3, 4, 5, 6, 7, 8]] };
  check('<OCR_WITH_REGION>', [
    [
      '\\r before the locations: `.` takes it, strip() drops it',
      `EXIT\r${LOCS_1_8}`,
      SQUARE,
      { ...QUAD, labels: ['EXIT'] },
    ],
    ['\\r inside a line stays', `A\rB${LOCS_1_8}`, SQUARE, { ...QUAD, labels: ['A\rB'] }],
    [
      'a line feed: `.` does not take it, so the line starts after it',
      `x\nEXIT${LOCS_1_8}`,
      SQUARE,
      { ...QUAD, labels: ['EXIT'] },
    ],
    ['a stray < is part of the line', `a<b${LOCS_1_8}`, SQUARE, { ...QUAD, labels: ['a<b'] }],
    [
      'a location cut before its > is part of the line',
      `EXIT<loc_12${LOCS_1_8}`,
      SQUARE,
      { ...QUAD, labels: ['EXIT<loc_12'] },
    ],
    [
      'a location with no digits is part of the line',
      `EXIT<loc_x>${LOCS_1_8}`,
      SQUARE,
      { ...QUAD, labels: ['EXIT<loc_x>'] },
    ],
  ]);
});

describe('odd text before the locations: polygons', () => {
  // Runs of polygon tokens alone; the label is read from the run, so it is empty here.
  const POLYGON = { polygons: [[[1, 2, 3, 4]]], labels: [''] };
  check('<REFERRING_EXPRESSION_SEGMENTATION>', [
    ['\\r before the run', `\r${LOCS_1_4}`, SQUARE, POLYGON],
    ['a stray < before the run', `a<b${LOCS_1_4}`, SQUARE, POLYGON],
    ['a location cut before its >', `<loc_12${LOCS_1_4}`, SQUARE, POLYGON],
    ['a location with no digits', `<loc_x>${LOCS_1_4}`, SQUARE, POLYGON],
    ['an out-of-range location cut before its >', `<loc_99999${LOCS_1_4}`, SQUARE, POLYGON],
  ]);
});

describe('odd text before the locations: description_with_bboxes_or_polygons', () => {
  const polygons = (label: string) => ({
    bboxes: [],
    bboxes_labels: [],
    polygons: [[[1, 2, 3, 4, 5, 6]]],
    polygons_labels: [label],
  });
  const boxes = (label: string) => ({ ...BOX_1_4, bboxes_labels: [label], polygons: [], polygons_labels: [] });
  check('<OPEN_VOCABULARY_DETECTION>', [
    ['polygons: \\r before <poly> is stripped', `car\r${POLY_1_6}`, SQUARE, polygons('car')],
    [
      'polygons: a line feed before <poly> (the reference drops the phrase; ours keeps it, deliberate)',
      `car\n${POLY_1_6}`,
      SQUARE,
      polygons('car'),
    ],
    ['polygons: a stray < (the reference: "b dog")', `a<b dog${POLY_1_6}`, SQUARE, polygons('a<b dog')],
    [
      'polygons: a location cut before its > (the reference: "loc_12")',
      `cat<loc_12${POLY_1_6}`,
      SQUARE,
      polygons('cat<loc_12'),
    ],
    [
      'polygons: a location with no digits (the reference: "loc_x>")',
      `cat<loc_x>${POLY_1_6}`,
      SQUARE,
      polygons('cat<loc_x>'),
    ],
    ['boxes: \\r before the locations is stripped', `car\r${LOCS_1_4}`, SQUARE, boxes('car')],
    ['boxes: a stray < (the reference: "b dog")', `a<b dog${LOCS_1_4}`, SQUARE, boxes('a<b dog')],
    [
      'boxes: an out-of-range location cut before its > (the reference: "loc_99999")',
      `cat<loc_99999${LOCS_1_4}`,
      SQUARE,
      boxes('cat<loc_99999'),
    ],
  ]);
});
