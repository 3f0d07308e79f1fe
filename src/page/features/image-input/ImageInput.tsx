import { useEffect, useState } from 'react';
import { selectImageFile, selectSampleImage } from '../../state/image-actions';
import { useAppStore } from '../../state/store';
import { SAMPLE_IMAGES, sampleUrl } from './samples';

function firstImage(files: FileList | readonly File[] | null | undefined): File | null {
  const list = Array.from(files ?? []);
  // A drop or paste may carry text or other files beside the picture; the picker may not filter.
  return list.find((file) => file.type.startsWith('image/')) ?? list[0] ?? null;
}

// The one file input of the page: every "choose an image" control opens it.
let pickerInput: HTMLInputElement | null = null;

export function openImagePicker(): void {
  pickerInput?.click();
}

export function ImageFileInput() {
  return (
    <input
      ref={(element) => {
        pickerInput = element;
      }}
      type="file"
      accept="image/*"
      hidden
      data-testid="image-file"
      onChange={(event) => {
        const file = firstImage(event.target.files);
        event.target.value = '';
        if (file) void selectImageFile(file);
      }}
    />
  );
}

/**
 * The whole page takes an image: a paste anywhere, or a drop anywhere. Returns whether a file is
 * being dragged over the page, for the drop hint.
 */
export function usePageImageIntake(): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
    const onPaste = (event: ClipboardEvent) => {
      const file = Array.from(event.clipboardData?.files ?? []).find((candidate) =>
        candidate.type.startsWith('image/'),
      );
      if (file) void selectImageFile(file);
    };
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // Without this the browser opens the file in the tab, leaving the app.
      event.preventDefault();
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      setDragging(false);
      const file = firstImage(event.dataTransfer?.files);
      if (!file) return;
      event.preventDefault();
      void selectImageFile(file);
    };
    window.addEventListener('paste', onPaste);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  return dragging;
}

export function SampleImages() {
  return (
    <div className="samples" data-testid="samples">
      <p className="hint">Or try a sample:</p>
      <ul>
        {SAMPLE_IMAGES.map((sample) => (
          <li key={sample.id}>
            <button
              type="button"
              className="sample-button"
              onClick={() => void selectSampleImage(sampleUrl(sample, import.meta.env.BASE_URL), sample.file)}
              data-testid={`sample-${sample.id}`}
            >
              <img src={sampleUrl(sample, import.meta.env.BASE_URL)} alt="" width={96} height={72} />
              <span>{sample.description}</span>
              <span className="hint">{sample.suits}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The image on screen: its name, another choice, and why a file was refused. */
export function ImageBar() {
  const imageError = useAppStore((state) => state.imageError);
  const imageName = useAppStore((state) => state.image?.name ?? null);
  return (
    <div className="image-bar">
      {imageName && (
        <>
          <span className="image-name" data-testid="image-name" title={imageName}>
            {imageName}
          </span>
          <button type="button" onClick={openImagePicker} data-testid="choose-another">
            Another image…
          </button>
        </>
      )}
      <span className="hint">Images never leave this device.</span>
      {imageError && (
        <p className="error" role="alert" data-testid="image-error">
          {imageError}
        </p>
      )}
    </div>
  );
}
