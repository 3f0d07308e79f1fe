import { type DragEvent, useEffect, useRef, useState } from 'react';
import { selectImageFile } from '../../state/image-actions';
import { useAppStore } from '../../state/store';

function firstFile(files: FileList | null | undefined): File | null {
  return files && files.length > 0 ? (files[0] ?? null) : null;
}

export function ImageInput() {
  const imageError = useAppStore((state) => state.imageError);
  const imageName = useAppStore((state) => state.image?.name ?? null);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const file = Array.from(event.clipboardData?.files ?? []).find((candidate) =>
        candidate.type.startsWith('image/'),
      );
      if (file) void selectImageFile(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, []);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = firstFile(event.dataTransfer.files);
    if (file) void selectImageFile(file);
  };

  return (
    <section className="panel" aria-labelledby="image-heading">
      <h2 id="image-heading">Image</h2>
      <section
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
        aria-label="Image drop zone"
      >
        <p>Drop an image here, paste one, or</p>
        <button type="button" onClick={() => inputRef.current?.click()}>
          Choose an image…
        </button>
        <input
          ref={inputRef}
          type="file"
          accept="image/*"
          hidden
          data-testid="image-file"
          onChange={(event) => {
            const file = firstFile(event.target.files);
            event.target.value = '';
            if (file) void selectImageFile(file);
          }}
        />
        {imageName && (
          <p className="hint" data-testid="image-name">
            {imageName}
          </p>
        )}
      </section>
      {imageError && (
        <p className="error" role="alert" data-testid="image-error">
          {imageError}
        </p>
      )}
      <p className="hint">Images never leave this device.</p>
    </section>
  );
}
