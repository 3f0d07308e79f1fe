/**
 * Every model and weight choice shows its download size before anything is downloaded.
 */
import { expect, test } from './fixtures';

test('catalogue models and weight presets show their sizes up front', async ({ app, page }) => {
  await app.open({});
  const models = page.getByTestId('model-choice');
  // Florence-2-base(-ft) with the recommended WASM weights: 39.4 + 367 + 43.7 + 98.2 MB + 3.5 MB of configs.
  await expect(models.locator('option', { hasText: 'Florence-2 base, fine-tuned' })).toContainText('551.8 MB');
  await expect(page.getByTestId('download-estimate')).toContainText('Downloads ≈ 551.8 MB');
  await expect(page.getByTestId('preset-note')).toContainText(
    'Full precision image encoder; 8-bit text encoder, decoder and embeddings.',
  );
  await expect(page.getByTestId('preset-note')).toContainText('can change some answers');
  const presets = page.getByTestId('dtype-preset');
  await expect(presets.locator('option[value="smallest"]')).toContainText('218.6 MB');
  await expect(presets.locator('option[value="quality"]')).toContainText('1.1 GB');
  await presets.selectOption('smallest');
  await expect(page.getByTestId('download-estimate')).toContainText('Downloads ≈ 218.6 MB');
  // Large has no published sizes here; its size is asked of the host when chosen.
  await expect(models.locator('option', { hasText: 'Florence-2 large, fine-tuned' })).not.toContainText('MB');
});
