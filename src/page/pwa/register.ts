/**
 * Registers the service worker and tells the store when an update is waiting. The update is applied
 * only when the person asks, and never while a model downloads or a task runs.
 */
import { registerSW } from 'virtual:pwa-register';
import { useAppStore } from '../state/store';

let applyWaitingUpdate: ((reload?: boolean) => Promise<void>) | null = null;

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  applyWaitingUpdate = registerSW({
    immediate: true,
    onNeedRefresh: () => useAppStore.setState({ updateAvailable: true }),
    onRegisterError: () => {
      // Without a service worker the app still works online; offline use is what is lost.
    },
  });
}

/** Whether reloading now would cut off something in progress. */
export function updateWouldInterrupt(): boolean {
  const { modelStatus, runStatus } = useAppStore.getState();
  return modelStatus === 'loading' || runStatus === 'running';
}

export async function applyUpdate(): Promise<void> {
  if (!applyWaitingUpdate || updateWouldInterrupt()) return;
  // registerSW reloads by itself only when the page had a worker at start-up; on the first visit the
  // new worker takes over silently, so reload on the change of controller the person asked for.
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  await applyWaitingUpdate(true);
}
