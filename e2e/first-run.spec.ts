/**
 * First run: loading is the first thing to do; a model host that cannot be reached is named, with
 * what can be done about it; an error about earlier choices goes when they change; and a malformed
 * source is flagged before anything is loaded.
 */

import { contentSecurityPolicy, HUB_MODEL_ORIGINS } from '../src/shared/security-headers';
import { expect, REMOTE_TEST_MODEL_URL, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { TEST_MODEL_URL } from './support/expected-answers';

const LOCAL_HOSTS = ['127.0.0.1', 'localhost'];
const HUB_HOST = /^https:\/\/([\w-]+\.)*(huggingface\.co|hf\.co)$/;

/**
 * The fixtures' app, on a network where the Hub cannot be reached: the model worker may connect to
 * the Hub, as in a default build (the test build's policy allows only the loopback model hosts), and
 * Playwright refuses every request to it, as a network without it would. Any other request leaving
 * the machine fails the test, as in the fixtures.
 */
const hubTest = test.extend<{ hubRequests: string[] }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
  hubRequests: async ({}, use) => {
    await use([]);
  },
  app: async ({ page, context, hubRequests, modelServer: _modelServer }, use) => {
    const offsiteRequests: string[] = [];
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (LOCAL_HOSTS.includes(url.hostname) || ['blob:', 'data:'].includes(url.protocol)) return;
      if (!HUB_HOST.test(url.origin)) offsiteRequests.push(request.url());
    });
    await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, async (route) => {
      if (HUB_HOST.test(new URL(route.request().url()).origin)) hubRequests.push(route.request().url());
      await route.abort('connectionrefused');
    });
    // The model worker's policy is the one its script is served with: here a default build's. (Its
    // fetches to the loopback model host then failed in Chromium, so the folder loaded below is on
    // the app's own origin.)
    await context.route(/\/assets\/florence\.worker-[\w-]+\.js$/, async (route) => {
      const response = await route.fetch();
      // The body comes decoded: its encoding headers no longer apply.
      const { 'content-encoding': _encoding, 'transfer-encoding': _transfer, ...kept } = response.headers();
      await route.fulfill({
        response,
        headers: { ...kept, 'content-security-policy': contentSecurityPolicy(HUB_MODEL_ORIGINS) },
      });
    });
    const policyViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to (load|connect|execute|create)/.test(message.text())) {
        policyViolations.push(message.text());
      }
    });
    await use(new AppPage(page));
    if (offsiteRequests.length) throw new Error(`Requests left the machine: ${offsiteRequests.join(', ')}`);
    if (policyViolations.length) throw new Error(`CSP violations: ${policyViolations.join('\n')}`);
  },
});

hubTest.describe('on a first visit', () => {
  // The service worker would serve the model worker's script from its precache, with the test
  // build's policy and out of reach of routing.
  hubTest.use({ serviceWorkers: 'block' });

  hubTest(
    'the Hub cannot be reached: the message names it and says what can be done',
    async ({ app, page, hubRequests }) => {
      // The app's default source: a Hub id.
      await app.open({});
      const load = page.getByTestId('load-model');
      await expect(load).toHaveText('Load model');
      await expect(load).toHaveClass(/\bprimary\b/);
      await load.click();

      const error = page.getByTestId('model-error');
      await expect(error).toContainText('huggingface.co could not be reached.');
      expect(hubRequests.length, 'the Hub was asked, and refused by routing').toBeGreaterThan(0);
      expect(
        hubRequests.every((url) => url.startsWith('https://huggingface.co/onnx-community/Florence-2-base-ft/')),
      ).toBe(true);
      await expect(error).not.toContainText('could not be downloaded');
      await expect(page.getByTestId('retry-load')).toHaveText('Retry');
      await expect(page.getByTestId('use-folder-url')).toHaveText('Use a folder URL instead');
      await expect(page.getByTestId('self-host-hint')).toContainText(
        'npm run fetch-model -- onnx-community/Florence-2-base-ft',
      );
      await expect(page.getByTestId('self-host-hint')).toContainText('Self-hosting: your own copy of the model');
      // Still the first thing to do.
      await expect(load).toHaveClass(/\bprimary\b/);

      // Retry asks the Hub again.
      const asked = hubRequests.length;
      await page.getByTestId('retry-load').click();
      await expect.poll(() => hubRequests.length).toBeGreaterThan(asked);
      await expect(error).toContainText('huggingface.co could not be reached.');

      // A folder URL instead: the source field, focused, and the model loads from there.
      await page.getByTestId('use-folder-url').click();
      await expect(page.getByTestId('model-choice')).toHaveValue('custom');
      await expect(page.getByTestId('model-source')).toBeFocused();
      await page.keyboard.type(TEST_MODEL_URL);
      await expect(error).toBeHidden();
      await app.loadModel();
      await expect(load).toHaveText('Reload model');
      await expect(load).not.toHaveClass(/\bprimary\b/);
    },
  );
});

