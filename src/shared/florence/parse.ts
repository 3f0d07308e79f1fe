/**
 * Turns Florence-2's raw decoded text into a typed answer, following the rules of the reference
 * Python post-processor (transformers' Florence2PostProcessor), not transformers.js's partial one.
 * Any input gives a well-formed answer: truncated, empty or garbage output never throws.
 */
import { type ImageSize, LOCATION_BINS } from '../geometry/bins';
import { type ImageBox, type ImagePoint, imageBox, imagePoint } from '../geometry/coordinates';
import { type AnswerType, getTask, type TaskToken } from './tasks';

export interface BoxRegion {
  readonly kind: 'box';
  readonly label: string;
  readonly box: ImageBox;
}

/** A quadrilateral (OCR text line), corners in the order the model gave them. */
export interface QuadRegion {
  readonly kind: 'quad';
  readonly label: string;
  readonly points: readonly ImagePoint[];
}

/** One object's mask: one or more rings; a ring inside another is a hole (even-odd rule). */
export interface PolygonRegion {
  readonly kind: 'polygon';
  readonly label: string;
  readonly rings: readonly (readonly ImagePoint[])[];
}

export type Region = BoxRegion | QuadRegion | PolygonRegion;

export interface FlorenceAnswer {
  readonly task: TaskToken;
  readonly answerType: AnswerType;
  /** The answer as text: the pure-text answer, or the region labels (one per line for OCR). */
  readonly text: string;
  readonly regions: readonly Region[];
}

const SEQUENCE_TOKENS = ['<s>', '</s>', '<pad>'];

function stripSequenceTokens(raw: string): string {
  let text = raw;
  for (const token of SEQUENCE_TOKENS) text = text.replaceAll(token, '');
  return text;
}

/** Labels keep ASCII only where the reference does (it encodes them with errors='ignore'). */
function asciiOnly(text: string): string {
  let kept = '';
  for (const char of text) if ((char.codePointAt(0) ?? 128) < 128) kept += char;
  return kept;
}

/**
 * Pixel coordinate of a bin, exactly as the reference computes it: float32 arithmetic, the bin's
 * centre, then truncation to an integer. Bins above 999 (malformed output) are clamped; the reference
 * would place them outside the image.
 */
export function dequantizeBin(bin: number, size: number): number {
  const clamped = Math.min(Math.max(bin, 0), LOCATION_BINS - 1);
  const perBin = Math.fround(size / LOCATION_BINS);
  return Math.trunc(Math.fround(Math.fround(clamped + 0.5) * perBin));
}

const LOCATION = /<loc_(\d+)>/g;

function locationBins(text: string): number[] {
  return Array.from(text.matchAll(LOCATION), (match) => Number.parseInt(match[1] ?? '0', 10));
}

/** Pairs of bins (x, y) to points; an odd trailing bin is dropped, as the reference does. */
function binsToPoints(bins: readonly number[], image: ImageSize): ImagePoint[] {
  const points: ImagePoint[] = [];
  for (let i = 0; i + 1 < bins.length; i += 2) {
    points.push(imagePoint(dequantizeBin(bins[i] ?? 0, image.width), dequantizeBin(bins[i + 1] ?? 0, image.height)));
  }
  return points;
}

function binsToBox(bins: readonly number[], image: ImageSize): ImageBox {
  return imageBox(
    dequantizeBin(bins[0] ?? 0, image.width),
    dequantizeBin(bins[1] ?? 0, image.height),
    dequantizeBin(bins[2] ?? 0, image.width),
    dequantizeBin(bins[3] ?? 0, image.height),
  );
}

// The label of a phrase is whatever precedes its first location (or detection markup) token.
const PHRASE_LABEL = /^\s*(.*?)(?=<od>|<\/od>|<box>|<\/box>|<bbox>|<\/bbox>|<loc_)/;
const POLYGON_PHRASE_LABEL = /^\s*(.*?)(?=<od>|<\/od>|<box>|<\/box>|<bbox>|<\/bbox>|<loc_|<poly>)/;
const BOX = /<loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)>/g;

/**
 * Phrases followed by at least four locations; with empty phrases allowed, the locations alone.
 * Unlike the reference, a phrase starts only at a token boundary (text start or after `>`): after a
 * cut-off box the reference reads a label such as `loc_3>dog`.
 */
