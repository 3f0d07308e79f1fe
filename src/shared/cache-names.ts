/** The Cache API store holding downloaded model files, keyed by their URLs (transformers.js's name). */
export const MODEL_CACHE_NAME = 'transformers-cache';
