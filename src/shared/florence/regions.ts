/** Facts about parsed regions that the UI shows: bounds and a coordinate summary in pixels. */
import type { ImageBox } from '../geometry/coordinates';
import { boundsOfPoints } from '../geometry/shapes';
import type { Region } from './parse';

export function regionBounds(region: Region): ImageBox {
  switch (region.kind) {
    case 'box':
      return region.box;
    case 'quad':
      return boundsOfPoints(region.points);
    case 'polygon':
      return boundsOfPoints(region.rings.flat());
  }
}

const KIND_NAMES: Record<Region['kind'], string> = { box: 'box', quad: 'quadrilateral', polygon: 'polygon' };

/** One line a person can read, in image pixels: `box [x1, y1, x2, y2]`, corners, or points and bounds. */
export function describeRegionGeometry(region: Region): string {
  const round = (value: number) => Math.round(value);
  switch (region.kind) {
    case 'box':
      return `box [${region.box.map(round).join(', ')}]`;
    case 'quad':
      return `quadrilateral ${region.points.map((point) => `(${round(point.x)}, ${round(point.y)})`).join(' ')}`;
    case 'polygon': {
      const points = region.rings.reduce((sum, ring) => sum + ring.length, 0);
      const parts = region.rings.length === 1 ? '' : ` in ${region.rings.length} parts`;
      return `${KIND_NAMES.polygon} of ${points} points${parts}, bounds [${regionBounds(region).map(round).join(', ')}]`;
    }
  }
}
