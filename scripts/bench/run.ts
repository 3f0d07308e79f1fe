/**
 * npm run bench: the production build in headless Chromium, per device, against two yardsticks
 * measured in the same run on the same model files: the reference demo's approach (vision encoder
 * again for every task, one WASM thread) and native onnxruntime-node.
 *
 *   npm run bench -- [--model <folder>] [--devices wasm-1,wasm-all,webgpu] [--dtype auto|smallest|quality]
 *                    [--repeats 3] [--soak 50] [--software-gpu] [--smoke] [--no-yardsticks]
 *                    [--out bench-results/latest.json]
 *   npm run bench -- --dtype-sweep [--model <folder>] [--repeats 8] [--software-gpu] [--smoke]
 *                    [--sub-models decoder_model_merged,...] [--no-builds]
 *
 * --dtype-sweep measures each sub-model in each published dtype on each runtime instead (see sweep/);
 * with --smoke it runs once on the tiny test model, so CI keeps it working;
 * --soak N repeats a caption N times after the measurements and reports memory before and after;
 * WebGPU on a CPU-emulated adapter (SwiftShader) is skipped unless --software-gpu.
 *
 * Without --model it uses the full-size synthetic Florence-2-base (bench-models/, generated when
 * missing); --smoke uses the tiny test model with one repeat, so CI keeps this script working.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { noisePng } from '../../e2e/support/images/png';
import { StaticServer } from '../../e2e/support/static-server';
import { makeTestModel } from '../../e2e/support/test-model/write-test-model';
import type { CompletedRun } from '../../src/page/state/store';
import { chooseDevicePlan, type DtypePreset, type SubModel, TYPICAL_WASM_DEVICE } from '../../src/shared/device/policy';
import { buildPrompt, getTask, type TaskToken } from '../../src/shared/florence/tasks';
import { ISOLATION_HEADERS } from '../../src/shared/security-headers';
import {
  launchMeasuredBrowser,
  type MeasuredBrowser,
  processTreeRssMb,
  watchPeakMemory,
  webgpuAdapterKind,
} from './browser-process';
import { measureNative, type NativeStages } from './native';
import { formatMs, formatRatio, median, ratio, renderTable } from './stats';
import { renderSweep, runDtypeSweep } from './sweep/run-sweep';

const SESSION_TASKS: readonly TaskToken[] = ['<CAPTION>', '<OD>', '<OCR>', '<DENSE_REGION_CAPTION>'];
/** Run again with 3 beams on the same image (features cached): per-step cost of beams against greedy. */
const BEAM_TASKS: readonly TaskToken[] = ['<CAPTION>', '<OD>'];
const SYNTHETIC_MODEL = 'bench-models/florence2-base-synthetic';
const TINY_MODEL = 'e2e/.generated/models/florence2-tiny';
const PORT = 4190;
const THREADS_ALL = cpus().length;

interface Configuration {
  readonly name: string;
  readonly device: 'wasm' | 'webgpu';
  readonly threads?: number;
  /** false: the reference demo's approach, vision encoder again for every task. */
  readonly reuseFeatures: boolean;
}

interface TaskSample {
  readonly task: TaskToken;
  readonly elapsedMs: number;
  readonly parseMs: number;
  readonly drawMs: number;
  readonly stages: CompletedRun['output']['timings'];
  readonly tokens: number;
}

interface ConfigurationResult {
  readonly configuration: Configuration;
  readonly device: string;
  readonly loadFromCacheMs: number;
  readonly peakMemoryMb: number;
  readonly soak: SoakResult | null;
  readonly sessionsMs: number[];
  /** Greedy ("fast"), as every earlier benchmark decoded. */
  readonly samples: TaskSample[];
  /** BEAM_TASKS with 3 beams ("best"), right after their greedy runs on the same image. */
  readonly beamSamples: TaskSample[];
}

