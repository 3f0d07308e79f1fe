/**
 * Property test: whatever the model emits (valid, truncated or garbage token sequences), parsing
 * never throws and always gives a well-formed answer with finite coordinates inside the image.
 */
import { describe, expect, it } from 'vitest';
import type { TokenProbability } from './confidence';
import { parseAnswer, type Region } from './parse';
import { TASK_TOKENS } from './tasks';

const VOCABULARY = [
  '<s>',
  '</s>',
  '<pad>',
  '<poly>',
  '</poly>',
  '<sep>',
  '<and>',
  '<od>',
  '</od>',
  '<ocr>',
  'car',
  ' a red',
  'wheel ',
  'it',
  'the image',
  'Größe',
  '<',
  '>',
  'loc_',
  '<loc_',
  '\n',
  ' ',
  '😀',
];

/** A small deterministic generator, so a failure can be replayed from its seed. */
function* tokenizedSequences(seed: number, count: number): Generator<{ raw: string; tokens: TokenProbability[] }> {
  let state = seed;
  const next = (limit: number) => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state % limit;
  };
  for (let i = 0; i < count; i++) {
    const length = next(80);
    let text = '';
    const tokens: TokenProbability[] = [];
    for (let j = 0; j < length; j++) {
      const pick = next(10);
      const piece = pick < 5 ? `<loc_${next(1200)}>` : (VOCABULARY[next(VOCABULARY.length)] ?? '');
      // Probabilities 0..1, 0 included; now and then a forced token or one that decodes to nothing.
      const probability = next(101) / 100;
      const forced = next(20) === 0;
      const empty = next(20) === 0;
      tokens.push({ start: text.length, end: text.length + (empty ? 0 : piece.length), probability, forced });
      if (!empty) text += piece;
    }
    yield { raw: text, tokens };
  }
}

function* sequences(seed: number, count: number): Generator<string> {
  for (const { raw } of tokenizedSequences(seed, count)) yield raw;
}

describe('parsing any output', () => {
  it('never throws and gives well-formed answers for 3000 random sequences per task', () => {
    const image = { width: 641, height: 479 };
    for (const task of TASK_TOKENS) {
      for (const raw of sequences(TASK_TOKENS.indexOf(task) + 1, 3000)) {
        const answer = parseAnswer(task, raw, image);
        expect(answer.task).toBe(task);
        expect(typeof answer.text).toBe('string');
        for (const region of answer.regions) {
          expect(typeof region.label).toBe('string');
          const points =
            region.kind === 'box'
              ? [
                  { x: region.box[0], y: region.box[1] },
                  { x: region.box[2], y: region.box[3] },
                ]
              : region.kind === 'quad'
                ? region.points
                : region.rings.flat();
          if (region.kind === 'quad') expect(region.points).toHaveLength(4);
          if (region.kind === 'polygon') expect(region.rings.length).toBeGreaterThan(0);
          for (const { x, y } of points) {
            expect(Number.isInteger(x) && x >= 0 && x < image.width, `${task}: x ${x} from ${raw}`).toBe(true);
            expect(Number.isInteger(y) && y >= 0 && y < image.height, `${task}: y ${y} from ${raw}`).toBe(true);
          }
        }
      }
    }
  });

  it('with token probabilities, parses the same regions and scores all of them within 0..1', () => {
    const image = { width: 641, height: 479 };
    const withoutScore = ({ score: _score, ...region }: Region) => region;
    const inRange = (score: number | undefined) => score !== undefined && score >= 0 && score <= 1;
    for (const task of TASK_TOKENS) {
      for (const { raw, tokens } of tokenizedSequences(TASK_TOKENS.indexOf(task) + 101, 1000)) {
        const plain = parseAnswer(task, raw, image);
        const scored = parseAnswer(task, raw, image, tokens);
        expect(scored.regions.map(withoutScore)).toEqual(plain.regions);
        expect(scored.text).toBe(plain.text);
        if (tokens.length === 0) continue;
        expect(inRange(scored.score), `${task}: answer score ${scored.score} from ${raw}`).toBe(true);
        for (const region of scored.regions) {
          expect(inRange(region.score), `${task}: region score ${region.score} from ${raw}`).toBe(true);
        }
      }
    }
  });

  it('stays fast on long garbage (no catastrophic backtracking)', () => {
    const long = 'x'.repeat(20_000) + '<loc_1>'.repeat(3);
    const started = performance.now();
    for (const task of TASK_TOKENS) parseAnswer(task, long, { width: 100, height: 100 });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
