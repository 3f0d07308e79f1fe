import { imageBox } from '../../../shared/geometry/coordinates';
import { setRegion } from '../../state/run-actions';
import { useAppStore } from '../../state/store';

const CORNERS = [
  { index: 0, name: 'Left' },
  { index: 1, name: 'Top' },
  { index: 2, name: 'Right' },
  { index: 3, name: 'Bottom' },
] as const;

/** The region for region tasks, in image pixels: drawn on the image, or typed here. */
export function RegionEditor() {
  const region = useAppStore((state) => state.region);
  const imageSize = useAppStore((state) => state.image?.size ?? null);

  const update = (index: number, text: string) => {
    if (!imageSize) return;
    const value = Number(text);
    if (!Number.isFinite(value)) return;
    const edges = [...(region ?? [0, 0, imageSize.width, imageSize.height])];
    edges[index] = value;
    const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = edges;
    setRegion(imageBox(x1, y1, x2, y2));
  };

  return (
    <fieldset className="region-editor" disabled={!imageSize}>
      <legend>Region (pixels)</legend>
      <div className="region-fields">
        {CORNERS.map(({ index, name }) => (
          <label key={name}>
            <span>{name}</span>
            <input
              type="number"
              inputMode="numeric"
              value={region ? Math.round(region[index]) : ''}
              placeholder="–"
              onChange={(event) => update(index, event.target.value)}
              data-testid={`region-${name.toLowerCase()}`}
            />
          </label>
        ))}
      </div>
      <p className="hint">
        {imageSize ? 'Drag on the image to draw a region, or type its edges.' : 'Choose an image first.'}
        {region && (
          <>
            {' '}
            <button type="button" className="link" onClick={() => setRegion(null)}>
              Clear
            </button>
          </>
        )}
      </p>
    </fieldset>
  );
}
