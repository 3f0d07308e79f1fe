/**
 * The one registry of Florence-2 tasks. The UI, the worker, the parser and the test-model generator
 * all read it, so a task token or prompt is written down exactly once.
 */

export type AnswerType =
  | 'pure_text'
  | 'ocr'
  | 'description_with_bboxes'
  | 'bboxes'
  | 'phrase_grounding'
  | 'polygons'
  | 'description_with_bboxes_or_polygons';

/** What the user must supply besides the image. */
export type TaskInputKind = 'none' | 'text' | 'region';

export interface TaskSpec {
  readonly token: TaskToken;
  readonly label: string;
  readonly description: string;
  readonly input: TaskInputKind;
  /** The text the model is prompted with; `{input}` is replaced by the user's text or region tokens. */
  readonly prompt: string;
  readonly answerType: AnswerType;
  readonly maxNewTokens: number;
  /** For tasks that take text: what the text field asks for, and an example of it. */
  readonly textInput?: { readonly label: string; readonly placeholder: string };
  /** A caption "Caption, then ground it" may start from. */
  readonly captionToGround?: true;
}

// Polygon masks are long (about 500 location tokens for one object); 128 tokens would cut them.
const POLYGON_TOKEN_BUDGET = 1024;
const LONG_TEXT_TOKEN_BUDGET = 512;
const SHORT_TEXT_TOKEN_BUDGET = 256;

export const TASK_TOKENS = [
  '<CAPTION>',
  '<DETAILED_CAPTION>',
  '<MORE_DETAILED_CAPTION>',
  '<OCR>',
  '<OCR_WITH_REGION>',
  '<OD>',
  '<DENSE_REGION_CAPTION>',
  '<REGION_PROPOSAL>',
  '<CAPTION_TO_PHRASE_GROUNDING>',
  '<REFERRING_EXPRESSION_SEGMENTATION>',
  '<REGION_TO_SEGMENTATION>',
  '<OPEN_VOCABULARY_DETECTION>',
  '<REGION_TO_CATEGORY>',
  '<REGION_TO_DESCRIPTION>',
  '<REGION_TO_OCR>',
] as const;

export type TaskToken = (typeof TASK_TOKENS)[number];

