/**
 * Saves the robustness tests' images (e2e/support/images/test-images.ts) to a folder, to look at.
 * Usage: tsx scripts/save-test-images.ts [folder]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readableTestImages, unreadableTestImages } from '../e2e/support/images/test-images';

const folder = resolve(process.argv[2] ?? 'e2e/.generated/images');
mkdirSync(folder, { recursive: true });
for (const image of [...readableTestImages(), ...unreadableTestImages()]) {
  writeFileSync(join(folder, image.name), image.buffer);
  console.log(`${image.name.padEnd(20)} ${String(image.buffer.length).padStart(7)} bytes  ${image.what}`);
}