/**
 * A long session: captions and detections in turn, a new image every second run from a cycle longer
 * than the feature cache, so cache hits, misses and evictions all recur.
 */
interface SoakResult {
  readonly runs: number;
  /** Browser memory (all processes) after run 1 and then every SOAK_MEMORY_EVERY runs, MB. */
  readonly memoryMb: number[];
  readonly startMb: number;
  readonly endMb: number;
  /** Median run time of the first and of the last SOAK_WINDOW runs. */
  readonly firstRunsMedianMs: number;
  readonly lastRunsMedianMs: number;
}

const SOAK_IMAGES = 12;
const SOAK_MEMORY_EVERY = 25;
const SOAK_WINDOW = 20;

const QUIET_CHROMIUM = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((path): path is string =>
    Boolean(path && existsSync(path)),
  );
}

async function appState(page: Page) {
  return page.evaluate(() => {
    const bench = (window as unknown as { florenceTestHooks: { getState: () => Record<string, unknown> } })
      .florenceTestHooks;
    return JSON.parse(JSON.stringify(bench.getState())) as {
      modelStatus: string;
      loadedModel: { loadMs: number; plan: { device: string } } | null;
      modelError: { message: string } | null;
      answers: Record<string, CompletedRun>;
      image: { id: number } | null;
      runStatus: string;
    };
  });
}

async function loadModel(page: Page): Promise<number> {
  await page.getByTestId('load-model').click();
  await page.waitForFunction(
    () => {
      const bench = (window as unknown as { florenceTestHooks: { getState: () => { modelStatus: string } } })
        .florenceTestHooks;
      return ['ready', 'error'].includes(bench.getState().modelStatus);
    },
    undefined,
    { timeout: 30 * 60_000 },
  );
  const state = await appState(page);
  if (state.modelStatus !== 'ready' || !state.loadedModel) throw new Error(`Load failed: ${state.modelError?.message}`);
  return state.loadedModel.loadMs;
}

async function runTask(page: Page, task: TaskToken): Promise<TaskSample> {
  await page.getByTestId('task').selectOption(task);
  await page.getByTestId('run').click();
  await page.waitForFunction(
    (token) => {
      const bench = (
        window as unknown as {
          florenceTestHooks: {
            getState: () => {
              answers: Record<string, { imageId: number }>;
              image: { id: number } | null;
              runStatus: string;
            };
          };
        }
      ).florenceTestHooks;
      const state = bench.getState();
      return state.runStatus !== 'running' && state.answers[token]?.imageId === state.image?.id;
    },
    task,
    { timeout: 30 * 60_000 },
  );
  await page.waitForTimeout(50);
  const state = await appState(page);
  const run = state.answers[task];
  if (!run) throw new Error(`No answer for ${task}`);
  const drawMs = await page.evaluate(
    () =>
      (window as unknown as { florenceTestHooks: { overlay(): { drawMs: number } | null } }).florenceTestHooks.overlay()
        ?.drawMs ?? Number.NaN,
  );
  return {
    task,
    elapsedMs: run.elapsedMs,
    parseMs: run.parseMs,
    drawMs,
    stages: run.output.timings,
    tokens: run.output.generatedTokens,
  };
}

