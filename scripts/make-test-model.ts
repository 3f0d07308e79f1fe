/**
 * Writes the scripted tiny Florence-2 model the tests run on (e2e/support/test-model).
 * Usage: tsx scripts/make-test-model.ts [output-folder]
 */
import { resolve } from 'node:path';
import { DEFAULT_TEST_MODEL_DIR, makeTestModel } from '../e2e/support/test-model/write-test-model';

const outputDir = resolve(process.argv[2] ?? DEFAULT_TEST_MODEL_DIR);
await makeTestModel(outputDir);
console.log(`Test model written to ${outputDir}`);
