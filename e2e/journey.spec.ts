/**
 * The whole path: open the app, load the generated model, caption two images and draw detections.
 * Runs once per project: WASM chosen by itself (no WebGPU flag), and SwiftShader WebGPU.
 */

import { LABEL_COLORS } from '../src/shared/overlay/layout';
import { expect, test } from './fixtures';
import { expectedShapes, scriptedAnswer, TEST_MODEL_URL } from './support/expected-answers';
import { gradientPng } from './support/images/png';

const IMAGES = [
  { name: 'landscape-640x480.png', width: 640, height: 480 },
  { name: 'portrait-360x640.png', width: 360, height: 640 },
];

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

test('caption and detection on two images', async ({ app, page }, testInfo) => {
  const onWebGpu = testInfo.project.name === 'webgpu';
  await app.open({ model: TEST_MODEL_URL });
  await app.loadModel();

  await expect(app.device()).toHaveText(onWebGpu ? 'WebGPU' : 'WASM');
  // The smallest ONNX Runtime build with what the device needs: Chromium has JSPI for WebGPU.
  await expect(page.getByTestId('model-runtime')).toHaveAttribute('data-runtime', onWebGpu ? 'jspi' : 'plain');
  // The device policy: WebGPU without shader-f16 keeps embeddings and vision in fp32 with a 4-bit
  // encoder and decoder; WASM runs the 8-bit text encoder, decoder and embeddings the sweep chose.
  await expect(app.dtype('embed_tokens')).toHaveText(onWebGpu ? 'fp32' : 'q8');
  await expect(app.dtype('vision_encoder')).toHaveText('fp32');
  await expect(app.dtype('encoder_model')).toHaveText(onWebGpu ? 'q4' : 'q8');
  await expect(app.dtype('decoder_model_merged')).toHaveText(onWebGpu ? 'q4' : 'q8');

  for (const image of IMAGES) {
    await app.chooseImage({
      name: image.name,
      mimeType: 'image/png',
      buffer: gradientPng(image.width, image.height),
    });

    await app.runTask('<CAPTION>');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
    await expect(page.getByTestId('stage-timings')).toContainText('vision encoder');

    await app.runTask('<OD>');
    // The second task on the same image reuses its features: the vision encoder ran once.
    await expect(page.getByTestId('stage-timings')).toContainText('Image features reused');
    const expected = expectedShapes('<OD>', undefined, image);
    await expect(app.regionList.locator('li')).toHaveCount(expected.length);
    for (const [index, box] of expected.entries()) {
      await expect(app.regionList.locator('li').nth(index)).toContainText(box.label);
    }

    // Geometry: each outline sits where the bins say, scaled from image pixels to the displayed image.
    const preview = page.getByTestId('image-preview');
    const displayed = await preview.evaluate((img: HTMLImageElement) => ({
      width: img.getBoundingClientRect().width,
      naturalWidth: img.naturalWidth,
    }));
    expect(displayed.naturalWidth).toBe(image.width);
    const scale = displayed.width / image.width;
    await expect.poll(async () => (await app.overlayScene()).items.length).toBe(expected.length);
    const scene = await app.overlayScene();
    expect(scene.size.width).toBeCloseTo(displayed.width, 3);
    for (const [index, box] of expected.entries()) {
      const drawn = scene.items[index];
      if (drawn?.shape.kind !== 'rect' || box.kind !== 'rect') throw new Error(`box ${index} was not drawn`);
      for (let corner = 0; corner < 4; corner++) {
        expect(drawn.shape.rect[corner]).toBeCloseTo((box.box[corner] ?? 0) * scale, 3);
      }
      expect(drawn.label?.text).toBe(box.label);
    }

    // Pixels: the first box's left edge is painted in its colour; inside, only a translucent fill.
    const first = scene.items[0];
    if (first?.shape.kind !== 'rect') throw new Error('no box drawn');
    const [x1, y1, x2, y2] = first.shape.rect;
    const edge = await app.overlayPixel(x1, (y1 + y2) / 2);
    const [r, g, b] = hexToRgb(first.color);
    expect(first.color).toBe(LABEL_COLORS[0]);
    expect(edge[3]).toBeGreaterThan(200);
    expect(Math.abs(edge[0] - r) + Math.abs(edge[1] - g) + Math.abs(edge[2] - b)).toBeLessThan(40);
    const centre = await app.overlayPixel((x1 + x2) / 2, (y1 + y2) / 2);
    expect(centre[3]).toBeGreaterThan(0);
    expect(centre[3]).toBeLessThan(100);
    // Without fills the inside is clear.
    await page.getByTestId('toggle-fills').uncheck();
    await expect.poll(async () => (await app.overlayPixel((x1 + x2) / 2, (y1 + y2) / 2))[3]).toBe(0);
    await page.getByTestId('toggle-fills').check();
  }
});
