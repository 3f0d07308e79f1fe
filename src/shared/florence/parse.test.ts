import { describe, expect, it } from 'vitest';
import { dequantizeBin, parseAnswer } from './parse';

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
