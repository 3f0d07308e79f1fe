/**
 * npm run bench -- --dtype-sweep: every sub-model in every published dtype, on WASM with one thread and
 * with all threads (ONNX Runtime's plain build, the app's choice for WASM), on WebGPU where there is a
 * real adapter, and natively (onnxruntime-node); then ONNX Runtime's three WASM builds side by side.
 * One table per sub-model: download size, load from cache, first call, time per call (per token for
 * the decoder) and peak memory. Each browser measurement runs in a fresh browser, each native one in a
 * fresh process, so the peak memory is that sub-model's.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from '@playwright/test';
import { StaticServer } from '../../../e2e/support/static-server';
import {
  type Dtype,
  modelFileName,
  RUNTIME_BUILD_BYTES,
  type RuntimeBuild,
  SUB_MODELS,
  type SubModel,
} from '../../../src/shared/device/policy';
import { formatBytes } from '../../../src/shared/download-progress';
import { PUBLISHED_DTYPES } from '../../../src/shared/model-catalog';
import { ISOLATION_HEADERS } from '../../../src/shared/security-headers';
import { launchMeasuredBrowser, processTreeRssMb, watchPeakMemory, webgpuAdapterKind } from '../browser-process';
import { formatMs, renderTable } from '../stats';
import type { SweepResponse } from './page/protocol';
import type { ProbeResult } from './sub-model-probe';

const run = promisify(execFile);
const PAGE_DIR = 'bench-results/sweep-page';
const PORT = 4191;

export interface SweepRuntime {
  readonly name: string;
  readonly kind: 'browser' | 'native';
  readonly device: 'wasm' | 'webgpu' | 'cpu';
  readonly threads: number;
  readonly build?: RuntimeBuild;
}

export interface SweepRow {
  readonly subModel: SubModel;
  readonly dtype: Dtype;
  readonly fileBytes: number;
  readonly runtime: SweepRuntime;
  /** null when this runtime cannot run the file; `error` says why. */
  readonly result: (ProbeResult & { readonly peakMemoryMb: number }) | null;
  readonly error?: string;
}

export interface SweepOptions {
  readonly modelFolder: string;
  readonly threadsAll: number;
  readonly calls: number;
  readonly chromiumPath: string | undefined;
  readonly chromiumArgs: readonly string[];
  /** Measure WebGPU too, where the adapter is a real GPU. */
  readonly webgpu: boolean;
  /** Measure WebGPU on a CPU-emulated adapter (SwiftShader) as well: about 100x slower than WASM. */
  readonly acceptSoftwareGpu?: boolean;
  /** Only these sub-models (all when empty). */
  readonly subModels: readonly SubModel[];
  /** Also compare ONNX Runtime's three WASM builds. */
  readonly compareBuilds: boolean;
  readonly log: (line: string) => void;
}

async function measureInBrowser(
  options: SweepOptions,
  origin: string,
  runtime: SweepRuntime,
  subModel: SubModel,
  file: string,
): Promise<SweepRow['result'] | { error: string }> {
  const args = [...options.chromiumArgs, ...(runtime.device === 'webgpu' ? ['--enable-unsafe-webgpu'] : [])];
  const browser = await launchMeasuredBrowser(options.chromiumPath, args);
  let memory: ReturnType<typeof watchPeakMemory> | undefined;
  try {
    const page = await browser.context.newPage();
    const params = new URLSearchParams({
      file: `/model/${file}`,
      'sub-model': subModel,
      device: runtime.device,
      build: runtime.build ?? 'plain',
      threads: String(runtime.threads),
      calls: String(options.calls),
    });
    await page.goto(`${origin}/index.html?${params}`);
    const pid = browser.pid;
    const idle = await processTreeRssMb(pid);
    memory = watchPeakMemory(pid, 100);
    await page.evaluate(() => (window as unknown as { startSweep: () => void }).startSweep());
    await page.waitForFunction(() => 'sweepResult' in window, undefined, { timeout: 20 * 60_000, polling: 200 });
    const response = (await page.evaluate(
      () => (window as unknown as { sweepResult: SweepResponse }).sweepResult,
    )) as SweepResponse;
    if (!response.ok) return { error: response.error };
    const peak = Math.max(memory.peakMb(), await processTreeRssMb(pid));
    const { createMs, firstCallMs, perCallMs, perCallUsedOutputsMs } = response;
    // The browser's own footprint with the page open is left out: what the sub-model adds is shown.
    return { createMs, firstCallMs, perCallMs, perCallUsedOutputsMs, peakMemoryMb: peak - idle };
  } finally {
    memory?.stop();
    await browser.close();
  }
}

