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
