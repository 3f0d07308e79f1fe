import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { receiveLaunchedImages } from './pwa/launch';
import { registerServiceWorker } from './pwa/register';
import {
  applyUrlSettings,
  crashWorkerForTest,
  inputSeenByModelForTest,
  preferSelfHostedModel,
  watchConnectivity,
} from './state/actions';
import { useAppStore } from './state/store';
import { readUrlSettings } from './state/url-settings';
import './styles.css';

applyUrlSettings(window.location.search);
if (readUrlSettings(window.location.search).testHooks) {
  (window as Window & { florenceTest?: unknown }).florenceTest = {
    crashWorker: crashWorkerForTest,
    inputSeenByModel: inputSeenByModelForTest,
  };
}
if (readUrlSettings(window.location.search).benchHooks) {
  // Read-only access for the benchmark driver (scripts/bench), which reads per-stage timings.
  (window as Window & { florenceBench?: unknown }).florenceBench = { getState: useAppStore.getState };
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
