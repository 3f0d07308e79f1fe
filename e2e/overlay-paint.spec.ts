/**
 * The overlay's paint on real canvas pixels: light fills that do not stack where regions overlap, a
 * clearly stronger fill on the hovered region, a contrasting halo under every outline, opaque label
 * backgrounds, and the Labels and Fills toggles.
 *
 * The overlay is its own canvas over the picture, so a pixel's alpha there is exactly how much it
 * tints the picture. Expected alphas, worked by hand (the canvas keeps 8 bits, so ±2):
 *   one light fill:       0.12 × 255 = 30.6   → about 31
 *   two fills stacked, had they been drawn one over the other: 1 − (1 − 0.12)² = 0.2256 → 58; they
 *   are one layer, so an overlap must read the single fill's 31 again
 *   the hovered region:   0.35 × 255 = 89.25  → about 89
 *   the others meanwhile: 0.06 × 255 = 15.3   → about 15
 *   outside every region: 0
 * Colours (un-premultiplied by getImageData, so a few units off at low alpha): car #e6194b
 * (230, 25, 75), wheel #3cb44b (60, 180, 75), the first two label colours, in order of first label.
 */

import type { Page } from '@playwright/test';
import type { OverlayItem } from '../src/shared/overlay/layout';
import { expect, test } from './fixtures';
import type { AppPage } from './pages/app-page';
import { TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';

const IMAGE = { width: 640, height: 480 };
const CAR: [number, number, number] = [230, 25, 75];
const WHEEL: [number, number, number] = [60, 180, 75];
const ONE_FILL = 31;
const HOVERED_FILL = 89;
const DIMMED_FILL = 15;
const ALPHA_TOLERANCE = 2;

type Pixel = [number, number, number, number];

function rectOf(item: OverlayItem | undefined): readonly [number, number, number, number] {
  if (item?.shape.kind !== 'rect') throw new Error('expected a box');
  return item.shape.rect;
}

function expectColour(pixel: Pixel, rgb: readonly [number, number, number], tolerance: number, what: string): void {
  for (let channel = 0; channel < 3; channel++) {
    expect(
      Math.abs((pixel[channel] ?? 0) - (rgb[channel] ?? 0)),
      `${what}: channel ${channel} of ${pixel}`,
    ).toBeLessThanOrEqual(tolerance);
  }
}

async function expectAlphaNear(app: AppPage, x: number, y: number, alpha: number, what: string): Promise<Pixel> {
  await expect
    .poll(async () => Math.abs((await app.overlayPixel(x, y))[3] - alpha), { message: what, timeout: 10_000 })
    .toBeLessThanOrEqual(ALPHA_TOLERANCE);
  return app.overlayPixel(x, y);
}

async function hoverNothing(app: AppPage, page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await expect.poll(async () => (await app.overlayStyle()).highlighted).toBeNull();
}

test.beforeEach(async ({ app }) => {
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();
  await app.chooseImage({ name: 'street.png', mimeType: 'image/png', buffer: gradientPng(IMAGE.width, IMAGE.height) });
});

test('fills are light and do not stack; the hovered region is filled clearly stronger', async ({ app, page }) => {
  await app.runTask('<OD>');
  await expect.poll(async () => (await app.overlayScene()).items.length).toBe(3);
  const scene = await app.overlayScene();
  const [cx1, cy1, cx2, cy2] = rectOf(scene.items[0]);
  const [wx1, wy1, wx2, wy2] = rectOf(scene.items[1]);
  // Inside the car only (above the wheels), inside the first wheel (so inside the car too), outside both.
  const carOnly = { x: (cx1 + cx2) / 2, y: (cy1 + wy1) / 2 };
  const overlap = { x: (wx1 + wx2) / 2, y: (wy1 + wy2) / 2 };
  const outside = { x: (cx1 + cx2) / 2, y: (cy2 + scene.size.height) / 2 };
  await hoverNothing(app, page);

  const single = await expectAlphaNear(app, carOnly.x, carOnly.y, ONE_FILL, 'one fill');
  const both = await expectAlphaNear(app, overlap.x, overlap.y, ONE_FILL, 'two overlapping fills');
  expect(single[3] / 255).toBeGreaterThanOrEqual(0.1);
  expect(single[3] / 255).toBeLessThanOrEqual(0.15);
  // The overlap tints exactly as much as one region: not darker (stacked, it would be 58).
  expect(Math.abs(both[3] - single[3])).toBeLessThanOrEqual(1);
  expectColour(single, CAR, 12, 'car fill');
  // The smaller, nested region shows its own colour where they overlap.
  expectColour(both, WHEEL, 12, 'wheel fill over the car');
  expect((await app.overlayPixel(outside.x, outside.y))[3]).toBe(0);

  // Hover the wheel: its fill is clearly stronger, one fill thick over the car; the car's is dimmer.
  const box = await app.overlayBox();
  await page.mouse.move(box.x + overlap.x, box.y + overlap.y);
  await expect.poll(async () => (await app.overlayStyle()).highlighted).toBe(1);
  const hovered = await expectAlphaNear(app, overlap.x, overlap.y, HOVERED_FILL, 'hovered fill');
  expect(hovered[3]).toBeGreaterThanOrEqual(2 * single[3]);
  expectColour(hovered, WHEEL, 6, 'hovered wheel fill');
  await expectAlphaNear(app, carOnly.x, carOnly.y, DIMMED_FILL, 'the car while the wheel is hovered');

  // Fills off: no tint anywhere, except on the hovered region, which still shows its fill.
  await hoverNothing(app, page);
  await page.getByTestId('toggle-fills').uncheck();
  await expectAlphaNear(app, overlap.x, overlap.y, 0, 'the wheel with fills off');
  await expectAlphaNear(app, carOnly.x, carOnly.y, 0, 'the car with fills off');
  await page.mouse.move(box.x + overlap.x, box.y + overlap.y);
  await expect.poll(async () => (await app.overlayStyle()).highlighted).toBe(1);
  await expectAlphaNear(app, overlap.x, overlap.y, HOVERED_FILL, 'hovered fill with fills off');
  await expectAlphaNear(app, carOnly.x, carOnly.y, 0, 'the car with fills off, the wheel hovered');
  await hoverNothing(app, page);
  await page.getByTestId('toggle-fills').check();
  await expectAlphaNear(app, overlap.x, overlap.y, ONE_FILL, 'fills back on');
});

test('outlines sit on a contrasting halo and labels on an opaque background', async ({ app, page }) => {
  await app.runTask('<OD>');
  await expect.poll(async () => (await app.overlayScene()).items.length).toBe(3);
  const scene = await app.overlayScene();
  await hoverNothing(app, page);
  const [wx1, wy1, , wy2] = rectOf(scene.items[1]);
  const middle = (wy1 + wy2) / 2;

  // The wheel's 2 px outline covers x1 ± 1; its 4 px halo x1 ± 2. Green's luminance is 0.341, so
  // black contrasts more (0.391 / 0.05 = 7.8) than white (1.05 / 0.391 = 2.7): the halo is black.
  const line = await app.overlayPixel(wx1, middle);
  expect(line[3]).toBeGreaterThanOrEqual(250);
  expectColour(line, WHEEL, 6, 'outline');
  const halo = await app.overlayPixel(wx1 - 1.5, middle);
  expect(halo[3]).toBeGreaterThanOrEqual(250);
  expectColour(halo, [0, 0, 0], 6, 'halo');

  // The car's label: an opaque background in its colour, edged in its (black) halo colour.
  const label = scene.items[0]?.label;
  if (!label) throw new Error('the car has no label');
  const background = await app.overlayPixel(label.x + 2.5, label.y + label.height / 2);
  expect(background[3]).toBeGreaterThanOrEqual(250);
  expectColour(background, CAR, 6, 'label background');
  const edge = await app.overlayPixel(label.x + 0.5, label.y + label.height / 2);
  expect(edge[3]).toBeGreaterThanOrEqual(250);
  expectColour(edge, [0, 0, 0], 6, 'label edge');

  // Labels off: the label's place is clear (it sits above the car, outside every region).
  await page.getByTestId('toggle-labels').uncheck();
  await expectAlphaNear(app, label.x + 2.5, label.y + label.height / 2, 0, 'the label with labels off');
  await page.getByTestId('toggle-labels').check();
  await expectAlphaNear(app, label.x + 2.5, label.y + label.height / 2, 255, 'labels back on');
});

test('dense region captions: a three-way pile of regions tints as one fill', async ({ app, page }) => {
  await app.runTask('<DENSE_REGION_CAPTION>');
  await expect.poll(async () => (await app.overlayScene()).items.length).toBe(3);
  const scene = await app.overlayScene();
  await hoverNothing(app, page);
  // Car [52, 333, 932, 774], building [0, 0, 999, 420] and wheel [158, 558, 336, 775] in bins.
  const [cx1, cy1, cx2] = rectOf(scene.items[0]);
  const [, , , by2] = rectOf(scene.items[1]);
  const [wx1, wy1, wx2, wy2] = rectOf(scene.items[2]);
  const points = {
    'building only': { x: (cx1 + cx2) / 2, y: cy1 / 2 },
    'car and building': { x: (cx1 + cx2) / 2, y: (cy1 + by2) / 2 },
    'car only': { x: (cx1 + cx2) / 2, y: (by2 + wy1) / 2 },
    'wheel in the car': { x: (wx1 + wx2) / 2, y: (wy1 + wy2) / 2 },
  };
  const alphas: number[] = [];
  for (const [what, point] of Object.entries(points)) {
    alphas.push((await expectAlphaNear(app, point.x, point.y, ONE_FILL, what))[3]);
  }
  expect(Math.max(...alphas) - Math.min(...alphas)).toBeLessThanOrEqual(1);
});
