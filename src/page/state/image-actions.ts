import { openImageFile } from '../image-intake/open-image';
import { cancelRun } from './run-actions';
import { useAppStore } from './store';

const { setState, getState } = useAppStore;

let nextImageId = 1;

/**
 * Shows a chosen image, dropping the previous one and its answers; a file that cannot be opened
 * gets a message and leaves what is on screen as it was.
 */
export async function selectImageFile(chosen: File): Promise<void> {
  const opened = await openImageFile(chosen);
  if (!opened.ok) {
    setState({ imageError: opened.message });
    return;
  }
  cancelRun();
  const previous = getState().image;
  if (previous) URL.revokeObjectURL(previous.objectUrl);
  setState({
    image: {
      id: nextImageId++,
      file: opened.file,
      name: opened.file.name,
      objectUrl: opened.objectUrl,
      size: opened.size,
    },
    imageError: null,
    answers: {},
    shownTask: null,
    runError: null,
    runStatus: 'idle',
    region: null,
    hoveredRegion: null,
    selectedRegion: null,
  });
}

/** Opens one of the sample images shipped with the app, as if the person had chosen its file. */
export async function selectSampleImage(url: string, name: string): Promise<void> {
  let blob: Blob;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    blob = await response.blob();
  } catch {
    setState({
      imageError: `The sample image ${name} could not be loaded. Check the connection, or choose an image of your own.`,
    });
    return;
  }
  await selectImageFile(new File([blob], name, { type: blob.type || 'image/jpeg' }));
}
