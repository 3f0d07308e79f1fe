import { test as base } from '@playwright/test';
import { AppPage } from './pages/app-page';

export const test = base.extend<{ app: AppPage }>({
  app: async ({ page }, use) => {
    // Any request leaving the local server fails the test: nothing here may touch the network.
    const offsiteRequests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['blob:', 'data:'].includes(url.protocol)) {
        offsiteRequests.push(request.url());
      }
    });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
    await use(new AppPage(page));
    if (offsiteRequests.length) throw new Error(`Requests left the machine: ${offsiteRequests.join(', ')}`);
  },
});

export { expect } from '@playwright/test';
