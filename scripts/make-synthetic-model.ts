/**
 * Writes the full-size synthetic Florence-2-base the benchmark runs on (e2e/support/synthetic-model):
 * about 2.3 GB, never committed.
 *
 *   tsx scripts/make-synthetic-model.ts [output-folder] [--seed N]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeSyntheticModel } from '../e2e/support/synthetic-model/write-synthetic-model';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seed: { type: 'string', default: '1' } },
});
const outputDir = resolve(positionals[0] ?? 'bench-models/florence2-base-synthetic');
await makeSyntheticModel(outputDir, Number(values.seed));
console.log(`Synthetic Florence-2-base written to ${outputDir}`);
