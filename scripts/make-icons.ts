/**
 * Draws the app icons (PNG, any size; written by pngjs). Usage: tsx scripts/make-icons.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { encodePng, type Rgb } from '../e2e/support/images/png';

const BLUE: Rgb = [47, 91, 234];
const WHITE: Rgb = [255, 255, 255];

/** The mark: a white picture frame with a dot, on blue; `inset` leaves the safe zone of maskable icons. */
function paintIcon(size: number, inset: number) {
  const unit = (size * (1 - 2 * inset)) / 32;
  const origin = size * inset;
  return (x: number, y: number): Rgb => {
    const u = (x - origin) / unit;
    const v = (y - origin) / unit;
    const inFrame = u >= 7 && u <= 25 && v >= 8 && v <= 22;
    const inHole = u >= 9.5 && u <= 22.5 && v >= 10.5 && v <= 19.5;
    const inDot = (u - 16) ** 2 + (v - 15) ** 2 <= 9;
    return (inFrame && !inHole) || inDot ? WHITE : BLUE;
  };
}

await mkdir('public/icons', { recursive: true });
for (const size of [192, 512]) {
  await writeFile(`public/icons/icon-${size}.png`, encodePng(size, size, paintIcon(size, 0)));
  await writeFile(`public/icons/maskable-${size}.png`, encodePng(size, size, paintIcon(size, 0.1)));
}
await writeFile('public/icons/apple-touch-icon.png', encodePng(180, 180, paintIcon(180, 0.06)));
console.log('Icons written to public/icons');
