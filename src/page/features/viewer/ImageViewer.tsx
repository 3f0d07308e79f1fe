import { type CSSProperties, type MouseEvent, type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { regionDisplayLabel, UNLABELLED } from '../../../shared/florence/display-label';
import { describeRegionGeometry } from '../../../shared/florence/regions';
import { formatScore } from '../../../shared/florence/score-threshold';
import { getTask } from '../../../shared/florence/tasks';
import type { ImageSize } from '../../../shared/geometry/bins';
import {
  type ImageBox,
  type ImagePoint,
  imageBox,
  imagePoint,
  type ViewPoint,
  viewPoint,
} from '../../../shared/geometry/coordinates';
import { clampBoxToImage } from '../../../shared/geometry/shapes';
import { boxToView, enlargementFor, fitContain, viewToImage } from '../../../shared/geometry/view';
import { layoutOverlay, type OverlayScene, regionAt } from '../../../shared/overlay/layout';
import { drawOverlay, measureLabel, type OverlayStyle } from '../../render/draw-overlay';
import { setRegion } from '../../state/run-actions';
import { partialAnswer, shownRun, useAppStore } from '../../state/store';
import { hoverRegion, selectRegion, setShowFills, setShowLabels } from '../../state/view-actions';
import { recordDrawnOverlay } from '../../test-hooks';
import { openImagePicker, SampleImages } from '../image-input/ImageInput';

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
    // Browser zoom changes the pixel ratio without resizing the element.
    const ratioQuery = window.matchMedia(`(resolution: ${display.pixelRatio}dppx)`);
    ratioQuery.addEventListener('change', update);
    return () => {
      observer.disconnect();
      ratioQuery.removeEventListener('change', update);
    };
  }, [element, display.pixelRatio]);
  return display;
}

const EMPTY_SCENE_ITEMS: OverlayScene['items'] = [];

function Toggle({
  checked,
  onChange,
  label,
  testId,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  label: string;
  testId: string;
}) {
  return (
    <label>
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        data-testid={testId}
      />{' '}
      {label}
    </label>
  );
}

/** Always in place, so the picture never moves when an answer with regions arrives. */
function OverlayToggles({ hasRegions }: { hasRegions: boolean }) {
  const { showLabels, showFills } = useAppStore(
    useShallow((state) => ({ showLabels: state.showLabels, showFills: state.showFills })),
  );
  return (
    <fieldset className="overlay-toggles" disabled={!hasRegions}>
      <legend className="visually-hidden">Overlay</legend>
      <Toggle checked={showLabels} onChange={setShowLabels} label="Labels" testId="toggle-labels" />
      <Toggle checked={showFills} onChange={setShowFills} label="Fills" testId="toggle-fills" />
    </fieldset>
  );
}

/** The empty workspace: all of it opens the picker, and the samples are one click away. */
function EmptyViewer() {
  return (
    <div className="viewer empty" data-testid="viewer">
      <button type="button" className="empty-choose" onClick={openImagePicker} data-testid="drop-zone">
        <span className="empty-title">Choose, drop or paste an image</span>
        <span className="hint">Click anywhere here, drop a file anywhere on the page, or paste with Ctrl+V.</span>
      </button>
      <SampleImages />
    </div>
  );
}

