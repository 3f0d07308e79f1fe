/**
 * The three ways to hand the app an image: the file picker (covered by the journey), drag and drop,
 * and paste.
 */

import { expect, test } from './fixtures';
import { gradientPng } from './support/images/png';

async function handOver(page: import('@playwright/test').Page, how: 'drop' | 'paste', name: string, png: Buffer) {
  await page.evaluate(
    ({ how, name, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
      if (how === 'drop') {
        const zone = document.querySelector('[data-testid="drop-zone"]');
        if (!zone) throw new Error('no drop zone');
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      } else {
        window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true }));
      }
    },
    { how, name, bytes: [...png] },
  );
}

test('an image can be dropped or pasted', async ({ app, page }) => {
  await app.open({});
  await handOver(page, 'drop', 'dropped.png', gradientPng(300, 200));
  await expect(page.getByTestId('image-name')).toHaveText('dropped.png');
  await expect(page.getByTestId('image-preview')).toHaveJSProperty('naturalWidth', 300);

  await handOver(page, 'paste', 'pasted.png', gradientPng(120, 160));
  await expect(page.getByTestId('image-name')).toHaveText('pasted.png');
  await expect(page.getByTestId('image-preview')).toHaveJSProperty('naturalHeight', 160);
});