async function measureConfiguration(
  browser: MeasuredBrowser,
  origin: string,
  configuration: Configuration,
  dtype: DtypePreset,
  repeats: number,
  soakRuns: number,
): Promise<ConfigurationResult> {
  const page = await browser.context.newPage();
  const params = new URLSearchParams({ model: '/bench-model', device: configuration.device, dtype, 'test-hooks': '1' });
  if (configuration.threads) params.set('threads', String(configuration.threads));
  if (!configuration.reuseFeatures) params.set('reference-demo', '1');
  const pid = browser.pid;
  const memory = watchPeakMemory(pid, 250);
  try {
    await page.goto(`${origin}/?${params}`);
    await loadModel(page); // downloads into the browser's cache
    await page.reload();
    const loadFromCacheMs = await loadModel(page);
    const device = (await appState(page)).loadedModel?.plan.device ?? '?';
    // One unmeasured task first: kernels and allocations warm up, as they would in a real session.
    await page
      .getByTestId('image-file')
      .setInputFiles({ name: 'warm-up.png', mimeType: 'image/png', buffer: noisePng(64, 64, 99) });
    await runTask(page, '<CAPTION>');
    const samples: TaskSample[] = [];
    const beamSamples: TaskSample[] = [];
    const setQuality = (quality: 'best' | 'fast') => page.getByTestId('quality').selectOption(quality);
    await setQuality('fast');
    const sessionsMs: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      // A new image each repeat: the session starts with no cached features.
      await page
        .getByTestId('image-file')
        .setInputFiles({ name: `bench-${repeat}.png`, mimeType: 'image/png', buffer: noisePng(800, 600, repeat + 1) });
      await page.waitForFunction(() => document.querySelector('[data-testid="image-preview"]') !== null);
      let session = 0;
      for (const task of SESSION_TASKS) {
        const sample = await runTask(page, task);
        samples.push(sample);
        session += sample.elapsedMs;
      }
      sessionsMs.push(session);
      if (configuration.reuseFeatures) {
        await setQuality('best');
        for (const task of BEAM_TASKS) beamSamples.push(await runTask(page, task));
        await setQuality('fast');
      }
    }
    let soak: SoakResult | null = null;
    if (soakRuns > 1) {
      const soakImages = Array.from({ length: SOAK_IMAGES }, (_, index) => noisePng(640, 480, 1000 + index));
      const memoryMb: number[] = [];
      const runMs: number[] = [];
      for (let run = 0; run < soakRuns; run++) {
        if (run % 2 === 0) {
          const index = (run / 2) % SOAK_IMAGES;
          await page.getByTestId('image-file').setInputFiles({
            name: `soak-${index}.png`,
            mimeType: 'image/png',
            buffer: soakImages[index] ?? Buffer.alloc(0),
          });
          await page.waitForFunction(() => document.querySelector('[data-testid="image-preview"]') !== null);
        }
        runMs.push((await runTask(page, run % 2 === 0 ? '<CAPTION>' : '<OD>')).elapsedMs);
        if (run === 0 || (run + 1) % SOAK_MEMORY_EVERY === 0) memoryMb.push(await processTreeRssMb(pid));
      }
      soak = {
        runs: soakRuns,
        memoryMb,
        startMb: memoryMb[0] ?? 0,
        endMb: await processTreeRssMb(pid),
        firstRunsMedianMs: median(runMs.slice(0, SOAK_WINDOW)),
        lastRunsMedianMs: median(runMs.slice(-SOAK_WINDOW)),
      };
    }
    return {
      configuration,
      device,
      loadFromCacheMs,
      peakMemoryMb: memory.peakMb(),
      soak,
      sessionsMs,
      samples,
      beamSamples,
    };
  } finally {
    memory.stop();
  }
}

