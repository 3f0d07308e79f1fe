/**
 * Turns Florence-2's raw decoded text into a typed answer, following the rules of the reference
 * Python post-processor (transformers' Florence2PostProcessor), not transformers.js's partial one.
 * Any input gives a well-formed answer: truncated, empty or garbage output never throws.
 *
 * With the probabilities of the generated tokens, regions and the answer also get confidence scores
 * (confidence.ts): so the parser records, for each region, which characters of the raw text made it.
 */
import { type ImageSize, LOCATION_BINS } from '../geometry/bins';
import { type ImageBox, type ImagePoint, imageBox, imagePoint } from '../geometry/coordinates';
import { answerScore, type CharRange, rangesScore, type TokenProbability } from './confidence';
import { type AnswerType, getTask, type TaskToken } from './tasks';

export interface BoxRegion {
  readonly kind: 'box';
  readonly label: string;
  readonly box: ImageBox;
  /** Confidence 0..1 (confidence.ts), present only when the answer was parsed with token probabilities. */
  readonly score?: number;
}

/** A quadrilateral (OCR text line), corners in the order the model gave them. */
export interface QuadRegion {
  readonly kind: 'quad';
  readonly label: string;
  readonly points: readonly ImagePoint[];
  /** Confidence 0..1 (confidence.ts), present only when the answer was parsed with token probabilities. */
  readonly score?: number;
}

/** One object's mask: one or more rings; a ring inside another is a hole (even-odd rule). */
export interface PolygonRegion {
  readonly kind: 'polygon';
  readonly label: string;
  readonly rings: readonly (readonly ImagePoint[])[];
  /** Confidence 0..1 (confidence.ts), present only when the answer was parsed with token probabilities. */
  readonly score?: number;
}

export type Region = BoxRegion | QuadRegion | PolygonRegion;

export interface FlorenceAnswer {
  readonly task: TaskToken;
  readonly answerType: AnswerType;
  /** The answer as text: the pure-text answer, or the region labels (one per line for OCR). */
  readonly text: string;
  readonly regions: readonly Region[];
  /**
   * Pure-text answers only: the string the reference returns, which keeps what `text` cleans away
   * (the location tokens a region task echoes, task markup, `<pad>`), so toReferenceJson can give
   * it exactly. Absent, toReferenceJson uses `text`.
   */
  readonly referenceText?: string;
  /** Confidence 0..1 of the whole answer (confidence.ts), present only when parsed with token probabilities. */
  readonly score?: number;
}

const SEQUENCE_TOKENS = ['<s>', '</s>', '<pad>'];

/** The text the rules read: the raw text without sequence tokens. */
interface ReadText {
  readonly text: string;
  /**
   * Where each character of `text` sits in the raw text (the tokens' offsets are raw-text offsets);
   * only worked out when there are tokens to score, as parsing runs on every streamed token.
   */
  readonly rawOffsets: readonly number[];
}

/** Characters [start, end) of the read text. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/** Removes the sequence tokens one after the other, as the reference's chained str.replace calls do. */
function readText(raw: string, withOffsets: boolean): ReadText {
  if (!withOffsets) {
    let text = raw;
    for (const token of SEQUENCE_TOKENS) text = text.replaceAll(token, '');
    return { text, rawOffsets: [] };
  }
  let text = raw;
  let offsets: number[] = [];
  for (let index = 0; index < raw.length; index++) offsets.push(index);
  for (const token of SEQUENCE_TOKENS) {
    if (!text.includes(token)) continue;
    const pieces: string[] = [];
    const keptOffsets: number[] = [];
    let from = 0;
    const keep = (end: number) => {
      pieces.push(text.slice(from, end));
      for (let index = from; index < end; index++) keptOffsets.push(offsets[index] ?? 0);
    };
    for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, from)) {
      keep(at);
      from = at + token.length;
    }
    keep(text.length);
    text = pieces.join('');
    offsets = keptOffsets;
  }
  return { text, rawOffsets: offsets };
}

/** The raw-text ranges of some spans of the read text (a span with a sequence token inside gives two). */
function rawRanges(read: ReadText, spans: readonly Span[]): CharRange[] {
  const ranges: CharRange[] = [];
  for (const span of spans) {
    let start = -1;
    let end = -1;
    for (let index = span.start; index < span.end; index++) {
      const offset = read.rawOffsets[index] ?? 0;
      if (offset === end) {
        end++;
        continue;
      }
      if (start >= 0) ranges.push({ start, end });
      start = offset;
      end = offset + 1;
    }
    if (start >= 0) ranges.push({ start, end });
  }
  return ranges;
}

