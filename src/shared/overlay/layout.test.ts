import { describe, expect, it } from 'vitest';
import type { Region } from '../florence/parse';
import { imageBox, imagePoint, viewPoint } from '../geometry/coordinates';
import { colorsByLabel, LABEL_COLORS, LABEL_HEIGHT_PX, layoutOverlay, readableTextColor, regionAt } from './layout';

const measure = (text: string) => text.length * 7;
const identity = { scale: 1, offsetX: 0, offsetY: 0 };
const box = (label: string, x1: number, y1: number, x2: number, y2: number): Region => ({
  kind: 'box',
  label,
  box: imageBox(x1, y1, x2, y2),
});

describe('overlay layout', () => {
  it('scales boxes from image pixels into the overlay', () => {
    const scene = layoutOverlay(
      [box('car', 100, 100, 300, 200)],
      { scale: 0.5, offsetX: 10, offsetY: 0 },
      { width: 330, height: 240 },
      measure,
    );
    expect(scene.items[0]?.shape).toEqual({ kind: 'rect', rect: [60, 50, 160, 100] });
  });

  it('turns quadrilaterals and polygons into closed rings, keeping every part', () => {
    const polygon: Region = {
      kind: 'polygon',
      label: 'car',
      rings: [
        [imagePoint(0, 0), imagePoint(100, 0), imagePoint(100, 100)],
        [imagePoint(10, 10), imagePoint(20, 10), imagePoint(20, 20)],
      ],
    };
    const scene = layoutOverlay([polygon], { scale: 2, offsetX: 0, offsetY: 0 }, { width: 200, height: 200 }, measure);
    const shape = scene.items[0]?.shape;
    expect(shape?.kind).toBe('path');
    expect(shape?.kind === 'path' && shape.rings.map((ring) => ring.length)).toEqual([3, 3]);
    expect(scene.items[0]?.bounds).toEqual([0, 0, 200, 200]);
  });

  it('gives the same label the same colour, in order of appearance', () => {
    const colors = colorsByLabel(['wheel', 'car', 'wheel']);
    expect(colors.get('wheel')).toBe(LABEL_COLORS[0]);
    expect(colors.get('car')).toBe(LABEL_COLORS[1]);
  });

  it('picks label text with enough contrast', () => {
    expect(readableTextColor('#000080')).toBe('#ffffff');
    expect(readableTextColor('#bfef45')).toBe('#000000');
    expect(readableTextColor('#ffff00')).toBe('#000000');
  });

  it('puts a label above its region, or inside when the region touches the top', () => {
    const size = { width: 400, height: 300 };
    const [above, inside] = layoutOverlay(
      [box('a', 50, 100, 90, 150), box('b', 200, 2, 240, 60)],
      identity,
      size,
      measure,
    ).items;
    expect(above?.label?.y).toBe(100 - LABEL_HEIGHT_PX);
    expect(inside?.label?.y).toBe(2);
  });

  it('keeps labels inside the overlay', () => {
    const scene = layoutOverlay(
      [box('a long label', 390, 280, 400, 300)],
      identity,
      { width: 400, height: 300 },
      measure,
    );
    const label = scene.items[0]?.label;
    if (!label) throw new Error('no label');
    expect(label.x).toBeGreaterThanOrEqual(0);
    expect(label.x + label.width).toBeLessThanOrEqual(400);
    expect(label.y + label.height).toBeLessThanOrEqual(300);
  });

  it('does not pile labels of regions that share a top edge', () => {
    const regions = [
      box('first', 50, 100, 200, 200),
      box('second', 50, 100, 150, 180),
      box('third', 50, 100, 120, 160),
    ];
    const labels = layoutOverlay(regions, identity, { width: 400, height: 300 }, measure).items.map(
      (item) => item.label,
    );
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i];
        const b = labels[j];
        if (!a || !b) throw new Error('missing label');
        const overlapX = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
        const overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
        expect(overlapX > 0 && overlapY > 0).toBe(false);
      }
    }
  });

  it("leaves out regions scored under the threshold, keeping the others' numbers", () => {
    const regions: Region[] = [
      { ...box('cat', 0, 0, 50, 50), score: 0.9 },
      { ...box('dog', 60, 0, 100, 50), score: 0.43 },
      box('unscored', 0, 60, 50, 100),
    ];
    const size = { width: 200, height: 200 };
    expect(layoutOverlay(regions, identity, size, measure).items.map((item) => item.regionIndex)).toEqual([0, 1, 2]);
    // At 0.5 the dog (0.43) goes; a region with no score always shows.
    expect(layoutOverlay(regions, identity, size, measure, 0.5).items.map((item) => item.regionIndex)).toEqual([0, 2]);
    // A score equal to the threshold stays.
    expect(layoutOverlay(regions, identity, size, measure, 0.9).items.map((item) => item.regionIndex)).toEqual([0, 2]);
  });

  it('draws no label for unlabelled regions', () => {
    const scene = layoutOverlay([box('', 0, 0, 10, 10)], identity, { width: 10, height: 10 }, measure);
    expect(scene.items[0]?.label).toBeNull();
  });
});

describe('hit testing', () => {
  const size = { width: 400, height: 300 };

  it('finds the smallest region under the point', () => {
    const scene = layoutOverlay(
      [box('car', 10, 50, 390, 290), box('wheel', 40, 200, 100, 280)],
      identity,
      size,
      measure,
    );
    expect(regionAt(scene, viewPoint(60, 240))).toBe(1);
    expect(regionAt(scene, viewPoint(300, 100))).toBe(0);
    expect(regionAt(scene, viewPoint(5, 5))).toBeNull();
  });

  it('treats a ring inside another as a hole', () => {
    const donut: Region = {
      kind: 'polygon',
      label: '',
      rings: [
        [imagePoint(0, 0), imagePoint(100, 0), imagePoint(100, 100), imagePoint(0, 100)],
        [imagePoint(40, 40), imagePoint(60, 40), imagePoint(60, 60), imagePoint(40, 60)],
      ],
    };
    const scene = layoutOverlay([donut], identity, size, measure);
    expect(regionAt(scene, viewPoint(20, 20))).toBe(0);
    expect(regionAt(scene, viewPoint(50, 50))).toBeNull();
  });

  it('finds a region by its label', () => {
    const scene = layoutOverlay([box('car', 100, 100, 200, 200)], identity, size, measure);
    const label = scene.items[0]?.label;
    if (!label) throw new Error('no label');
    expect(regionAt(scene, viewPoint(label.x + 2, label.y + 2))).toBe(0);
  });
});
