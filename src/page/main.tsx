import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createFlorence2 } from './library/florence2';
import { receiveLaunchedImages } from './pwa/launch';
import { registerServiceWorker } from './pwa/register';
import { applyUrlSettings, preferSelfHostedModel, watchConnectivity } from './state/model-actions';
import { connectFlorence2 } from './state/session-link';
import { readUrlSettings } from './state/url-settings';
import { installTestHooks, testWorkerFactory } from './test-hooks';
import './styles.css';

const settings = readUrlSettings(window.location.search);
applyUrlSettings(window.location.search);
if (settings.testHooks || settings.simulatedFault) {
  const workers = testWorkerFactory(settings.simulatedFault);
  connectFlorence2(createFlorence2({ createWorker: workers.createWorker }));
  if (settings.testHooks) installTestHooks(workers.crashWorker);
} else {
  connectFlorence2(createFlorence2());
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
