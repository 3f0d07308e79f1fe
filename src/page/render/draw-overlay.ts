/**
 * The only code that draws on the overlay canvas: a pure function of the scene, the display options
 * and the pixel ratio.
 */
import type { ViewBox } from '../../shared/geometry/coordinates';
import { canvasBackingSize } from '../../shared/geometry/view';
import { LABEL_FONT_PX, LABEL_PADDING_PX, type OverlayItem, type OverlayScene } from '../../shared/overlay/layout';

export const OVERLAY_LINE_WIDTH_PX = 2;
const HIGHLIGHT_LINE_WIDTH_PX = 4;
const FILL_ALPHA = 0.25;
const DIMMED_ALPHA = 0.3;
export const LABEL_FONT = `600 ${LABEL_FONT_PX}px system-ui, sans-serif`;

export interface OverlayStyle {
  readonly showLabels: boolean;
  readonly showFills: boolean;
  /** A region to emphasise (hovered or selected); the others are dimmed. */
  readonly highlighted: number | null;
  /** The region the person is drawing or has drawn for a region task, CSS pixels. */
  readonly regionInput: ViewBox | null;
}

function tracePath(context: CanvasRenderingContext2D, item: OverlayItem): void {
  context.beginPath();
  if (item.shape.kind === 'rect') {
    const [x1, y1, x2, y2] = item.shape.rect;
    context.rect(x1, y1, x2 - x1, y2 - y1);
    return;
  }
  for (const ring of item.shape.rings) {
    ring.forEach((point, index) => {
      if (index === 0) context.moveTo(point.x, point.y);
      else context.lineTo(point.x, point.y);
    });
    context.closePath();
  }
}

function drawItem(context: CanvasRenderingContext2D, item: OverlayItem, style: OverlayStyle): void {
  const emphasised = style.highlighted === item.regionIndex;
  const dimmed = style.highlighted !== null && !emphasised;
  context.globalAlpha = dimmed ? DIMMED_ALPHA : 1;
  tracePath(context, item);
  if (style.showFills || emphasised) {
    context.fillStyle = item.color;
    context.globalAlpha = (dimmed ? DIMMED_ALPHA : 1) * FILL_ALPHA * (emphasised ? 1.6 : 1);
    // Even-odd, so a ring inside another ring of the same object is a hole.
    context.fill('evenodd');
    context.globalAlpha = dimmed ? DIMMED_ALPHA : 1;
  }
  context.strokeStyle = item.color;
  context.lineWidth = emphasised ? HIGHLIGHT_LINE_WIDTH_PX : OVERLAY_LINE_WIDTH_PX;
  context.stroke();
}

function drawLabel(context: CanvasRenderingContext2D, item: OverlayItem, dimmed: boolean): void {
  if (!item.label) return;
  const { x, y, width, height, text } = item.label;
  context.globalAlpha = dimmed ? DIMMED_ALPHA : 1;
  context.fillStyle = item.color;
  context.fillRect(x, y, width, height);
  context.fillStyle = item.textColor;
  context.fillText(text, x + LABEL_PADDING_PX, y + height / 2, width - 2 * LABEL_PADDING_PX);
}

export function drawOverlay(
  canvas: HTMLCanvasElement,
  scene: OverlayScene,
  style: OverlayStyle,
  devicePixelRatio: number,
): void {
  const backing = canvasBackingSize(scene.size, devicePixelRatio);
  if (canvas.width !== backing.width) canvas.width = backing.width;
  if (canvas.height !== backing.height) canvas.height = backing.height;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (scene.size.width <= 0 || scene.size.height <= 0) return;
  // Draw in CSS pixels; the backing store is scaled for crisp lines on high-density screens.
  context.setTransform(backing.width / scene.size.width, 0, 0, backing.height / scene.size.height, 0, 0);
  context.lineJoin = 'round';

  // The emphasised region last, so it is on top.
  const ordered = [...scene.items].sort(
    (a, b) => Number(a.regionIndex === style.highlighted) - Number(b.regionIndex === style.highlighted),
  );
  for (const item of ordered) drawItem(context, item, style);

  context.font = LABEL_FONT;
  context.textBaseline = 'middle';
  for (const item of ordered) {
    const emphasised = item.regionIndex === style.highlighted;
    if (style.showLabels || emphasised) drawLabel(context, item, style.highlighted !== null && !emphasised);
  }
  context.globalAlpha = 1;

  if (style.regionInput) {
    const [x1, y1, x2, y2] = style.regionInput;
    context.setLineDash([6, 4]);
    context.lineWidth = 2;
    context.strokeStyle = '#ffffff';
    context.strokeRect(x1, y1, x2 - x1, y2 - y1);
    context.lineDashOffset = 5;
    context.strokeStyle = '#111111';
    context.strokeRect(x1, y1, x2 - x1, y2 - y1);
    context.setLineDash([]);
  }
}

let measuringContext: CanvasRenderingContext2D | null = null;

export function measureLabel(text: string): number {
  measuringContext ??= document.createElement('canvas').getContext('2d');
  if (!measuringContext) return text.length * LABEL_FONT_PX * 0.6;
  measuringContext.font = LABEL_FONT;
  return measuringContext.measureText(text).width;
}
