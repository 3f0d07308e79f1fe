/**
 * Every model and weight choice shows its download size before anything is downloaded.
 */
import { expect, test } from './fixtures';

test('catalogue models and weight presets show their sizes up front', async ({ app, page }) => {
  await app.open({});
  const models = page.getByTestId('model-choice');
  // Florence-2-base(-ft) with the recommended WASM weights: 158 + 367 + 30.1 + 64.4 MB + configs.
  await expect(models.locator('option', { hasText: 'Florence-2 base, fine-tuned' })).toContainText('623.0 MB');
  await expect(page.getByTestId('download-estimate')).toContainText('Downloads ≈ 623.0 MB');
  const presets = page.getByTestId('dtype-preset');
  await expect(presets.locator('option[value="smallest"]')).toContainText('218.6 MB');
  await expect(presets.locator('option[value="quality"]')).toContainText('1.1 GB');
  await presets.selectOption('smallest');
  await expect(page.getByTestId('download-estimate')).toContainText('Downloads ≈ 218.6 MB');
  // Large has no published sizes here; its size is asked of the host when chosen.
  await expect(models.locator('option', { hasText: 'Florence-2 large, fine-tuned' })).not.toContainText('MB');
});
