import { expect, type Locator, type Page } from '@playwright/test';
import type { DrawnOverlay, FlorenceTestHooks } from '../../src/page/test-hooks';
import type { PixelSummary } from '../../src/shared/image-pixels';
import type { OverlayScene } from '../../src/shared/overlay/layout';

export interface ImageFile {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/** The app as a person sees it: the controls they use and what they read. */
export class AppPage {
  readonly modelStatus: Locator;
  readonly runButton: Locator;
  readonly answerText: Locator;
  readonly regionList: Locator;
  readonly overlay: Locator;
  readonly imageError: Locator;

  constructor(readonly page: Page) {
    this.modelStatus = page.getByTestId('model-status');
    this.runButton = page.getByTestId('run');
    this.answerText = page.getByTestId('answer-text');
    this.regionList = page.getByTestId('region-list');
    this.overlay = page.getByTestId('overlay');
    this.imageError = page.getByTestId('image-error');
  }

  /** Opens the app with these settings, and its test hooks on (they only observe, see src/page/test-hooks.ts). */
  async open(params: Record<string, string>): Promise<void> {
    await this.page.goto(`/?${new URLSearchParams({ 'test-hooks': '1', ...params })}`);
  }

  /** The model worker dies as abruptly as in a crash. */
  async crashWorker(): Promise<void> {
    await this.page.evaluate(() =>
      (window as unknown as { florenceTestHooks: FlorenceTestHooks }).florenceTestHooks.crashWorker(),
    );
  }

  /** The summary of the pixels the model was given for the answer on screen. */
  async inputPixels(): Promise<PixelSummary> {
    const summary = await this.page.evaluate(() =>
      (window as unknown as { florenceTestHooks: FlorenceTestHooks }).florenceTestHooks.inputPixels(),
    );
    if (!summary) throw new Error('The run reported no input pixels');
    return summary;
  }

  private async drawnOverlay(): Promise<DrawnOverlay> {
    const drawn = await this.page.evaluate(() =>
      (window as unknown as { florenceTestHooks: FlorenceTestHooks }).florenceTestHooks.overlay(),
    );
    if (!drawn) throw new Error('The overlay has not drawn anything yet');
    return drawn;
  }

  /** Waits until the service worker is installed and active (the app shell is precached). */
  async waitForServiceWorker(): Promise<void> {
    await this.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      if (!registration.active) throw new Error('no active service worker');
    });
  }

  /** URLs of everything in the browser's model file cache. */
  async cachedModelFiles(): Promise<string[]> {
    return this.page.evaluate(async () => {
      const cache = await caches.open('transformers-cache');
      return (await cache.keys()).map((request) => request.url);
    });
  }

  async loadModel(): Promise<void> {
    await this.page.getByTestId('load-model').click();
    await expect(this.page.getByTestId('model-info')).toBeVisible({ timeout: 90_000 });
  }

  /** Opens the model's panel, folded into its status chip once a model is ready. */
  async openModelPanel(): Promise<void> {
    const chip = this.page.locator('details.model-chip');
    if ((await chip.count()) > 0 && !(await chip.evaluate((details: HTMLDetailsElement) => details.open))) {
      await this.page.getByTestId('model-info').click();
    }
  }

  device(): Locator {
    return this.page.getByTestId('model-device');
  }

  dtype(subModel: string): Locator {
    return this.page.getByTestId(`dtype-${subModel}`);
  }

  async chooseImage(file: ImageFile): Promise<void> {
    await this.page.getByTestId('image-file').setInputFiles(file);
  }

  async selectTask(task: string): Promise<void> {
    await this.page.getByTestId('task').selectOption(task);
  }

  /** Runs the selected task (after any input is given) and waits for the answer to the given prompt. */
  async runAndWaitFor(prompt: string): Promise<void> {
    await expect(this.runButton).toBeEnabled();
    await this.runButton.click();
    await expect(this.page.getByTestId('raw-prompt')).toHaveText(prompt, { timeout: 90_000 });
    await expect(this.runButton).toHaveText('Run');
  }

  async runTask(task: string): Promise<void> {
    await this.selectTask(task);
    await expect(this.runButton).toBeEnabled();
    await this.runButton.click();
    await expect(this.page.getByTestId('timing')).toBeVisible({ timeout: 90_000 });
    await expect(this.runButton).toHaveText('Run');
  }

  async typeRegion(box: readonly [number, number, number, number]): Promise<void> {
    const names = ['left', 'top', 'right', 'bottom'];
    for (const [index, name] of names.entries()) {
      await this.page.getByTestId(`region-${name}`).fill(String(box[index]));
    }
  }

  /** The overlay's box on screen, scrolled into view first so mouse positions land on it. */
  async overlayBox(): Promise<{ x: number; y: number; width: number; height: number }> {
    await this.overlay.scrollIntoViewIfNeeded();
    const box = await this.overlay.boundingBox();
    if (!box) throw new Error('The overlay is not visible');
    return box;
  }

  /** What the overlay was last drawn with: the highlighted region, the region being drawn, the toggles. */
  async overlayStyle(): Promise<DrawnOverlay['style']> {
    return (await this.drawnOverlay()).style;
  }

  /** Exactly what the overlay last drew, in CSS pixels of the overlay. */
  async overlayScene(): Promise<OverlayScene> {
    return (await this.drawnOverlay()).scene;
  }

  /** RGBA of the overlay canvas at a point in CSS pixels, read from its backing store. */
  async overlayPixel(x: number, y: number): Promise<[number, number, number, number]> {
    return this.overlay.evaluate(
      (canvas: HTMLCanvasElement, point) => {
        const context = canvas.getContext('2d');
        if (!context) throw new Error('no 2d context');
        const scale = canvas.width / canvas.clientWidth;
        const data = context.getImageData(Math.floor(point.x * scale), Math.floor(point.y * scale), 1, 1).data;
        return [data[0] ?? 0, data[1] ?? 0, data[2] ?? 0, data[3] ?? 0] as [number, number, number, number];
      },
      { x, y },
    );
  }
}