const specs: readonly TaskSpec[] = [
  {
    token: '<CAPTION>',
    label: 'Caption',
    description: 'One short sentence about the image.',
    input: 'none',
    prompt: 'What does the image describe?',
    answerType: 'pure_text',
    maxNewTokens: SHORT_TEXT_TOKEN_BUDGET,
    captionToGround: true,
  },
  {
    token: '<DETAILED_CAPTION>',
    label: 'Detailed caption',
    description: 'A few sentences about the image.',
    input: 'none',
    prompt: 'Describe in detail what is shown in the image.',
    answerType: 'pure_text',
    maxNewTokens: LONG_TEXT_TOKEN_BUDGET,
    captionToGround: true,
  },
  {
    token: '<MORE_DETAILED_CAPTION>',
    label: 'More detailed caption',
    description: 'A paragraph about the image.',
    input: 'none',
    prompt: 'Describe with a paragraph what is shown in the image.',
    answerType: 'pure_text',
    maxNewTokens: LONG_TEXT_TOKEN_BUDGET,
  },
  {
    token: '<OCR>',
    label: 'Read text (OCR)',
    description: 'All text found in the image.',
    input: 'none',
    prompt: 'What is the text in the image?',
    answerType: 'pure_text',
    maxNewTokens: LONG_TEXT_TOKEN_BUDGET,
  },
  {
    token: '<OCR_WITH_REGION>',
    label: 'Read text with regions',
    description: 'Each line of text with the quadrilateral around it.',
    input: 'none',
    prompt: 'What is the text in the image, with regions?',
    answerType: 'ocr',
    maxNewTokens: POLYGON_TOKEN_BUDGET,
  },
  {
    token: '<OD>',
    label: 'Object detection',
    description: 'Boxes around objects, with their category.',
    input: 'none',
    prompt: 'Locate the objects with category name in the image.',
    answerType: 'description_with_bboxes',
    maxNewTokens: POLYGON_TOKEN_BUDGET,
  },
  {
    token: '<DENSE_REGION_CAPTION>',
    label: 'Dense region captions',
    description: 'Boxes around regions, each with a short description.',
    input: 'none',
    prompt: 'Locate the objects in the image, with their descriptions.',
    answerType: 'description_with_bboxes',
    maxNewTokens: POLYGON_TOKEN_BUDGET,
  },
  {
    token: '<REGION_PROPOSAL>',
    label: 'Region proposals',
    description: 'Boxes around everything that looks like an object.',
    input: 'none',
    prompt: 'Locate the region proposals in the image.',
    answerType: 'bboxes',
    maxNewTokens: POLYGON_TOKEN_BUDGET,
  },
  {
    token: '<CAPTION_TO_PHRASE_GROUNDING>',
    label: 'Phrase grounding',
    description: 'Boxes for the phrases of a caption you type.',
    input: 'text',
    prompt: 'Locate the phrases in the caption: {input}',
    answerType: 'phrase_grounding',
    maxNewTokens: POLYGON_TOKEN_BUDGET,
    textInput: { label: 'Caption whose phrases to find', placeholder: 'A dog runs after a red ball on the grass' },
  },
  {
    token: '<REFERRING_EXPRESSION_SEGMENTATION>',
    label: 'Segment what you describe',
    description: 'A mask outline for the thing you describe.',
    input: 'text',
    prompt: 'Locate {input} in the image with mask',
    answerType: 'polygons',
    maxNewTokens: POLYGON_TOKEN_BUDGET,
    textInput: { label: 'What to outline', placeholder: 'the dog on the left' },
  },
  {
    token: '<REGION_TO_SEGMENTATION>',
    label: 'Segment a region',
    description: 'A mask outline for the object in the region you draw.',
    input: 'region',
    prompt: 'What is the polygon mask of region {input}',
    answerType: 'polygons',
    maxNewTokens: POLYGON_TOKEN_BUDGET,
  },
  {
    token: '<OPEN_VOCABULARY_DETECTION>',
    label: 'Find named objects',
    description: 'Boxes for the classes you type (comma separated).',
    input: 'text',
    prompt: 'Locate {input} in the image.',
    answerType: 'description_with_bboxes_or_polygons',
    maxNewTokens: POLYGON_TOKEN_BUDGET,
    textInput: { label: 'What to find (separate several with commas)', placeholder: 'dog, ball, bench' },
  },
  {
    token: '<REGION_TO_CATEGORY>',
    label: 'Name a region',
    description: 'The category of the region you draw.',
    input: 'region',
    prompt: 'What is the region {input}?',
    answerType: 'pure_text',
    maxNewTokens: SHORT_TEXT_TOKEN_BUDGET,
  },
  {
    token: '<REGION_TO_DESCRIPTION>',
    label: 'Describe a region',
    description: 'A short description of the region you draw.',
    input: 'region',
    prompt: 'What does the region {input} describe?',
    answerType: 'pure_text',
    maxNewTokens: SHORT_TEXT_TOKEN_BUDGET,
  },
  {
    token: '<REGION_TO_OCR>',
    label: 'Read text in a region',
    description: 'The text inside the region you draw.',
    input: 'region',
    prompt: 'What text is in the region {input}?',
    answerType: 'pure_text',
    maxNewTokens: SHORT_TEXT_TOKEN_BUDGET,
  },
];

export const TASKS: ReadonlyMap<TaskToken, TaskSpec> = new Map(specs.map((spec) => [spec.token, spec]));

/** The captions "Caption, then ground it" may start from, in registry order. */
export const CAPTIONS_TO_GROUND: readonly TaskToken[] = specs
  .filter((spec) => spec.captionToGround)
  .map((spec) => spec.token);

export function isTaskToken(value: unknown): value is TaskToken {
  return typeof value === 'string' && (TASK_TOKENS as readonly string[]).includes(value);
}

export function getTask(token: TaskToken): TaskSpec {
  const spec = TASKS.get(token);
  if (!spec) throw new Error(`Unknown Florence-2 task ${token}`);
  return spec;
}

/**
 * The prompt text for a task. Task inputs are spliced in as-is; callers sanitise user text first.
 */
export function buildPrompt(token: TaskToken, input = ''): string {
  const spec = getTask(token);
  return spec.input === 'none' ? spec.prompt : spec.prompt.replaceAll('{input}', input);
}

/** The three tables the Florence-2 processor config carries, derived from the registry. */
export function processorTaskTables(): {
  tasks_answer_post_processing_type: Record<string, AnswerType>;
  task_prompts_without_inputs: Record<string, string>;
  task_prompts_with_input: Record<string, string>;
} {
  const answerTypes: Record<string, AnswerType> = {};
  const withoutInputs: Record<string, string> = {};
  const withInput: Record<string, string> = {};
  for (const spec of specs) {
    answerTypes[spec.token] = spec.answerType;
    if (spec.input === 'none') withoutInputs[spec.token] = spec.prompt;
    else withInput[spec.token] = spec.prompt;
  }
  return {
    tasks_answer_post_processing_type: answerTypes,
    task_prompts_without_inputs: withoutInputs,
    task_prompts_with_input: withInput,
  };
}
