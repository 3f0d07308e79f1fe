/**
 * The model names the hosted Florence-2 APIs use (`florence-2-base`, Microsoft's Hub names, their
 * fine-tuned `-ft` forms), and the ONNX exports on the Hub that answer for them.
 */

export const MODEL_ALIASES = [
  'florence-2-base',
  'florence-2-base-ft',
  'florence-2-large',
  'florence-2-large-ft',
] as const;

export type ModelAlias = (typeof MODEL_ALIASES)[number];

/** The onnx-community export of each model. */
export const HUB_MODEL_OF_ALIAS: Readonly<Record<ModelAlias, string>> = {
  'florence-2-base': 'onnx-community/Florence-2-base',
  'florence-2-base-ft': 'onnx-community/Florence-2-base-ft',
  'florence-2-large': 'onnx-community/Florence-2-large',
  'florence-2-large-ft': 'onnx-community/Florence-2-large-ft',
};

/**
 * The alias a model id names: `florence-2-base`, `microsoft/Florence-2-base-ft` or
 * `onnx-community/Florence-2-large` (any case); null for anything else.
 */
export function modelAliasOf(modelId: unknown): ModelAlias | null {
  if (typeof modelId !== 'string') return null;
  const name = modelId
    .trim()
    .toLowerCase()
    .replace(/^(microsoft|onnx-community)\//, '');
  return MODEL_ALIASES.find((alias) => alias === name) ?? null;
}
