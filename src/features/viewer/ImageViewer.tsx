import { useEffect, useRef, useState } from 'react';
import type { ImageSize } from '../../core/geometry/bins';
import { fitContain } from '../../core/geometry/view';
import { layoutOverlay, type OverlayScene } from '../../core/overlay/layout';
import { drawOverlay, measureLabel } from '../../render/draw-overlay';
import { useAppStore } from '../../state/store';

/** Follows the element's CSS size and the screen's pixel ratio, which both change the drawing. */
function useDisplaySize(element: HTMLElement | null): { size: ImageSize; pixelRatio: number } {
  const [display, setDisplay] = useState({ size: { width: 0, height: 0 }, pixelRatio: window.devicePixelRatio });
  useEffect(() => {
    if (!element) return;
    // Fractional CSS size: clientWidth rounds, which would shift outlines on a scaled image.
    const update = () => {
      const rect = element.getBoundingClientRect();
      setDisplay({ size: { width: rect.width, height: rect.height }, pixelRatio: window.devicePixelRatio });
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    const ratioQuery = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    ratioQuery.addEventListener('change', update);
    return () => {
      observer.disconnect();
      ratioQuery.removeEventListener('change', update);
    };
  }, [element]);
  return display;
}

export function ImageViewer() {
  const image = useAppStore((state) => state.image);
  const lastRun = useAppStore((state) => state.lastRun);
  const [imageElement, setImageElement] = useState<HTMLImageElement | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { size, pixelRatio } = useDisplaySize(imageElement);
  const regions = lastRun && image && lastRun.imageId === image.id ? lastRun.answer.regions : null;
  const imageSize = lastRun?.output.imageSize;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width === 0) return;
    const scene: OverlayScene =
      regions && imageSize
        ? layoutOverlay(regions, fitContain(imageSize, size), size, measureLabel)
        : { size, boxes: [] };
    const frame = requestAnimationFrame(() => {
      drawOverlay(canvas, scene, pixelRatio);
      // Exposed for tests and tooling: exactly what was drawn, in CSS pixels of the overlay.
      canvas.dataset.scene = JSON.stringify(scene);
    });
    return () => cancelAnimationFrame(frame);
  }, [regions, imageSize, size, pixelRatio]);

  if (!image) {
    return (
      <div className="viewer empty" data-testid="viewer">
        <p>No image yet.</p>
      </div>
    );
  }
  return (
    <div className="viewer" data-testid="viewer">
      <div className="stage" key={image.id}>
        <img ref={setImageElement} src={image.objectUrl} alt={`Selected: ${image.name}`} data-testid="image-preview" />
        <canvas
          ref={canvasRef}
          className="overlay"
          style={{ width: size.width, height: size.height }}
          data-testid="overlay"
        />
      </div>
    </div>
  );
}
