/**
 * Privacy, proven on a whole session: no request carries image bytes, none goes to a host other than
 * the app and the model host, and once the model is stored, running tasks makes no request at all.
 */

import { expect, REMOTE_TEST_MODEL_URL, test } from './fixtures';
import { noisePng } from './support/images/png';
import { MODEL_SERVER_ORIGIN } from './support/static-server';

interface Recorded {
  readonly url: string;
  readonly body: Buffer | null;
}

/** Byte runs taken from a file, in the forms they could travel in: raw, base64, hex. */
function fingerprints(file: Buffer): string[] {
  const samples = [0.3, 0.5, 0.8].map((at) =>
    file.subarray(Math.floor(file.length * at), Math.floor(file.length * at) + 24),
  );
  return samples.flatMap((sample) => [
    sample.toString('latin1'),
    sample.toString('base64').slice(4, 28),
    sample.toString('hex'),
  ]);
}

test('a whole session sends no image anywhere and nothing once the model is stored', async ({
  app,
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const recorded: Recorded[] = [];
  context.on('request', (request) => recorded.push({ url: request.url(), body: request.postDataBuffer() }));
  const images = [noisePng(320, 240, 7), noisePng(200, 300, 11)];

  await app.open({ model: REMOTE_TEST_MODEL_URL });
  await app.waitForServiceWorker();
  await app.loadModel();
  expect(
    recorded.some((request) => request.url.startsWith(MODEL_SERVER_ORIGIN) && request.url.endsWith('.onnx')),
    'the worker downloads are recorded too',
  ).toBe(true);
  // Reload: the model now comes from this device's storage.
  const beforeReload = recorded.length;
  await page.reload();
  await app.loadModel();
  const cachedSession = recorded.slice(beforeReload);
  test.info().annotations.push({
    type: 'cached session requests',
    description: `${cachedSession.length} (${cachedSession.filter((request) => request.url.startsWith(MODEL_SERVER_ORIGIN)).length} to the model host)`,
  });
  expect(
    cachedSession.filter((request) => request.url.startsWith(MODEL_SERVER_ORIGIN)),
    'a session with the model stored asks the model host for nothing',
  ).toEqual([]);

  const beforeRuns = recorded.length;
  for (const [index, image] of images.entries()) {
    await app.chooseImage({ name: `private-${index}.png`, mimeType: 'image/png', buffer: image });
    for (const task of ['<CAPTION>', '<OD>', '<OCR_WITH_REGION>']) await app.runTask(task);
  }
  const duringRuns = recorded.slice(beforeRuns).filter((request) => !request.url.startsWith('blob:'));
  expect(duringRuns, 'requests made while running tasks').toEqual([]);

  const allowedOrigins = [new URL(baseURL ?? '').origin, MODEL_SERVER_ORIGIN];
  for (const request of recorded) {
    if (request.url.startsWith('blob:') || request.url.startsWith('data:')) continue;
    expect(allowedOrigins, request.url).toContain(new URL(request.url).origin);
    const carried = `${request.url}\n${request.body?.toString('latin1') ?? ''}`;
    for (const image of images) {
      for (const fingerprint of fingerprints(image)) expect(carried.includes(fingerprint), request.url).toBe(false);
    }
  }
  expect(recorded.length).toBeGreaterThan(0);
});

test('the content security policy blocks connections to other hosts', async ({ page }) => {
  const response = await page.goto('/');
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain(`connect-src 'self' ${MODEL_SERVER_ORIGIN}`);
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toContain("'unsafe-eval'");
  const blocked = await page.evaluate(async () => {
    try {
      await fetch('http://127.0.0.1:4999/upload', { method: 'POST', body: 'image bytes' });
      return false;
    } catch {
      return true;
    }
  });
  expect(blocked).toBe(true);
});
