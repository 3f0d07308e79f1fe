/**
 * The headers that keep the app private and fast, shared by the dev/preview server, the built HTML
 * and the service worker (which adds them where a static host cannot).
 */

/** Where the default model comes from: the Hub and the CDNs it redirects file downloads to. */
export const HUB_MODEL_ORIGINS = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

/**
 * Connections only to this origin and the model hosts. Scripts only from this origin, plus
 * 'wasm-unsafe-eval', which compiling WebAssembly needs; no inline script, no eval.
 */
export function contentSecurityPolicy(modelOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    `connect-src 'self' ${modelOrigins.join(' ')}`.trim(),
    "img-src 'self' blob: data:",
    "style-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** Cross-origin isolation, which multi-threaded WebAssembly (SharedArrayBuffer) requires. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
