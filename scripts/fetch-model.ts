/**
 * Mirrors exactly the files the app needs for a model into public/models/<model-id>/, so a static
 * deployment can serve its own copy and never contact the Hub. Needs internet (or --from).
 *
 *   npm run fetch-model -- onnx-community/Florence-2-base-ft [--dtype auto|smallest|quality|all]
 *                          [--from <folder URL>] [--out <folder>]
 *
 * --dtype picks the weights: 'auto' (default) fetches what the app chooses on every device (WASM,
 * WebGPU with and without fp16), 'all' every preset. Files are written whole or not at all.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { chooseDevicePlan, DTYPE_PRESETS, type DtypePreset, EVERY_DEVICE_KIND } from '../src/shared/device/policy';
import { modelFilesFor } from '../src/shared/model-catalog';
import { HUB_HOST } from '../src/shared/model-source';

/** Every file the app may ask for with these presets, on any device. */
export function filesToMirror(presets: readonly DtypePreset[]): string[] {
  const files = new Set<string>();
  for (const preset of presets) {
    for (const device of EVERY_DEVICE_KIND) {
      for (const file of modelFilesFor(chooseDevicePlan(device, 'auto', preset).dtypes)) files.add(file);
    }
  }
  return [...files];
}

export interface FetchOptions {
  readonly modelId: string;
  readonly presets: readonly DtypePreset[];
  /** Folder URL to copy from; the Hub's copy of `modelId` by default. */
  readonly from?: string;
  readonly outDir: string;
  readonly log?: (line: string) => void;
}

async function download(url: string, target: string): Promise<number> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const expected = Number(response.headers.get('content-length'));
  const partial = `${target}.partial`;
  await mkdir(dirname(target), { recursive: true });
  try {
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
      createWriteStream(partial),
    );
    const { size } = await stat(partial);
    if (expected > 0 && size !== expected) throw new Error(`${url}: got ${size} of ${expected} bytes`);
    await rename(partial, target);
    return size;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

export async function fetchModel(options: FetchOptions): Promise<string[]> {
  const base = options.from
    ? options.from.endsWith('/')
      ? options.from
      : `${options.from}/`
    : `${HUB_HOST}${options.modelId}/resolve/main/`;
  const files = filesToMirror(options.presets);
  for (const file of files) {
    const bytes = await download(new URL(file, base).href, join(options.outDir, file));
    options.log?.(`${file}  ${(bytes / 1e6).toFixed(1)} MB`);
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dtype: { type: 'string', default: 'auto' }, from: { type: 'string' }, out: { type: 'string' } },
  });
  const modelId = positionals[0];
  const dtype = values.dtype ?? 'auto';
  const presets = dtype === 'all' ? DTYPE_PRESETS : DTYPE_PRESETS.filter((preset) => preset === dtype);
  if (!modelId || presets.length === 0) {
    console.error('Usage: npm run fetch-model -- <model-id> [--dtype auto|smallest|quality|all] [--from <url>]');
    process.exit(2);
  }
  const outDir = values.out ?? join('public', 'models', modelId);
  try {
    await fetchModel({ modelId, presets, outDir, log: console.log, ...(values.from ? { from: values.from } : {}) });
    console.log(`\nMirrored ${modelId} into ${outDir}. The app uses it when served from this deployment.`);
  } catch (error) {
    console.error(`fetch-model failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
