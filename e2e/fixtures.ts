import { test as base } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { MODEL_SERVER_ORIGIN, modelServer, type StaticServer } from './support/static-server';

const LOCAL_HOSTS = ['127.0.0.1', 'localhost'];

export const GENERATED_MODELS = 'e2e/.generated/models';
/** The test model on the loopback model host (its own origin, as the Hub or a CDN would be). */
export const REMOTE_TEST_MODEL_URL = `${MODEL_SERVER_ORIGIN}/florence2-tiny`;

export const test = base.extend<{ app: AppPage; modelServer: StaticServer }, { sharedModelServer: StaticServer }>({
  sharedModelServer: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const server = modelServer(GENERATED_MODELS);
      await server.start();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  modelServer: async ({ sharedModelServer }, use) => {
    sharedModelServer.fault = null;
    sharedModelServer.requests.length = 0;
    await use(sharedModelServer);
    sharedModelServer.fault = null;
  },
  // The model host runs for every app test, as the Hub would.
  app: async ({ page, context, modelServer: _modelServer }, use) => {
    // Any request leaving the machine fails the test: nothing here may touch the network.
    const offsiteRequests: string[] = [];
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (!LOCAL_HOSTS.includes(url.hostname) && !['blob:', 'data:'].includes(url.protocol)) {
        offsiteRequests.push(request.url());
      }
    });
    await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
    // The Content Security Policy must hold for everything the app does.
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

export { expect } from '@playwright/test';
