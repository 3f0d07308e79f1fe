/**
 * What went wrong when a model failed to load, in words a person can act on, from the error text
 * that transformers.js, ONNX Runtime, the browser's fetch, V8 or WebGPU gave.
 */
import type { Device } from '../../shared/device/policy';
import { EngineError, errorText, isOutOfMemory } from './engine';

const MISSING_FILE = /Could not locate file|\b404\b/;

/** The JSON parser meeting an HTML page where a configuration file should be. */
const WEB_PAGE_AS_FILE = /Unexpected token '<'|"<!doctype|"<html/i;

/** Errors ONNX Runtime or the JSON parser give for a file that is not what it should be. */
const DAMAGED_FILE =
  /protobuf|Failed to load model|invalid model|corrupt|Unexpected (token|end of JSON)|is not valid JSON|Unterminated string in JSON|JSON at position/i;

/**
 * `source` names where the files come from (a Hub id or a folder URL); `device` is the device the
 * load was tried on, recorded with the error so the model session can decide whether to move to WASM.
 */
export function classifyLoadError(error: unknown, source: string, device: Device): EngineError {
  if (error instanceof EngineError) {
    return error.device ? error : new EngineError(error.code, error.message, error.detail, device);
  }
  const text = errorText(error);
  const because = (code: EngineError['code'], message: string) => new EngineError(code, message, text, device);
  if (MISSING_FILE.test(text)) return because('model-not-found', `The model files were not found at ${source}.`);
  // A host that answers every path with its index page (an SPA fallback) is not serving a model.
  if (WEB_PAGE_AS_FILE.test(text)) {
    return because('model-not-found', `${source} answered with a web page, not the model's files.`);
  }
  if (
    /Internal server error|Bad gateway|Service unavailable|Gateway timeout|Request timeout|Error \((5\d\d|429)\)/i.test(
      text,
    )
  ) {
    return because('network', `The model server at ${source} answered with an error. Try again in a moment.`);
  }
  if (/Unauthorized|Forbidden/i.test(text)) {
    return because('model-not-found', `The model server at ${source} refused access to the files.`);
  }
  if (isOutOfMemory(text)) {
    return because('out-of-memory', 'There is not enough memory on this device to load this model.');
  }
  if (DAMAGED_FILE.test(text)) {
    return because('damaged-model-files', `A model file from ${source} could not be read: it is damaged.`);
  }
  if (/Failed to fetch|NetworkError|Load failed|network/i.test(text)) {
    return because('network', 'The model could not be downloaded. Check the connection, then try again.');
  }
  return because('model-load-failed', 'The model could not be loaded.');
}

/**
 * The error to report when several parts of a model fail to load together. With a missing folder,
 * the tokenizer can fail first with a TypeError about its absent configuration; the missing file is
 * the real story.
 */
export function mostTellingFailure(reasons: readonly unknown[]): unknown {
  return reasons.find((reason) => MISSING_FILE.test(errorText(reason))) ?? reasons[0];
}
