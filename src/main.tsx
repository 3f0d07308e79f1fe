import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { receiveLaunchedImages } from './pwa/launch';
import { registerServiceWorker } from './pwa/register';
import { applyUrlSettings, preferSelfHostedModel, watchConnectivity } from './state/actions';
import './styles.css';

applyUrlSettings(window.location.search);
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