// What Python's str.strip() removes (str.isspace): unlike String.prototype.trim it also takes
// \x1c-\x1f and \x85, and it leaves U+FEFF. Labels must strip the same, or a label ending in one of
// them differs from the reference's (and, in grounding, escapes or hits the banned list).
const PYTHON_WHITESPACE: ReadonlySet<number> = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

const isPythonSpace = (text: string, index: number) => PYTHON_WHITESPACE.has(text.charCodeAt(index));

function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPythonSpace(text, start)) start++;
  while (end > start && isPythonSpace(text, end - 1)) end--;
  return text.slice(start, end);
}

interface Label {
  /** As kept: stripped, before any ASCII filtering. */
  readonly text: string;
  /** Its characters in the read text (none for an empty label). */
  readonly spans: readonly Span[];
}

/**
 * A label made of some pieces of the text, stripped at its ends as Python's strip() does.
 *
 * Control characters: a label keeps the ones inside it, as the reference does (they are ASCII, so
 * its encode('ascii', errors='ignore') keeps them), and loses the whitespace ones (\t \n \v \f \r
 * \x1c-\x1f) at its ends with the strip. So `car\r` is `car`, `ca\x07t` stays `ca\x07t`: labels stay
 * the reference's strings, and the view, not the parser, decides how to draw an odd character.
 */