test('a folder URL whose host cannot be reached names that host', async ({ app, page, context }) => {
  // The second loopback host the test build allows, refused by routing.
  const refused: string[] = [];
  await context.route('http://127.0.0.1:4182/**', async (route) => {
    refused.push(route.request().url());
    await route.abort('connectionrefused');
  });
  await app.open({ model: 'http://127.0.0.1:4182/models/florence-2-base-ft' });
  await page.getByTestId('load-model').click();
  await expect(page.getByTestId('model-error')).toContainText('127.0.0.1:4182 could not be reached.');
  await expect(page.getByTestId('retry-load')).toBeVisible();
  await expect(page.getByTestId('use-folder-url')).toBeVisible();
  await expect(page.getByTestId('self-host-hint')).toContainText('npm run fetch-model');
  expect(refused.some((url) => url.startsWith('http://127.0.0.1:4182/models/florence-2-base-ft/'))).toBe(true);

  // The folder URL typed stays, selected, so typing replaces it.
  await page.getByTestId('use-folder-url').click();
  await expect(page.getByTestId('model-source')).toBeFocused();
  await page.keyboard.type(REMOTE_TEST_MODEL_URL);
  await expect(page.getByTestId('model-source')).toHaveValue(REMOTE_TEST_MODEL_URL);
  await expect(page.getByTestId('model-error')).toBeHidden();
  await app.loadModel();
});

test('an error goes when the source, the weights or the device change', async ({ app, page }) => {
  await app.open({ model: '/test-models/no-such-model' });
  const load = page.getByTestId('load-model');
  const error = page.getByTestId('model-error');
  await load.click();
  await expect(error).toContainText('The model files were not found');
  // Not a host that could not be reached: no such advice.
  await expect(page.getByTestId('load-remedies')).toHaveCount(0);

  await page.getByTestId('dtype-preset').selectOption('smallest');
  await expect(error).toBeHidden();
  await expect(app.modelStatus).toContainText('Not loaded');
  await expect(load).toHaveText('Load model');

  await load.click();
  await expect(error).toContainText('The model files were not found');
  await page.getByTestId('device-preference').selectOption('wasm');
  await expect(error).toBeHidden();

  await load.click();
  await expect(error).toContainText('The model files were not found');
  await page.getByTestId('model-source').fill(TEST_MODEL_URL);
  await expect(error).toBeHidden();
  await expect(app.modelStatus).toContainText('Not loaded');
  await app.loadModel();
});

test('a malformed source is flagged as it is typed, and cannot be loaded', async ({ app, page }) => {
  await app.open({});
  await page.getByTestId('model-choice').selectOption('custom');
  const source = page.getByTestId('model-source');
  const problem = page.getByTestId('model-source-error');
  const load = page.getByTestId('load-model');
  await expect(source).toBeFocused();
  // Empty loads the default: nothing to flag.
  await expect(problem).toHaveCount(0);
  await expect(load).toBeEnabled();

  for (const [typed, message] of [
    [
      'Florence-2-base-ft',
      '"Florence-2-base-ft" has no owner: a Hub id is owner/name, as in onnx-community/Florence-2-base-ft.',
    ],
    [
      'models florence',
      '"models florence" is neither a Hub model id (owner/name) nor a URL of a model folder (starting with https://, / or ./).',
    ],
    ['ftp://files.example/florence', 'A model URL must use http or https.'],
  ] as const) {
    await source.fill(typed);
    await expect(problem).toHaveText(message);
    await expect(source).toHaveAttribute('aria-invalid', 'true');
    await expect(source).toHaveAttribute('aria-describedby', 'model-source-error');
    await expect(source).toHaveAccessibleDescription(message);
    await expect(load).toBeDisabled();
  }

  await source.fill(REMOTE_TEST_MODEL_URL);
  await expect(problem).toHaveCount(0);
  await expect(source).not.toHaveAttribute('aria-invalid', /.*/);
  await expect(source).not.toHaveAttribute('aria-describedby', /.*/);
  await expect(load).toBeEnabled();
  await expect(load).toHaveClass(/\bprimary\b/);
  await app.loadModel();
  await expect(load).not.toHaveClass(/\bprimary\b/);
});