function boxPhrases(text: string, allowEmptyPhrase: boolean): { label: string; boxes: number[][] }[] {
  const phrasePattern = allowEmptyPhrase ? /(?:<loc_\d+>){4,}/g : /(?<=^|>)[^<]+(?:<loc_\d+>){4,}/g;
  const phrases: { label: string; boxes: number[][] }[] = [];
  for (const match of text.matchAll(phrasePattern)) {
    const phraseText = match[0].replace('<ground>', '').replace('<obj>', '');
    if (!phraseText && !allowEmptyPhrase) continue;
    const labelMatch = PHRASE_LABEL.exec(phraseText);
    if (!labelMatch) continue;
    const boxes = Array.from(phraseText.matchAll(BOX), (box) =>
      [1, 2, 3, 4].map((group) => Number.parseInt(box[group] ?? '0', 10)),
    );
    if (boxes.length === 0) continue;
    phrases.push({ label: (labelMatch[1] ?? '').trim(), boxes });
  }
  return phrases;
}

function parseDescriptionWithBoxes(text: string, image: ImageSize, allowEmptyPhrase: boolean): BoxRegion[] {
  return boxPhrases(text, allowEmptyPhrase).flatMap(({ label, boxes }) =>
    boxes.map((bins): BoxRegion => ({ kind: 'box', label: asciiOnly(label), box: binsToBox(bins, image) })),
  );
}

/**
 * Phrases the reference never grounds (pronouns, determiners and "the image"): the model sometimes
 * emits boxes for them, and they are noise to a person.
 */
export const BANNED_GROUNDING_PHRASES: ReadonlySet<string> = new Set([
  'I',
  'a',
  'a group',
  'a set',
  'all',
  'an',
  'another',
  'any',
  'anybody',
  'anyone',
  'anything',
  'each',
  'each other',
  'everybody',
  'everyone',
  'everything',
  'few',
  'he',
  'her',
  'hers',
  'herself',
  'him',
  'himself',
  'his',
  'image',
  'images',
  'it',
  'its',
  'itself',
  'lots',
  'many',
  'me',
  'mine',
  'myself',
  'nobody',
  'none',
  'one',
  'one another',
  'oneself',
  'other objects',
  'our',
  'ours',
  'ourselves',
  'several',
  'she',
  'some',
  'somebody',
  'someone',
  'something',
  'that',
  'the',
  'the image',
  'their',
  'theirs',
  'them',
  'themselves',
  'these',
  'they',
  'this',
  'those',
  'us',
  'we',
  'what',
  'which',
  'who',
  'whom',
  'whose',
  'you',
  'your',
  'yours',
  'yourself',
  'yourselves',
]);

function parsePhraseGrounding(text: string, image: ImageSize): BoxRegion[] {
  return boxPhrases(text, false)
    .filter(({ label }) => !BANNED_GROUNDING_PHRASES.has(label))
    .flatMap(({ label, boxes }) =>
      boxes.map((bins): BoxRegion => ({ kind: 'box', label: asciiOnly(label), box: binsToBox(bins, image) })),
    );
}

// Eight locations: the four corners of a text line's quadrilateral.
const OCR_LINE = /(.+?)<loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)>/g;

function parseOcr(text: string, image: ImageSize): QuadRegion[] {
  return Array.from(text.matchAll(OCR_LINE), (match): QuadRegion => {
    const bins = match.slice(2, 10).map((bin) => Number.parseInt(bin ?? '0', 10));
    // Unlike the reference, the locations of a cut-off line before this one are not part of its text.
    const label = (match[1] ?? '').replace(LOCATION, '').trim();
    return { kind: 'quad', label, points: binsToPoints(bins, image) };
  });
}

const POLYGON_TOKEN = '(?:<loc_\\d+>|<sep>|<poly>|<\\/poly>)';
const POLYGON_RING = /((?:<loc_\d+>)+)(?:<sep>|$)/g;
const POLYGON_INSTANCE = /<poly>(.*?)<\/poly>/g;

