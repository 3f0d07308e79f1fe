/**
 * A deployment that serves its own copy of the model (public/models/<id>/, as `npm run fetch-model`
 * writes it) uses it by default: no request goes anywhere but the app's own origin.
 */

import { ISOLATION_HEADERS } from '../src/shared/security-headers';
import { expect, GENERATED_MODELS, test } from './fixtures';
import { scriptedAnswer } from './support/expected-answers';
import { gradientPng } from './support/images/png';
import { StaticServer } from './support/static-server';

test('a self-hosted copy is used by default and nothing else is contacted', async ({ app, page, context }) => {
  const site = new StaticServer('dist', {
    port: 4183,
    headers: { ...ISOLATION_HEADERS },
    mounts: { '/models/onnx-community/Florence-2-base-ft/': `${GENERATED_MODELS}/florence2-tiny` },
  });
  await site.start();
  try {
    const origins = new Set<string>();
    context.on('request', (request) => origins.add(new URL(request.url()).origin));
    await page.goto(`${site.origin}/`);
    await expect(page.getByTestId('model-source')).toHaveValue('./models/onnx-community/Florence-2-base-ft');
    await app.loadModel();
    await app.chooseImage({ name: 'a.png', mimeType: 'image/png', buffer: gradientPng(64, 64) });
    await app.runTask('<CAPTION>');
    await expect(app.answerText).toHaveText(scriptedAnswer('<CAPTION>'));
    expect([...origins].filter((origin) => origin.startsWith('http'))).toEqual([site.origin]);
    expect(site.requests.some((request) => request.path.endsWith('decoder_model_merged_quantized.onnx'))).toBe(true);
  } finally {
    await site.stop();
  }
});
