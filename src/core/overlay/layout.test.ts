import { describe, expect, it } from 'vitest';
import type { Region } from '../florence/parse';
import { colorsByLabel, LABEL_COLORS, LABEL_HEIGHT_PX, layoutOverlay } from './layout';

const measure = (text: string) => text.length * 7;
const box = (label: string, x1: number, y1: number, x2: number, y2: number): Region => ({
  kind: 'box',
  label,
  box: [x1, y1, x2, y2],
});

describe('overlay layout', () => {
  it('scales boxes from image pixels into the overlay', () => {
    const scene = layoutOverlay(
      [box('car', 100, 100, 300, 200)],
      { scale: 0.5, offsetX: 10, offsetY: 0 },
      {
        width: 330,
        height: 240,
      },
      measure,
    );
    expect(scene.boxes[0]?.rect).toEqual([60, 50, 160, 100]);
  });

  it('gives the same label the same colour, in order of appearance', () => {
    const colors = colorsByLabel(['wheel', 'car', 'wheel']);
    expect(colors.get('wheel')).toBe(LABEL_COLORS[0]);
    expect(colors.get('car')).toBe(LABEL_COLORS[1]);
  });

  it('puts a label above its box, or inside when the box touches the top', () => {
    const view = { scale: 1, offsetX: 0, offsetY: 0 };
    const size = { width: 400, height: 300 };
    const [above, inside] = layoutOverlay(
      [box('a', 50, 100, 90, 150), box('b', 50, 2, 90, 60)],
      view,
      size,
      measure,
    ).boxes;
    expect(above?.label?.y).toBe(100 - LABEL_HEIGHT_PX);
    expect(inside?.label?.y).toBe(2);
  });

  it('keeps a label inside the overlay at the right edge', () => {
    const scene = layoutOverlay(
      [box('a long label', 390, 100, 400, 120)],
      { scale: 1, offsetX: 0, offsetY: 0 },
      { width: 400, height: 300 },
      measure,
    );
    const label = scene.boxes[0]?.label;
    expect(label).not.toBeNull();
    expect((label?.x ?? 0) + (label?.width ?? 0)).toBeLessThanOrEqual(400);
    expect(label?.x).toBeGreaterThanOrEqual(0);
  });

  it('draws no label for unlabelled regions', () => {
    const scene = layoutOverlay(
      [box('', 0, 0, 10, 10)],
      { scale: 1, offsetX: 0, offsetY: 0 },
      { width: 10, height: 10 },
      measure,
    );
    expect(scene.boxes[0]?.label).toBeNull();
  });
});
