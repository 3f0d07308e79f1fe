/**
 * What went wrong when a model failed to load, in words a person can act on, from the error text
 * that transformers.js, ONNX Runtime, the browser's fetch, V8 or WebGPU gave.
 */
import type { Device } from '../../shared/device/policy';
import { hostOfUrl } from '../../shared/model-host';
import { EngineError, errorText, isOutOfMemory } from './engine';

const MISSING_FILE = /Could not locate file|\b404\b/;

/** The JSON parser meeting an HTML page where a configuration file should be. */
const WEB_PAGE_AS_FILE = /Unexpected token '<'|"<!doctype|"<html/i;

/** Errors ONNX Runtime or the JSON parser give for a file that is not what it should be. */
const DAMAGED_FILE =
  /protobuf|Failed to load model|invalid model|corrupt|Unexpected (token|end of JSON)|is not valid JSON|Unterminated string in JSON|JSON at position/i;

/** How an `UnreachableHostError` starts, so it is recognised even if a library rewraps its text. */
const NO_ANSWER = /No answer from (\S+) \(/;

/**
 * A model file's request that got no answer at all: the browser's fetch rejected before any
 * response (no connection, the host refused or is unknown, or the request was blocked). A response
 * that breaks off later is not one: that host was reached.
 */
export class UnreachableHostError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`No answer from ${url} (${errorText(cause)})`);
    this.name = 'UnreachableHostError';
  }
}

export type LibraryFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** The fetch transformers.js downloads model files with, telling a host that never answered apart. */
export function reportingUnreachableHost(fetcher: LibraryFetch): LibraryFetch {
  return async (input, init) => {
    try {
      return await fetcher(input, init);
    } catch (error) {
      const aborted = init?.signal?.aborted || (error instanceof Error && error.name === 'AbortError');
      if (aborted) throw error;
      throw new UnreachableHostError(String(input), error);
    }
  };
}

/** The host a failed load could not reach, when that is why it failed. */
function unreachableHost(error: unknown, text: string): string | null {
  const url = error instanceof UnreachableHostError ? error.url : NO_ANSWER.exec(text)?.[1];
  return url ? hostOfUrl(url) : null;
}

/**
 * `source` names where the files come from (a Hub id or a folder URL); `device` is the device the
 * load was tried on, recorded with the error so the model session can decide whether to move to WASM.
 */
export function classifyLoadError(error: unknown, source: string, device: Device): EngineError {
  if (error instanceof EngineError) {
    return error.device
      ? error
      : new EngineError(error.code, error.message, error.detail, device, error.unreachableHost);
  }
  const text = errorText(error);
  const because = (code: EngineError['code'], message: string) => new EngineError(code, message, text, device);
  // No answer at all from the model's host: nothing else about this load can be known.
  const host = unreachableHost(error, text);
  if (host) return new EngineError('network', `${host} could not be reached.`, text, device, host);
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
 * the real story; with a host that never answered, that host is.
 */
export function mostTellingFailure(reasons: readonly unknown[]): unknown {
  return (
    reasons.find((reason) => MISSING_FILE.test(errorText(reason))) ??
    reasons.find((reason) => unreachableHost(reason, errorText(reason)) !== null) ??
    reasons[0]
  );
}
