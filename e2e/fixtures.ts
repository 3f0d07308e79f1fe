import { test as base } from '@playwright/test';
import { AppPage } from './pages/app-page';

const LOCAL_HOSTS = ['127.0.0.1', 'localhost'];

export const test = base.extend<{ app: AppPage }>({
  app: async ({ page, context }, use) => {
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
