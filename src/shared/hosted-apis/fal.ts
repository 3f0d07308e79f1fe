/**
 * fal.ai's Florence-2 endpoints (`fal-ai/florence-2-large/<task>`): their input, and any answer in
 * the output shape fal gives for that task. fal also returns an annotated image; a local answer has
 * none (draw the regions yourself, or with the app's overlay).
 */
import type { FlorenceAnswer, Region } from '../florence/parse';
import { getTask, TASK_TOKENS, type TaskToken } from '../florence/tasks';
import { type ImageBox, imageBox } from '../geometry/coordinates';
import { boundsOfPoints } from '../geometry/shapes';
import { type ReadImage, readImageString } from './image-string';
import { isRecord, problem, type RequestProblem, taskInputFromText } from './task-prompt';

/** fal's endpoint name of a task: `<OD>` is `object-detection`, the others their token in kebab case. */
export function falEndpointOf(task: TaskToken): string {
  return task === '<OD>' ? 'object-detection' : task.slice(1, -1).toLowerCase().replaceAll('_', '-');
}

export const FAL_ENDPOINTS: ReadonlyMap<string, TaskToken> = new Map(
  TASK_TOKENS.map((task) => [falEndpointOf(task), task]),
);

export interface FalInput {
  readonly image_url: string;
  readonly text_input?: string;
  /** In pixels of the image. */
  readonly region?: { readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number };
}

export interface FalPoint {
  readonly x: number;
  readonly y: number;
}

export interface FalBox extends FalPoint {
  readonly w: number;
  readonly h: number;
  readonly label: string;
  /** The region's confidence (this library's addition; fal gives none). */
  readonly score?: number;
}

/** An OCR line: fal's box fields (the quadrilateral's bounds), and the quadrilateral's corners. */
export interface FalQuadBox extends FalBox {
  readonly points: readonly FalPoint[];
}

export interface FalPolygon {
  readonly label: string;
  readonly score?: number;
  readonly points: readonly FalPoint[];
}

export type FalOutput =
  | { readonly results: string }
  | { readonly results: { readonly bboxes: readonly FalBox[] } }
  | { readonly results: { readonly quad_boxes: readonly FalQuadBox[] } }
  | { readonly results: { readonly polygons: readonly FalPolygon[] } };

/** fal's validation error (FastAPI's shape), answered with HTTP 422. */
export interface FalValidationError {
  readonly detail: readonly { readonly loc: readonly string[]; readonly msg: string; readonly type: string }[];
}

export interface ReadFalInput {
  readonly ok: true;
  readonly task: TaskToken;
  readonly image: ReadImage;
  /** For text tasks: the text as the prompt takes it (sanitised; classes joined with `<and>`). */
  readonly text: string;
  readonly region: ImageBox | null;
}

/** Reads the input of endpoint `endpoint` (`object-detection`, or `fal-ai/florence-2-large/ocr`). */
export function readFalInput(endpoint: string, input: unknown): ReadFalInput | RequestProblem {
  const name = endpoint.replace(/^fal-ai\/florence-2-(?:base|large)\//, '');
  const task = FAL_ENDPOINTS.get(name);
  if (!task) {
    return problem(
      'unknown-task',
      `${endpoint} is not a Florence-2 endpoint; use one of ${[...FAL_ENDPOINTS.keys()].join(', ')}.`,
      'endpoint',
    );
  }
  if (!isRecord(input)) return problem('invalid-request', 'The input must be an object.', 'body');
  if (typeof input.image_url !== 'string') return problem('invalid-image', 'image_url is required.', 'image_url');
  const read = readImageString(input.image_url, 'image_url', 'any');
  if (read.kind === 'invalid') return problem('invalid-image', read.message, 'image_url');
  const spec = getTask(task);
  let text = '';
  if (spec.input === 'text') {
    const given = taskInputFromText(task, typeof input.text_input === 'string' ? input.text_input : '', 'text_input');
    if (!given.ok) {
      return problem('missing-text', `${name} needs text_input: ${spec.textInput?.label ?? 'the text'}.`, 'text_input');
    }
    text = given.taskInput;
  }
  let region: ImageBox | null = null;
  if (spec.input === 'region') {
    const given = input.region;
    const corners = isRecord(given) ? [given.x1, given.y1, given.x2, given.y2] : [];
    if (
      !corners.every((value): value is number => typeof value === 'number' && Number.isFinite(value)) ||
      corners.length !== 4
    ) {
      return problem('invalid-region', `${name} needs region: {x1, y1, x2, y2} in pixels of the image.`, 'region');
    }
    const [x1, y1, x2, y2] = corners as [number, number, number, number];
    region = imageBox(x1, y1, x2, y2);
  }
  return {
    ok: true,
    task,
    image: read,
    text,
    region,
  };
}

export function falValidationError(field: string, message: string): FalValidationError {
  return { detail: [{ loc: ['body', ...field.split('.')], msg: message, type: 'value_error' }] };
}

const falPoint = (point: { readonly x: number; readonly y: number }): FalPoint => ({ x: point.x, y: point.y });

const scoreOf = (region: Region) => (region.score === undefined ? {} : { score: region.score });

function falBox(region: Region, [x1, y1, x2, y2]: ImageBox): FalBox {
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1, label: region.label, ...scoreOf(region) };
}

/** Any answer in fal's output shape for its task. */
export function toFalOutput(answer: FlorenceAnswer): FalOutput {
  const { regions } = answer;
  switch (answer.answerType) {
    case 'pure_text':
      return { results: answer.text };
    case 'ocr':
      return {
        results: {
          quad_boxes: regions.flatMap((region) => {
            if (region.kind !== 'quad') return [];
            return [{ ...falBox(region, boundsOfPoints(region.points)), points: region.points.map(falPoint) }];
          }),
        },
      };
    case 'polygons':
      return { results: { polygons: falPolygons(regions) } };
    case 'description_with_bboxes_or_polygons':
      if (regions.some((region) => region.kind === 'polygon')) return { results: { polygons: falPolygons(regions) } };
      return {
        results: {
          bboxes: regions.flatMap((region) => (region.kind === 'box' ? [falBox(region, region.box)] : [])),
        },
      };
    case 'description_with_bboxes':
    case 'bboxes':
    case 'phrase_grounding':
      return {
        results: {
          bboxes: regions.flatMap((region) => (region.kind === 'box' ? [falBox(region, region.box)] : [])),
        },
      };
  }
}

/** One fal polygon per ring, each with its object's label. */
function falPolygons(regions: readonly Region[]): FalPolygon[] {
  return regions.flatMap((region) =>
    region.kind === 'polygon'
      ? region.rings.map((ring) => ({ label: region.label, ...scoreOf(region), points: ring.map(falPoint) }))
      : [],
  );
}