export function ImageViewer() {
  const { image, run, partial, task, drawsRegion, region, hovered, selected, showLabels, showFills, minScore } =
    useAppStore(
      useShallow((state) => ({
        image: state.image,
        task: state.task,
        run: shownRun(state),
        partial: partialAnswer(state),
        drawsRegion: getTask(state.task).input === 'region',
        region: state.region,
        hovered: state.hoveredRegion,
        selected: state.selectedRegion,
        showLabels: state.showLabels,
        showFills: state.showFills,
        minScore: state.minScore,
      })),
    );
  const [imageElement, setImageElement] = useState<HTMLImageElement | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dragStart = useRef<ImagePoint | null>(null);
  const [draft, setDraft] = useState<ImageBox | null>(null);
  const { size, pixelRatio } = useDisplaySize(imageElement);

  // While an answer streams in, regions appear as each one is complete.
  const answerRegions = partial?.regions ?? run?.answer.regions ?? null;
  const answerTask = getTask(partial?.task ?? run?.answer.task ?? task);
  const answerInput = partial ? '' : (run?.input ?? '');
  const regions = useMemo(
    () =>
      answerRegions?.map((shown) => {
        const label = regionDisplayLabel(shown, answerTask, answerInput);
        // Region proposals stay bare on the picture; the list says "(unlabelled)".
        return shown.label || label === UNLABELLED ? shown : { ...shown, label };
      }) ?? null,
    [answerRegions, answerTask, answerInput],
  );
  const answerImageSize = partial ? (image?.size ?? null) : (run?.output.imageSize ?? null);
  const scene = useMemo<OverlayScene>(
    () =>
      regions && answerImageSize
        ? layoutOverlay(regions, fitContain(answerImageSize, size), size, measureLabel, minScore)
        : { size, items: EMPTY_SCENE_ITEMS },
    [regions, answerImageSize, size, minScore],
  );
  const imageView = useMemo(() => (image ? fitContain(image.size, size) : null), [image, size]);
  const highlighted = hovered ?? selected;
  const regionShown = drawsRegion ? (draft ?? region) : null;
  const style = useMemo<OverlayStyle>(
    () => ({
      showLabels,
      showFills,
      highlighted,
      regionInput: regionShown && imageView ? boxToView(regionShown, imageView) : null,
    }),
    [showLabels, showFills, highlighted, regionShown, imageView],
  );

  // Redraw once per frame at most, and only when the scene, the style or the pixel ratio changed.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width === 0) return;
    const frame = requestAnimationFrame(() => {
      const started = performance.now();
      drawOverlay(canvas, scene, style, pixelRatio);
      recordDrawnOverlay({ scene, style, drawMs: performance.now() - started });
    });
    return () => cancelAnimationFrame(frame);
  }, [scene, style, pixelRatio, size.width]);

  if (!image) return <EmptyViewer />;

  const pointerInView = (event: MouseEvent<HTMLCanvasElement>): ViewPoint => {
    const rect = event.currentTarget.getBoundingClientRect();
    return viewPoint(event.clientX - rect.left, event.clientY - rect.top);
  };
  const pointerInImage = (event: MouseEvent<HTMLCanvasElement>): ImagePoint =>
    imageView ? viewToImage(pointerInView(event), imageView) : imagePoint(0, 0);

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!drawsRegion) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const start = pointerInImage(event);
    dragStart.current = start;
    setDraft(imageBox(start.x, start.y, start.x, start.y));
  };
  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    if (drawsRegion) {
      const start = dragStart.current;
      if (!start) return;
      const point = pointerInImage(event);
      setDraft(imageBox(start.x, start.y, point.x, point.y));
      return;
    }
    hoverRegion(regionAt(scene, pointerInView(event)));
  };
  const onPointerUp = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!drawsRegion || !dragStart.current) return;
    const start = dragStart.current;
    const end = pointerInImage(event);
    dragStart.current = null;
    setDraft(null);
    const drawn = clampBoxToImage(imageBox(start.x, start.y, end.x, end.y), image.size);
    if (drawn) setRegion(drawn);
  };
  const onClick = (event: MouseEvent<HTMLCanvasElement>) => {
    if (drawsRegion) return;
    const hit = regionAt(scene, pointerInView(event));
    selectRegion(hit === selected ? null : hit);
  };

  const tooltipItem = highlighted === null ? null : scene.items.find((item) => item.regionIndex === highlighted);
  const tooltipRegion = highlighted === null ? null : regions?.[highlighted];
  return (
    <div className="viewer" data-testid="viewer">
      <OverlayToggles hasRegions={scene.items.length > 0} />
      <div className="stage" key={image.id}>
        <img
          ref={setImageElement}
          src={image.objectUrl}
          alt={`Selected: ${image.name}`}
          style={enlargedStyle(image.size)}
          data-testid="image-preview"
        />
        <canvas
          ref={canvasRef}
          className={`overlay${drawsRegion ? ' drawing' : highlighted !== null ? ' pointing' : ''}`}
          style={{ width: size.width, height: size.height }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => hoverRegion(null)}
          onClick={onClick}
          data-testid="overlay"
        />
        {tooltipItem && tooltipRegion && !drawsRegion && (
          <div
            className="region-tooltip"
            role="tooltip"
            style={{
              left: Math.max(0, Math.min(tooltipItem.bounds[0], size.width - 220)),
              top: Math.min(tooltipItem.bounds[3] + 6, Math.max(0, size.height - 44)),
            }}
            data-testid="region-tooltip"
          >
            <strong>{tooltipRegion.label || UNLABELLED}</strong>
            {tooltipRegion.score !== undefined && (
              <span data-testid="tooltip-score">confidence {formatScore(tooltipRegion.score)}</span>
            )}
            <span>{describeRegionGeometry(tooltipRegion)}</span>
          </div>
        )}
      </div>
    </div>
  );
}

/** Small images are shown larger (sharp pixels when enlarged twice or more), never distorted. */
function enlargedStyle(size: ImageSize): CSSProperties | undefined {
  const enlargement = enlargementFor(size);
  if (enlargement === 1) return undefined;
  return { width: size.width * enlargement, ...(enlargement >= 2 ? { imageRendering: 'pixelated' } : {}) };
}
