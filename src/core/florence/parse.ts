/**
 * Turns Florence-2's raw decoded text into a typed answer, following the rules of the reference
 * Python post-processor (transformers' Florence2PostProcessor), not transformers.js's partial one.
 */
import { type ImageBox, type ImageSize, LOCATION_BINS } from '../geometry/bins';
import { type AnswerType, getTask, type TaskToken } from './tasks';

export interface BoxRegion {
  readonly kind: 'box';
  readonly label: string;
  readonly box: ImageBox;
}

export type Region = BoxRegion;

export interface FlorenceAnswer {
  readonly task: TaskToken;
  readonly answerType: AnswerType;
  /** The answer as text: the pure-text answer, or the labels of the regions. */
  readonly text: string;
  readonly regions: readonly Region[];
}

const TOKENS_REMOVED_BEFORE_PARSING = ['<s>', '</s>', '<pad>'];
const LOCATION_TOKEN = /<loc_(\d+)>/g;

function stripSequenceTokens(raw: string): string {
  let text = raw;
  for (const token of TOKENS_REMOVED_BEFORE_PARSING) text = text.replaceAll(token, '');
  return text;
}

/** Labels keep ASCII only, as the reference does (it encodes them with errors='ignore'). */
function asciiOnly(text: string): string {
  let kept = '';
  for (const char of text) if ((char.codePointAt(0) ?? 128) < 128) kept += char;
  return kept;
}

/**
 * Pixel coordinate of a bin, exactly as the reference computes it: float32 arithmetic, the bin's
 * centre, then truncation to an integer. Bins above 999 (malformed output) are clamped.
 */
export function dequantizeBin(bin: number, size: number): number {
  const clamped = Math.min(Math.max(bin, 0), LOCATION_BINS - 1);
  const perBin = Math.fround(size / LOCATION_BINS);
  return Math.trunc(Math.fround(Math.fround(clamped + 0.5) * perBin));
}

// A label followed by at least four location tokens; with empty phrases allowed, the locations alone.
const PHRASE_WITH_BOXES = /([^<]+(?:<loc_\d+>){4,})/g;
const BOXES_ONLY = /(?:(?:<loc_\d+>){4,})/g;
// The label is whatever precedes the first location (or detection markup) token.
const PHRASE_LABEL = /^\s*(.*?)(?=<od>|<\/od>|<box>|<\/box>|<bbox>|<\/bbox>|<loc_)/;
const BOX = /<loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)>/g;

function parseBoxes(text: string, image: ImageSize, allowEmptyPhrase: boolean): BoxRegion[] {
  const regions: BoxRegion[] = [];
  const phrasePattern = allowEmptyPhrase ? BOXES_ONLY : PHRASE_WITH_BOXES;
  for (const phraseMatch of text.matchAll(phrasePattern)) {
    const phraseText = (phraseMatch[0] ?? '').replace('<ground>', '').replace('<obj>', '');
    if (!phraseText && !allowEmptyPhrase) continue;
    const labelMatch = PHRASE_LABEL.exec(phraseText);
    if (!labelMatch) continue;
    const label = asciiOnly((labelMatch[1] ?? '').trim());
    for (const boxMatch of phraseText.matchAll(BOX)) {
      const [x1, y1, x2, y2] = [1, 2, 3, 4].map((group) => Number.parseInt(boxMatch[group] ?? '0', 10)) as [
        number,
        number,
        number,
        number,
      ];
      regions.push({
        kind: 'box',
        label,
        box: [
          dequantizeBin(x1, image.width),
          dequantizeBin(y1, image.height),
          dequantizeBin(x2, image.width),
          dequantizeBin(y2, image.height),
        ],
      });
    }
  }
  return regions;
}

function pureText(text: string): string {
  // Region tasks can echo stray location tokens; the answer is the words only.
  return text.replace(LOCATION_TOKEN, '').trim();
}

export function parseAnswer(task: TaskToken, rawText: string, image: ImageSize): FlorenceAnswer {
  const { answerType } = getTask(task);
  const text = stripSequenceTokens(rawText);
  switch (answerType) {
    case 'description_with_bboxes':
    case 'bboxes': {
      const regions = parseBoxes(text, image, answerType === 'bboxes');
      return { task, answerType, text: regions.map((region) => region.label).join(', '), regions };
    }
    default:
      return { task, answerType, text: pureText(text), regions: [] };
  }
}