function parsePolygons(text: string, image: ImageSize, allowEmptyPhrase: boolean): PolygonRegion[] {
  const phrasePattern = allowEmptyPhrase
    ? new RegExp(`${POLYGON_TOKEN}{4,}`, 'g')
    : new RegExp(`(?<=^|>)[^<]+${POLYGON_TOKEN}{4,}`, 'g');
  const regions: PolygonRegion[] = [];
  for (const match of text.matchAll(phrasePattern)) {
    const phraseText = match[0];
    // A single leading location is not part of the label.
    const withoutLeadingLocation = phraseText.replace(/^<loc_\d+>/, '');
    if (!withoutLeadingLocation && !allowEmptyPhrase) continue;
    const labelMatch = POLYGON_PHRASE_LABEL.exec(withoutLeadingLocation);
    if (!labelMatch) continue;
    const label = (labelMatch[1] ?? '').trim();
    const instances =
      phraseText.includes('<poly>') && phraseText.includes('</poly>')
        ? Array.from(phraseText.matchAll(POLYGON_INSTANCE), (instance) => instance[1] ?? '')
        : [phraseText];
    for (const instance of instances) {
      const rings = Array.from(instance.matchAll(POLYGON_RING), (ring) =>
        binsToPoints(locationBins(ring[1] ?? ''), image),
      );
      if (rings.length === 0) continue;
      regions.push({ kind: 'polygon', label, rings });
    }
  }
  return regions;
}

// Location and task-markup tokens that can trail a pure-text answer (region tasks echo their region).
const STRAY_MARKUP =
  /<loc_\d+>|<\/?(?:od|ocr|cap|ncap|dcap|grounding|seg|region_cap|region_to_desciption|proposal|poly)>|<sep>|<and>/g;

function pureText(text: string): string {
  return text.replace(STRAY_MARKUP, '').trim();
}

function regionsText(regions: readonly Region[], separator: string): string {
  return regions.map((region) => region.label).join(separator);
}

export function parseAnswer(task: TaskToken, rawText: string, image: ImageSize): FlorenceAnswer {
  const { answerType } = getTask(task);
  const text = stripSequenceTokens(rawText);
  const answer = (regions: Region[], separator = ', ') => ({
    task,
    answerType,
    text: regionsText(regions, separator),
    regions,
  });
  switch (answerType) {
    case 'pure_text':
      return { task, answerType, text: pureText(text), regions: [] };
    case 'ocr':
      return answer(parseOcr(text, image), '\n');
    case 'description_with_bboxes':
      return answer(parseDescriptionWithBoxes(text, image, false));
    case 'bboxes':
      return answer(parseDescriptionWithBoxes(text, image, true));
    case 'phrase_grounding':
      return answer(parsePhraseGrounding(text, image));
    case 'polygons':
      return answer(parsePolygons(text, image, true));
    case 'description_with_bboxes_or_polygons':
      return answer(
        text.includes('<poly>') ? parsePolygons(text, image, false) : parseDescriptionWithBoxes(text, image, false),
      );
  }
}

const flatPoints = (points: readonly ImagePoint[]) => points.flatMap((point) => [point.x, point.y]);

/**
 * The answer in the shape the reference Python processor returns from post_process_generation, so
 * results can be compared with, or fed to, code written against it.
 */
export function toReferenceJson(answer: FlorenceAnswer): Record<string, unknown> {
  const { regions } = answer;
  const labels = regions.map((region) => region.label);
  const boxes = regions.flatMap((region) => (region.kind === 'box' ? [[...region.box]] : []));
  const polygons = regions.flatMap((region) => (region.kind === 'polygon' ? [region.rings.map(flatPoints)] : []));
  let value: unknown;
  switch (answer.answerType) {
    case 'pure_text':
      value = answer.text;
      break;
    case 'ocr':
      value = {
        quad_boxes: regions.map((region) => (region.kind === 'quad' ? flatPoints(region.points) : [])),
        labels,
      };
      break;
    case 'description_with_bboxes':
    case 'bboxes':
    case 'phrase_grounding':
      value = { bboxes: boxes, labels };
      break;
    case 'polygons':
      value = { polygons, labels };
      break;
    case 'description_with_bboxes_or_polygons':
      value = {
        bboxes: boxes,
        bboxes_labels: regions.filter((region) => region.kind === 'box').map((region) => region.label),
        polygons,
        polygons_labels: regions.filter((region) => region.kind === 'polygon').map((region) => region.label),
      };
      break;
  }
  return { [answer.task]: value };
}
