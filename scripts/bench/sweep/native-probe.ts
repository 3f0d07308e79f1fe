/**
 * The native yardstick for one sub-model file: onnxruntime-node on the CPU with a given number of
 * threads, in a process of its own so that its peak memory is its own.
 *
 *   tsx scripts/bench/sweep/native-probe.ts <file.onnx> <sub-model> <threads> <calls>
 *
 * Prints one line of JSON: a ProbeResult plus peakMemoryMb, or { error }.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import type { SubModel } from '../../../src/shared/device/policy';
import { type OrtApi, probeSubModel } from './sub-model-probe';

async function peakMemoryMb(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1000;
}

const [file = '', subModel = '', threads = '1', calls = '3'] = process.argv.slice(2);
try {
  const started = performance.now();
  const bytes = new Uint8Array(await readFile(file));
  const readMs = performance.now() - started;
  const result = await probeSubModel(ort as unknown as OrtApi, bytes, {
    subModel: subModel as SubModel,
    calls: Number(calls),
    sessionOptions: { intraOpNumThreads: Number(threads), interOpNumThreads: 1, executionProviders: ['cpu'] },
  });
  console.log(JSON.stringify({ ...result, createMs: readMs + result.createMs, peakMemoryMb: await peakMemoryMb() }));
} catch (error) {
  console.log(JSON.stringify({ error: error instanceof Error ? error.message.split('\n')[0] : String(error) }));
}
