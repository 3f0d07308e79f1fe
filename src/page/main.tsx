import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { receiveLaunchedImages } from './pwa/launch';
import { registerServiceWorker } from './pwa/register';
import { createBrowserModelSession } from './session/model-worker';
import { applyUrlSettings, preferSelfHostedModel, watchConnectivity } from './state/model-actions';
import { connectModelSession } from './state/session-link';
import { readUrlSettings } from './state/url-settings';
import { installTestHooks, testWorkerFactory } from './test-hooks';
import './styles.css';

const settings = readUrlSettings(window.location.search);
applyUrlSettings(window.location.search);
if (settings.testHooks || settings.simulatedFault) {
  const workers = testWorkerFactory(settings.simulatedFault);
  connectModelSession(createBrowserModelSession(workers.createWorker));
  if (settings.testHooks) installTestHooks(workers.crashWorker);
} else {
  connectModelSession(createBrowserModelSession());
}
registerServiceWorker();
watchConnectivity();
void preferSelfHostedModel();
receiveLaunchedImages();

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks the #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
