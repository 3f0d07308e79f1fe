/**
 * While the model downloads, the person sees which files are coming and how far along they are.
 */
import { expect, test } from './fixtures';
import { TEST_MODEL_URL } from './support/expected-answers';
import { holdDownloads } from './support/hold-downloads';

test('loading shows per-file progress, then the ready state', async ({ app, page }) => {
  const releaseDecoder = await holdDownloads(page, '**/onnx/decoder_model_merged*.onnx');
  await app.open({ model: TEST_MODEL_URL });
  await page.getByTestId('load-model').click();
  await expect(app.modelStatus).toHaveText('Downloading model files…');
  const files = page.getByTestId('file-progress');
  await expect(files).toContainText('onnx/decoder_model_merged_quantized.onnx');
  await expect(files).toContainText('config.json');
  await expect(page.getByTestId('model-progress')).toBeVisible();
  await expect(page.getByTestId('load-model')).toBeDisabled();
  releaseDecoder();
  await expect(page.getByTestId('model-info')).toBeVisible();
  await expect(app.modelStatus).toContainText('Ready on');
});