async function measureNatively(
  options: SweepOptions,
  runtime: SweepRuntime,
  subModel: SubModel,
  path: string,
): Promise<SweepRow['result'] | { error: string }> {
  const { stdout } = await run(
    'npx',
    ['tsx', 'scripts/bench/sweep/native-probe.ts', path, subModel, String(runtime.threads), String(options.calls)],
    { maxBuffer: 1 << 20, timeout: 20 * 60_000 },
  );
  const line = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as SweepRow['result'] | { error: string };
}

/** Whether the browser's WebGPU adapter is a real GPU (not SwiftShader, the CPU emulation). */
async function hasRealGpu(options: SweepOptions, origin: string): Promise<boolean> {
  const browser = await chromium.launch({
    ...(options.chromiumPath ? { executablePath: options.chromiumPath } : {}),
    args: [...options.chromiumArgs, '--enable-unsafe-webgpu'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/index.html`);
    return (await webgpuAdapterKind(page)) === 'real';
  } finally {
    await browser.close();
  }
}

function sweepRuntimes(options: SweepOptions, realGpu: boolean): SweepRuntime[] {
  const threads = [...new Set([1, options.threadsAll])];
  return [
    ...threads.map(
      (count): SweepRuntime => ({
        name: `WASM ${count}T`,
        kind: 'browser',
        device: 'wasm',
        threads: count,
        build: 'plain',
      }),
    ),
    ...(realGpu
      ? [{ name: 'WebGPU', kind: 'browser', device: 'webgpu', threads: options.threadsAll, build: 'jspi' } as const]
      : []),
    ...threads.map(
      (count): SweepRuntime => ({ name: `native ${count}T`, kind: 'native', device: 'cpu', threads: count }),
    ),
  ];
}

export async function runDtypeSweep(options: SweepOptions): Promise<{ rows: SweepRow[]; builds: SweepRow[] }> {
  options.log('Building the sweep page…');
  await run('npx', ['vite', 'build', '--config', 'scripts/bench/sweep/page/vite.config.ts']);
  const site = new StaticServer(PAGE_DIR, {
    port: PORT,
    headers: { ...ISOLATION_HEADERS },
    mounts: { '/model/': options.modelFolder },
  });
  await site.start();
  const rows: SweepRow[] = [];
  const builds: SweepRow[] = [];
  try {
    const realGpu = options.webgpu && (options.acceptSoftwareGpu || (await hasRealGpu(options, site.origin)));
    if (options.webgpu && !realGpu)
      options.log('No real WebGPU adapter (SwiftShader is a CPU emulation): WebGPU skipped.');
    const runtimes = sweepRuntimes(options, realGpu);
    const measure = async (subModel: SubModel, dtype: Dtype, runtime: SweepRuntime): Promise<SweepRow | null> => {
      const file = modelFileName(subModel, dtype);
      const path = join(options.modelFolder, file);
      if (!existsSync(path)) return null;
      const fileBytes = (await stat(path)).size;
      options.log(`  ${subModel} ${dtype} on ${runtime.name}${runtime.build ? ` (${runtime.build} build)` : ''}`);
      const outcome =
        runtime.kind === 'native'
          ? await measureNatively(options, runtime, subModel, path)
          : await measureInBrowser(options, site.origin, runtime, subModel, file);
      if (!outcome || 'error' in outcome) {
        const error = outcome && 'error' in outcome ? outcome.error : 'no answer';
        return { subModel, dtype, fileBytes, runtime, result: null, error };
      }
      return { subModel, dtype, fileBytes, runtime, result: outcome };
    };
    const chosen = options.subModels.length
      ? SUB_MODELS.filter((name) => options.subModels.includes(name))
      : SUB_MODELS;
    for (const subModel of chosen) {
      for (const dtype of PUBLISHED_DTYPES[subModel]) {
        for (const runtime of runtimes) {
          const row = await measure(subModel, dtype, runtime);
          if (row) rows.push(row);
        }
      }
    }
    // ONNX Runtime's WASM builds on the CPU kernels: the same files, all threads.
    for (const build of options.compareBuilds ? (['plain', 'jspi', 'asyncify'] as const) : []) {
      const runtime: SweepRuntime = {
        name: `WASM ${options.threadsAll}T, ${build}`,
        kind: 'browser',
        device: 'wasm',
        threads: options.threadsAll,
        build,
      };
      for (const [subModel, dtype] of [
        ['encoder_model', 'fp32'],
        ['decoder_model_merged', 'q8'],
        ['decoder_model_merged', 'q4'],
      ] as const) {
        const row = await measure(subModel, dtype, runtime);
        if (row) builds.push(row);
      }
    }
  } finally {
    await site.stop();
  }
  return { rows, builds };
}

const mb = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(0)} MB`);

/** One table per sub-model: a row per dtype and runtime. */
export function renderSweep(rows: readonly SweepRow[], builds: readonly SweepRow[]): string {
  const sections: string[] = [];
  for (const subModel of SUB_MODELS) {
    const ofModel = rows.filter((row) => row.subModel === subModel);
    if (!ofModel.length) continue;
    const decoder = subModel === 'decoder_model_merged';
    const header = [
      'dtype',
      'download',
      'runtime',
      'load from cache',
      decoder ? 'first step' : 'first call',
      decoder ? 'per token, all outputs' : 'per call',
      ...(decoder ? ['per token, used outputs'] : []),
      'peak memory',
    ];
    const body = ofModel.map((row) => [
      row.dtype,
      formatBytes(row.fileBytes),
      row.runtime.name,
      ...(row.result
        ? [
            formatMs(row.result.createMs),
            formatMs(row.result.firstCallMs),
            formatMs(row.result.perCallMs),
            ...(decoder ? [formatMs(row.result.perCallUsedOutputsMs)] : []),
            mb(row.result.peakMemoryMb),
          ]
        : [`cannot run: ${(row.error ?? '').slice(0, 60)}`, '', '', ...(decoder ? [''] : []), '']),
    ]);
    sections.push(`### ${subModel}\n\n${renderTable(header, body)}`);
  }
  if (builds.length) {
    const header = [
      'file',
      'ONNX Runtime build (.wasm)',
      'load from cache',
      'first call',
      'per call / token',
      'peak memory',
    ];
    const body = builds.map((row) => [
      `${row.subModel} ${row.dtype}`,
      `${row.runtime.build} (${formatBytes(RUNTIME_BUILD_BYTES[row.runtime.build ?? 'plain'])})`,
      ...(row.result
        ? [
            formatMs(row.result.createMs),
            formatMs(row.result.firstCallMs),
            formatMs(row.result.perCallUsedOutputsMs ?? row.result.perCallMs),
            mb(row.result.peakMemoryMb),
          ]
        : [`cannot run: ${(row.error ?? '').slice(0, 60)}`, '', '', '']),
    ]);
    sections.push(
      `### ONNX Runtime WASM builds (${builds[0]?.runtime.threads} threads)\n\n${renderTable(header, body)}`,
    );
  }
  return sections.join('\n\n');
}