/** Whether the browser's WebGPU adapter is a CPU emulation (SwiftShader): about 100x slower than WASM. */
async function softwareAdapter(browser: MeasuredBrowser, origin: string): Promise<boolean> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${origin}/`);
    return (await webgpuAdapterKind(page)) === 'software';
  } finally {
    await page.close();
  }
}

export interface ShellMetrics {
  /** Script bytes as transferred (gzip where the server compresses; here: uncompressed, see gzipKb). */
  readonly scriptsBeforePaint: readonly string[];
  readonly gzipKb: number;
  readonly firstContentfulPaintMs: number;
  /** Until the controls are rendered and enabled: the page can be used. */
  readonly interactiveMs: number;
}

/** The app shell on a cold start: what JavaScript runs before first paint, and when it is usable. */
async function measureShell(executablePath: string | undefined, origin: string): Promise<ShellMetrics> {
  const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: QUIET_CHROMIUM });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  try {
    const started = Date.now();
    await page.goto(`${origin}/`);
    await page.getByTestId('load-model').waitFor();
    const interactiveMs = Date.now() - started;
    const timing = await page.evaluate(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
      const scripts = performance
        .getEntriesByType('resource')
        .filter((entry) => (entry as PerformanceResourceTiming).initiatorType === 'script' && entry.startTime < paint)
        .map((entry) => new URL(entry.name).pathname);
      return { paint, scripts };
    });
    const { gzipSync } = await import('node:zlib');
    let gzipBytes = 0;
    for (const script of timing.scripts) gzipBytes += gzipSync(await readFile(`dist${script}`)).length;
    return {
      scriptsBeforePaint: timing.scripts,
      gzipKb: gzipBytes / 1000,
      firstContentfulPaintMs: timing.paint,
      interactiveMs,
    };
  } finally {
    await context.close();
    await browser.close();
  }
}

const STAGES = [
  ['decode image', (sample: TaskSample) => (sample.stages.visionCached ? null : sample.stages.decodeImageMs)],
  ['preprocess', (sample: TaskSample) => (sample.stages.visionCached ? null : sample.stages.preprocessMs)],
  ['vision encoder', (sample: TaskSample) => (sample.stages.visionCached ? null : sample.stages.visionEncoderMs)],
  ['text encoder', (sample: TaskSample) => sample.stages.textEncoderMs],
  ['first token', (sample: TaskSample) => sample.stages.firstTokenMs],
  ['per token', (sample: TaskSample) => sample.stages.perTokenMs],
  ['parse', (sample: TaskSample) => sample.parseMs],
  ['overlay draw', (sample: TaskSample) => sample.drawMs],
  ['task total', (sample: TaskSample) => sample.elapsedMs],
] as const;

const NATIVE_STAGE: Record<string, keyof NativeStages> = {
  'vision encoder': 'visionEncoderMs',
  'text encoder': 'textEncoderMs',
  'first token': 'firstTokenMs',
  'per token': 'perTokenMs',
};

function stageMedian(result: ConfigurationResult, pick: (sample: TaskSample) => number | null): number {
  return median(result.samples.map(pick).filter((value): value is number => value !== null && Number.isFinite(value)));
}

function report(results: ConfigurationResult[], natives: NativeStages[]): string {
  const baseline = results.find((result) => !result.configuration.reuseFeatures);
  const ours = results.filter((result) => result.configuration.reuseFeatures);
  const nativeFor = (result: ConfigurationResult) =>
    result.device === 'wasm'
      ? natives.find((native) => native.threads === (result.configuration.threads ?? 1))
      : undefined;
  const header = [
    'stage (median)',
    ...results.map((result) => result.configuration.name),
    ...natives.map((n) => `native ${n.threads}T`),
  ];
  const rows = STAGES.map(([name, pick]) => [
    name,
    ...results.map((result) => formatMs(stageMedian(result, pick))),
    ...natives.map((native) => formatMs(NATIVE_STAGE[name] ? native[NATIVE_STAGE[name] as keyof NativeStages] : null)),
  ]);
  const greedyBeamTasks = (result: ConfigurationResult) =>
    result.samples.filter((sample) => BEAM_TASKS.includes(sample.task));
  const perStep = (samples: TaskSample[]) =>
    median(samples.map((sample) => sample.stages.perTokenMs).filter((ms) => Number.isFinite(ms) && ms > 0));
  rows.push([
    `per token, greedy (${BEAM_TASKS.join(' ')})`,
    ...results.map((result) => formatMs(perStep(greedyBeamTasks(result)))),
    ...natives.map(() => ''),
  ]);
  rows.push([
    `per token, 3 beams (${BEAM_TASKS.join(' ')})`,
    ...results.map((result) => (result.beamSamples.length > 0 ? formatMs(perStep(result.beamSamples)) : '')),
    ...natives.map(() => ''),
  ]);
  const generation = (samples: TaskSample[]) => median(samples.map((sample) => sample.stages.generateMs));
  rows.push([
    `generation a task, greedy (${BEAM_TASKS.join(' ')})`,
    ...results.map((result) => formatMs(generation(greedyBeamTasks(result)))),
    ...natives.map(() => ''),
  ]);
  rows.push([
    `generation a task, 3 beams (${BEAM_TASKS.join(' ')})`,
    ...results.map((result) => (result.beamSamples.length > 0 ? formatMs(generation(result.beamSamples)) : '')),
    ...natives.map(() => ''),
  ]);
  rows.push([
    '4-task session',
    ...results.map((result) => formatMs(median(result.sessionsMs))),
    ...natives.map(() => ''),
  ]);
  rows.push([
    'load from cache',
    ...results.map((result) => formatMs(result.loadFromCacheMs)),
    ...natives.map(() => ''),
  ]);
  rows.push([
    'peak memory',
    ...results.map((result) => `${result.peakMemoryMb.toFixed(0)} MB`),
    ...natives.map(() => ''),
  ]);

  const ratioHeader = ['ratio', ...ours.map((result) => result.configuration.name)];
  const ratioRows: string[][] = [
    [
      'per token, 3 beams / greedy',
      ...ours.map((result) =>
        formatRatio(
          result.beamSamples.length > 0 ? ratio(perStep(result.beamSamples), perStep(greedyBeamTasks(result))) : null,
        ),
      ),
    ],
    [
      'generation a task, 3 beams / greedy',
      ...ours.map((result) =>
        formatRatio(
          result.beamSamples.length > 0
            ? ratio(generation(result.beamSamples), generation(greedyBeamTasks(result)))
            : null,
        ),
      ),
    ],
  ];
  if (baseline) {
    ratioRows.push([
      '4-task session / baseline',
      ...ours.map((result) => formatRatio(ratio(median(result.sessionsMs), median(baseline.sessionsMs)))),
    ]);
    for (const [name, pick] of STAGES) {
      ratioRows.push([
        `${name} / baseline`,
        ...ours.map((result) => formatRatio(ratio(stageMedian(result, pick), stageMedian(baseline, pick)))),
      ]);
    }
  }
  for (const name of Object.keys(NATIVE_STAGE)) {
    const pick = STAGES.find(([stage]) => stage === name)?.[1];
    if (!pick) continue;
    ratioRows.push([
      `${name} / native (same threads)`,
      ...ours.map((result) => {
        const native = nativeFor(result);
        const key = NATIVE_STAGE[name];
        return formatRatio(native && key ? ratio(stageMedian(result, pick), native[key] as number) : null);
      }),
    ]);
  }
  return `${renderTable(header, rows)}\n\n${renderTable(ratioHeader, ratioRows)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      devices: { type: 'string', default: 'wasm-1,wasm-all,webgpu' },
      dtype: { type: 'string', default: 'auto' },
      // Unset means 3 sessions for the app, 8 calls per sub-model for the sweep.
      repeats: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      soak: { type: 'string', default: '0' },
      'software-gpu': { type: 'boolean', default: false },
      'dtype-sweep': { type: 'boolean', default: false },
      'sub-models': { type: 'string', default: '' },
      'no-builds': { type: 'boolean', default: false },
      // Only our configurations: no reference-demo baseline, no native runs (a quick same-run comparison).
      'no-yardsticks': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  if (values['dtype-sweep']) {
    const smoke = values.smoke ?? false;
    if (smoke && !values.model && !existsSync(`${TINY_MODEL}/config.json`)) await makeTestModel(resolve(TINY_MODEL));
    await sweep({
      model: values.model ?? (smoke ? TINY_MODEL : undefined),
      calls: smoke ? 1 : Number(values.repeats ?? 8),
      softwareGpu: values['software-gpu'] ?? false,
      subModels: (values['sub-models'] ?? '').split(',').filter(Boolean) as SubModel[],
      compareBuilds: !values['no-builds'],
      outFile: values.out,
      failOnUnrunnable: smoke,
    });
    return;
  }
  const smoke = values.smoke ?? false;
  const repeats = smoke ? 1 : Number(values.repeats ?? 3);
  const dtype = (values.dtype ?? 'auto') as DtypePreset;
  const modelFolder = resolve(values.model ?? (smoke ? TINY_MODEL : SYNTHETIC_MODEL));
  if (!existsSync(`${modelFolder}/config.json`)) {
    if (smoke || values.model === undefined) {
      if (smoke) await makeTestModel(modelFolder);
      else {
        console.log(`Generating the synthetic full-size model into ${modelFolder} (once)…`);
        execFileSync('npx', ['tsx', 'scripts/make-synthetic-model.ts', modelFolder], { stdio: 'inherit' });
      }
    } else {
      throw new Error(`No model at ${modelFolder}`);
    }
  }
  console.log('Building the app…');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });

  const site = new StaticServer('dist', {
    port: PORT,
    headers: { ...ISOLATION_HEADERS },
    mounts: { '/bench-model/': modelFolder },
  });
  await site.start();
  const wanted = (values.devices ?? '').split(',');
  const configurations: Configuration[] = [
    ...(values['no-yardsticks']
      ? []
      : [{ name: 'baseline (ref. demo)', device: 'wasm', threads: 1, reuseFeatures: false } as const]),
    ...(wanted.includes('wasm-1')
      ? [{ name: 'ours WASM 1T', device: 'wasm', threads: 1, reuseFeatures: true } as const]
      : []),
    ...(wanted.includes('wasm-all')
      ? [{ name: `ours WASM ${THREADS_ALL}T`, device: 'wasm', threads: THREADS_ALL, reuseFeatures: true } as const]
      : []),
    ...(wanted.includes('webgpu') ? [{ name: 'ours WebGPU', device: 'webgpu', reuseFeatures: true } as const] : []),
  ];
  const executablePath = chromiumPath();
  const results: ConfigurationResult[] = [];
  let shell: ShellMetrics | null = null;
  try {
    shell = await measureShell(executablePath, site.origin);
    for (const configuration of configurations) {
      const args = [...QUIET_CHROMIUM, ...(configuration.device === 'webgpu' ? ['--enable-unsafe-webgpu'] : [])];
      // A fresh profile per configuration: the first load downloads into its cache, the second reads it.
      const browser = await launchMeasuredBrowser(executablePath, args);
      try {
        if (
          configuration.device === 'webgpu' &&
          !values['software-gpu'] &&
          (await softwareAdapter(browser, site.origin))
        ) {
          console.log(
            'Skipping WebGPU: the only adapter is a CPU emulation (pass --software-gpu to measure it anyway).',
          );
          continue;
        }
        console.log(`Measuring ${configuration.name}…`);
        // The memory soak runs once, on the first of our configurations.
        const soakRuns = configuration.reuseFeatures && !results.some((r) => r.soak) ? Number(values.soak) : 0;
        const result = await measureConfiguration(browser, site.origin, configuration, dtype, repeats, soakRuns);
        if (configuration.device === 'webgpu' && result.device !== 'webgpu') {
          console.log('  no WebGPU adapter here: skipped');
          continue;
        }
        results.push(result);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await site.stop();
  }

  console.log('Measuring native onnxruntime-node…');
  const plan = chooseDevicePlan(TYPICAL_WASM_DEVICE, 'wasm', dtype).dtypes;
  const prompts = SESSION_TASKS.map((task) => ({
    prompt: buildPrompt(task),
    maxNewTokens: getTask(task).maxNewTokens,
  }));
  const natives: NativeStages[] = [];
  for (const threads of values['no-yardsticks'] ? [] : [...new Set([1, THREADS_ALL])]) {
    natives.push(await measureNative(modelFolder, plan, threads, prompts, repeats));
  }

  const table = report(results, natives);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
  console.log(`\nModel: ${basename(modelFolder)} (${dtype} weights), ${repeats} repeat(s), ${machine}\n`);
  console.log(table);
  for (const result of results) {
    if (!result.soak) continue;
    console.log(
      `Memory over ${result.soak.runs} runs (${result.configuration.name}): ${result.soak.startMb.toFixed(0)} MB after the first, ${result.soak.endMb.toFixed(0)} MB after the last (${(result.soak.endMb - result.soak.startMb).toFixed(0)} MB change); every ${SOAK_MEMORY_EVERY} runs: ${result.soak.memoryMb.map((mb) => mb.toFixed(0)).join(', ')} MB`,
    );
    console.log(
      `Run time, median of the first ${SOAK_WINDOW} runs: ${formatMs(result.soak.firstRunsMedianMs)}; of the last ${SOAK_WINDOW}: ${formatMs(result.soak.lastRunsMedianMs)} (${formatRatio(ratio(result.soak.lastRunsMedianMs, result.soak.firstRunsMedianMs))})`,
    );
  }
  if (shell) {
    console.log(
      `\nApp shell: ${shell.gzipKb.toFixed(1)} KB of JavaScript (gzipped) before first paint (${shell.scriptsBeforePaint.length} files); first paint ${formatMs(shell.firstContentfulPaintMs)}; interactive ${formatMs(shell.interactiveMs)}`,
    );
  }
  const out = resolve(values.out ?? 'bench-results/latest.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), machine, model: basename(modelFolder), dtype, repeats, shell, results, natives, table }, null, 2)}\n`,
  );
  console.log(`\nWritten to ${out}`);
}

/** The dtype sweep: a table per sub-model, written beside the usual results. */
async function sweep({
  model,
  calls,
  softwareGpu,
  subModels,
  compareBuilds,
  outFile,
  failOnUnrunnable,
}: {
  model: string | undefined;
  calls: number;
  softwareGpu: boolean;
  subModels: SubModel[];
  compareBuilds: boolean;
  outFile: string | undefined;
  /** The smoke run: every file must run, or the sweep is broken. */
  failOnUnrunnable: boolean;
}) {
  const modelFolder = resolve(model ?? SYNTHETIC_MODEL);
  if (!existsSync(`${modelFolder}/config.json`)) {
    console.log(`Generating the synthetic full-size model into ${modelFolder} (once)…`);
    execFileSync('npx', ['tsx', 'scripts/make-synthetic-model.ts', modelFolder], { stdio: 'inherit' });
  }
  const { rows, builds } = await runDtypeSweep({
    modelFolder,
    threadsAll: THREADS_ALL,
    calls,
    chromiumPath: chromiumPath(),
    chromiumArgs: QUIET_CHROMIUM,
    webgpu: true,
    ...(softwareGpu ? { acceptSoftwareGpu: true } : {}),
    subModels,
    compareBuilds,
    log: (line) => console.log(line),
  });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
  const table = renderSweep(rows, builds);
  console.log(`\nModel: ${basename(modelFolder)}, ${calls} timed calls (decoder: steps) each, ${machine}\n`);
  console.log(table);
  const out = resolve(outFile ?? 'bench-results/dtype-sweep.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), machine, model: basename(modelFolder), calls, rows, builds, table }, null, 2)}\n`,
  );
  console.log(`\nWritten to ${out}`);
  const unrunnable = [...rows, ...builds].filter((row) => row.error);
  if (failOnUnrunnable && unrunnable.length) {
    console.error(`${unrunnable.length} measurement(s) could not run; the first: ${unrunnable[0]?.error}`);
    process.exitCode = 1;
  }
}

await main();