function keptLabel(text: string, pieces: readonly Span[]): Label {
  const indices: number[] = [];
  for (const piece of pieces) for (let index = piece.start; index < piece.end; index++) indices.push(index);
  let first = 0;
  let last = indices.length;
  while (first < last && isPythonSpace(text, indices[first] ?? 0)) first++;
  while (last > first && isPythonSpace(text, indices[last - 1] ?? 0)) last--;
  let kept = '';
  const spans: { start: number; end: number }[] = [];
  for (const index of indices.slice(first, last)) {
    kept += text[index] ?? '';
    const previous = spans.at(-1);
    if (previous && previous.end === index) previous.end++;
    else spans.push({ start: index, end: index + 1 });
  }
  return { text: kept, spans };
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

/** One `<loc_N>` token: its bin and its characters. */
interface Location {
  readonly bin: number;
  readonly span: Span;
}

// Digits are ASCII here; Python's \d would also take other scripts' digits, which the model's
// location tokens never contain.
const LOCATION = /<loc_(\d+)>/g;

function locationsIn(text: string, span: Span): Location[] {
  return Array.from(text.slice(span.start, span.end).matchAll(LOCATION), (match) => ({
    bin: Number.parseInt(match[1] ?? '0', 10),
    span: { start: span.start + match.index, end: span.start + match.index + match[0].length },
  }));
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

/** A region as parsed, with the characters of the read text that make it: its label and its locations. */
interface ParsedRegion {
  readonly region: Region;
  readonly spans: readonly Span[];
}

// Florence-2's own tokens (location and task markup) that can appear in an answer.
const FLORENCE_MARKUP =
  /<loc_\d+>|<\/?(?:od|ocr|cap|ncap|dcap|grounding|seg|region_cap|region_to_desciption|proposal|poly)>|<sep>|<and>/g;

/** Where each Florence token of the text ends, in order. */
function markupEnds(text: string): number[] {
  return Array.from(text.matchAll(FLORENCE_MARKUP), (match) => match.index + match[0].length);
}

/** The end of the last Florence token that ends at or before `offset`, else 0 (the text start). */
function lastMarkupEnd(ends: readonly number[], offset: number): number {
  let low = 0;
  let high = ends.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((ends[middle] ?? 0) <= offset) low = middle + 1;
    else high = middle;
  }
  return ends[low - 1] ?? 0;
}

/** A run of location (or polygon) tokens and, unless empty phrases are allowed, the label before it. */
interface Phrase {
  readonly run: Span;
  readonly label: Label;
}

const NO_LABEL: Label = { text: '', spans: [] };

/**
 * The phrases the reference finds, with the regions it finds: its pattern is text without `<`, then
 * at least four tokens of the run (`[^<]+(?:<loc_\d+>){4,}`, or the run alone when empty phrases are
 * allowed). A run is taken whole, and has a phrase exactly when the character before it is not `<`.
 * (Found run by run rather than with the reference's pattern, whose retries are quadratic on long
 * text without locations.)
 *
 * Where it differs, deliberately, it differs only in the label, never in the regions:
 * - A label is the text after the last Florence token (location or task markup; or the text start)
 *   before its run. The reference's starts after the last `<`, so after a cut-off box its label is
 *   `loc_3>dog` where ours is `dog`, and after `<od>` it is `od>` where ours is empty; but after a
 *   stray `<` that begins no token (`a<b dog`, `cat<loc_12`, `cat<loc_x>`) ours keeps the whole
 *   text the model wrote (`a<b dog`) where the reference keeps the tail (`b dog`, `loc_12`, `loc_x>`):
 *   the OCR rule reads such text the same way.
 * - The reference reads its label with `.`, which stops at a line feed, so it drops every phrase with
 *   a line feed after its first visible character (`car\n<loc_1>…`, `two\nwords<loc_1>…`). Ours keeps
 *   the region: a line feed is whitespace at a label's ends and kept inside it, like any control
 *   character.
 */
function findPhrases(text: string, runPattern: RegExp, allowEmptyPhrase: boolean): Phrase[] {
  const ends = allowEmptyPhrase ? [] : markupEnds(text);
  const phrases: Phrase[] = [];
  for (const match of text.matchAll(runPattern)) {
    const run = { start: match.index, end: match.index + match[0].length };
    if (allowEmptyPhrase) {
      phrases.push({ run, label: NO_LABEL });
      continue;
    }
    if (run.start === 0 || text[run.start - 1] === '<') continue;
    phrases.push({ run, label: keptLabel(text, [{ start: lastMarkupEnd(ends, run.start), end: run.start }]) });
  }
  return phrases;
}

const BOX_RUN = /(?:<loc_\d+>){4,}/g;

/**
 * Labelled boxes: each four locations of a run are one box (a trailing incomplete box is ignored),
 * and every box of a phrase carries its label. A label of the reference's banned list is skipped.
 */
function parseBoxes(
  text: string,
  image: ImageSize,
  allowEmptyPhrase: boolean,
  banned: ReadonlySet<string> = new Set(),
): ParsedRegion[] {
  const parsed: ParsedRegion[] = [];
  for (const { run, label } of findPhrases(text, BOX_RUN, allowEmptyPhrase)) {
    if (banned.has(label.text)) continue;
    const locations = locationsIn(text, run);
    for (let i = 0; i + 4 <= locations.length; i += 4) {
      const box = locations.slice(i, i + 4);
      parsed.push({
        region: {
          kind: 'box',
          label: asciiOnly(label.text),
          box: binsToBox(
            box.map((location) => location.bin),
            image,
          ),
        },
        spans: [...label.spans, ...box.map((location) => location.span)],
      });
    }
  }
  return parsed;
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

function parsePhraseGrounding(text: string, image: ImageSize): ParsedRegion[] {
  return parseBoxes(text, image, false, BANNED_GROUNDING_PHRASES);
}

// Eight locations: the four corners of a text line's quadrilateral. `[^\n]` is Python's `.` (which
// takes a carriage return, where JavaScript's stops), so a line `car\r<loc_1>…` is read as the
// reference reads it; a line with a line feed starts after it, as the reference's does.
const OCR_LINE = /([^\n]+?)<loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)>/dg;

/** The characters of a capture group, from a match made with the `d` flag. */
function groupSpan(match: RegExpExecArray | RegExpMatchArray, group: number): Span {
  const [start, end] = match.indices?.[group] ?? [0, 0];
  return { start, end };
}

function parseOcr(text: string, image: ImageSize): ParsedRegion[] {
  return Array.from(text.matchAll(OCR_LINE), (match): ParsedRegion => {
    const bins = match.slice(2, 10).map((bin) => Number.parseInt(bin ?? '0', 10));
    const content = groupSpan(match, 1);
    // Unlike the reference, the locations of a cut-off line before this one are not part of its text.
    const pieces: Span[] = [];
    let from = content.start;
    for (const location of locationsIn(text, content)) {
      pieces.push({ start: from, end: location.span.start });
      from = location.span.end;
    }
    pieces.push({ start: from, end: content.end });
    const label = keptLabel(text, pieces);
    const corners = [2, 3, 4, 5, 6, 7, 8, 9].map((group) => {
      const digits = groupSpan(match, group);
      return { start: digits.start - '<loc_'.length, end: digits.end + '>'.length };
    });
    return {
      region: { kind: 'quad', label: label.text, points: binsToPoints(bins, image) },
      spans: [...label.spans, ...corners],
    };
  });
}

const POLYGON_RUN = /(?:<loc_\d+>|<sep>|<poly>|<\/poly>){4,}/g;
const POLYGON_INSTANCE = /<poly>(.*?)<\/poly>/dg;
const POLYGON_RING = /((?:<loc_\d+>)+)(?:<sep>|$)/dg;
// The reference's label rule for a phrase that may be empty: what precedes the first location or
// `<poly>` (`[^\n]` is Python's `.`; a run holds no line break anyway).
const POLYGON_PHRASE_LABEL = /^\s*([^\n]*?)(?=<od>|<\/od>|<box>|<\/box>|<bbox>|<\/bbox>|<loc_|<poly>)/d;

/** With empty phrases allowed, the label is read from the run itself, as the reference does. */
function runLabel(text: string, run: Span): Label | null {
  // A single leading location is not part of the label.
  const leading = /^<loc_\d+>/.exec(text.slice(run.start, run.end));
  const from = run.start + (leading?.[0].length ?? 0);
  const match = POLYGON_PHRASE_LABEL.exec(text.slice(from, run.end));
  if (!match) return null;
  const group = groupSpan(match, 1);
  return keptLabel(text, [{ start: from + group.start, end: from + group.end }]);
}

function parsePolygons(text: string, image: ImageSize, allowEmptyPhrase: boolean): ParsedRegion[] {
  const parsed: ParsedRegion[] = [];
  for (const phrase of findPhrases(text, POLYGON_RUN, allowEmptyPhrase)) {
    const { run } = phrase;
    const label = allowEmptyPhrase ? runLabel(text, run) : phrase.label;
    if (!label) continue;
    const runText = text.slice(run.start, run.end);
    const instances: Span[] =
      runText.includes('<poly>') && runText.includes('</poly>')
        ? Array.from(runText.matchAll(POLYGON_INSTANCE), (instance) => {
            const group = groupSpan(instance, 1);
            return { start: run.start + group.start, end: run.start + group.end };
          })
        : [run];
    for (const instance of instances) {
      const rings: ImagePoint[][] = [];
      const spans: Span[] = [...label.spans];
      for (const ring of text.slice(instance.start, instance.end).matchAll(POLYGON_RING)) {
        const group = groupSpan(ring, 1);
        const locations = locationsIn(text, { start: instance.start + group.start, end: instance.start + group.end });
        // An odd trailing location gives no point: it is not part of the ring.
        const paired = locations.slice(0, locations.length - (locations.length % 2));
        rings.push(
          binsToPoints(
            paired.map((location) => location.bin),
            image,
          ),
        );
        for (const location of paired) spans.push(location.span);
      }
      if (rings.length === 0) continue;
      parsed.push({ region: { kind: 'polygon', label: label.text, rings }, spans });
    }
  }
  return parsed;
}

/** The text a person reads: without the location and markup tokens (region tasks echo their region). */
function pureText(text: string): string {
  return text.replace(FLORENCE_MARKUP, '').trim();
}

/** The reference's pure-text answer: only `<s>` and `</s>` removed (it keeps `<pad>`), then strip(). */
function referencePureText(raw: string): string {
  return pythonStrip(raw.replaceAll('<s>', '').replaceAll('</s>', ''));
}

/** The text of a region answer: its labels, a line each for OCR, comma separated otherwise. */
export function regionsText(regions: readonly Region[], answerType: AnswerType): string {
  return regions.map((region) => region.label).join(answerType === 'ocr' ? '\n' : ', ');
}

function parseRegions(answerType: Exclude<AnswerType, 'pure_text'>, rawText: string, text: string, image: ImageSize) {
  switch (answerType) {
    case 'ocr':
      return parseOcr(text, image);
    case 'description_with_bboxes':
      return parseBoxes(text, image, false);
    case 'bboxes':
      return parseBoxes(text, image, true);
    case 'phrase_grounding':
      return parsePhraseGrounding(text, image);
    case 'polygons':
      return parsePolygons(text, image, true);
    case 'description_with_bboxes_or_polygons':
      // The reference looks for `<poly>` in the text as given, before removing sequence tokens.
      return rawText.includes('<poly>') ? parsePolygons(text, image, false) : parseBoxes(text, image, false);
  }
}

/**
 * Parses an answer. With `tokens` (one per generated token, offsets into `rawText`), the answer and
 * every region get a `score` (confidence.ts): a region is scored by the chosen tokens that overlap its
 * label's characters (as kept: stripped, before ASCII filtering) or one of its own location tokens
 * (a box's four, a quad's eight, every location of a polygon's rings; not `<sep>` or `<poly>`), and
 * falls back to the answer's score when no token does. Without tokens, or with an empty list (a
 * generation has at least its end token, so an empty list only says none were reported), nothing
 * has a score.
 */
export function parseAnswer(
  task: TaskToken,
  rawText: string,
  image: ImageSize,
  tokens?: readonly TokenProbability[],
): FlorenceAnswer {
  const { answerType } = getTask(task);
  const scoring = tokens !== undefined && tokens.length > 0 ? tokens : undefined;
  const read = readText(rawText, scoring !== undefined);
  const score = scoring ? answerScore(scoring) : undefined;
  const scored = score === undefined ? {} : { score };
  if (answerType === 'pure_text') {
    return {
      task,
      answerType,
      text: pureText(read.text),
      referenceText: referencePureText(rawText),
      regions: [],
      ...scored,
    };
  }
  const parsed = parseRegions(answerType, rawText, read.text, image);
  const regions = parsed.map(({ region, spans }): Region => {
    if (!scoring || score === undefined) return region;
    return { ...region, score: rangesScore(scoring, rawRanges(read, spans), score) };
  });
  return { task, answerType, text: regionsText(regions, answerType), regions, ...scored };
}

const flatPoints = (points: readonly ImagePoint[]) => points.flatMap((point) => [point.x, point.y]);

/**
 * Scores as the JSON gives them, rounded to 4 decimals (the answer keeps the full numbers); none
 * unless every region has one and there is something to say (regions, or an answer parsed with
 * token probabilities), so an answer parsed without tokens has no scores key.
 */
function jsonScores(answer: FlorenceAnswer, regions: readonly Region[]): number[] | undefined {
  if (regions.length === 0 && answer.score === undefined) return undefined;
  const scores: number[] = [];
  for (const region of regions) {
    if (region.score === undefined) return undefined;
    scores.push(Math.round(region.score * 10_000) / 10_000);
  }
  return scores;
}

/**
 * The answer in the shape the reference Python processor returns from post_process_generation, so
 * results can be compared with, or fed to, code written against it; with `scores` (or
 * `bboxes_scores` and `polygons_scores`) beside the labels when the regions were scored.
 */
export function toReferenceJson(answer: FlorenceAnswer): Record<string, unknown> {
  const { regions } = answer;
  const labelled = (kept: readonly Region[], labelsKey: string, scoresKey: string) => {
    const scores = jsonScores(answer, kept);
    return { [labelsKey]: kept.map((region) => region.label), ...(scores ? { [scoresKey]: scores } : {}) };
  };
  const boxRegions = regions.filter((region) => region.kind === 'box');
  const polygonRegions = regions.filter((region) => region.kind === 'polygon');
  const boxes = boxRegions.map((region) => [...region.box]);
  const polygons = polygonRegions.map((region) => region.rings.map(flatPoints));
  let value: unknown;
  switch (answer.answerType) {
    case 'pure_text':
      value = answer.referenceText ?? answer.text;
      break;
    case 'ocr':
      value = {
        quad_boxes: regions.map((region) => (region.kind === 'quad' ? flatPoints(region.points) : [])),
        ...labelled(regions, 'labels', 'scores'),
      };
      break;
    case 'description_with_bboxes':
    case 'bboxes':
    case 'phrase_grounding':
      value = { bboxes: boxes, ...labelled(regions, 'labels', 'scores') };
      break;
    case 'polygons':
      value = { polygons, ...labelled(regions, 'labels', 'scores') };
      break;
    case 'description_with_bboxes_or_polygons':
      value = {
        bboxes: boxes,
        ...labelled(boxRegions, 'bboxes_labels', 'bboxes_scores'),
        polygons,
        ...labelled(polygonRegions, 'polygons_labels', 'polygons_scores'),
      };
      break;
  }
  return { [answer.task]: value };
}
