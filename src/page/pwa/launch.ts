/**
 * Images handed to the installed app: opened with it (file handler) or shared to it (share target).
 */
import { selectImageFile } from '../state/image-actions';
import { useAppStore } from '../state/store';
import { takeSharedImage } from './receive-shared';

interface LaunchParams {
  readonly files: readonly { getFile(): Promise<File> }[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

export function receiveLaunchedImages(): void {
  const launchQueue = (window as Window & { launchQueue?: LaunchQueue }).launchQueue;
  launchQueue?.setConsumer((params) => {
    const [handle] = params.files;
    if (handle) void handle.getFile().then(selectImageFile);
  });

  const shared = new URLSearchParams(window.location.search).get('shared');
  if (shared === null) return;
  // Drop the marker so a reload does not look for the image again.
  const url = new URL(window.location.href);
  url.searchParams.delete('shared');
  window.history.replaceState(null, '', url);
  void takeSharedImage(new URL('./', window.location.href).href).then((file) => {
    if (file) void selectImageFile(file);
    else useAppStore.setState({ imageError: 'The shared item was not an image this app can open.' });
  });
}
