/**
 * The only code that draws on the overlay canvas: a pure function of the scene, the display options
 * and the pixel ratio.
 */
import type { ViewBox } from '../../shared/geometry/coordinates';
import { canvasBackingSize } from '../../shared/geometry/view';
import { LABEL_FONT_PX, LABEL_PADDING_PX, type OverlayItem, type OverlayScene } from '../../shared/overlay/layout';
import {
  DIMMED_LABEL_ALPHA,
  DIMMED_OUTLINE_ALPHA,
  fillLayerAlpha,
  fillLayerItems,
  HALO_PX,
  HIGHLIGHT_FILL_ALPHA,
  haloColor,
} from '../../shared/overlay/paint';

export const OVERLAY_LINE_WIDTH_PX = 2;
const HIGHLIGHT_LINE_WIDTH_PX = 4;
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

/** Even-odd, so a ring inside another ring of the same object is a hole. */
function fillShape(context: CanvasRenderingContext2D, item: OverlayItem, color: string): void {
  tracePath(context, item);
  context.fillStyle = color;
  context.fill('evenodd');
}

/**
 * Fills, on the freshly cleared canvas and before anything else: the layer's regions opaque (where
 * they overlap the later one simply covers the earlier), then every pixel's alpha multiplied once by
 * the layer's alpha (`destination-in`), so overlaps keep the single-fill tint. The highlighted region
 * is cut out of the layer and filled alone at its stronger alpha.
 */
function drawFills(
  context: CanvasRenderingContext2D,
  items: readonly OverlayItem[],
  style: OverlayStyle,
  canvasSize: { width: number; height: number },
): void {
  const layered = fillLayerItems(items, style.highlighted, style.showFills);
  const emphasised = items.find((item) => item.regionIndex === style.highlighted);
  context.globalAlpha = 1;
  context.globalCompositeOperation = 'source-over';
  if (layered.length > 0) {
    for (const item of layered) fillShape(context, item, item.color);
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.globalCompositeOperation = 'destination-in';
    context.globalAlpha = fillLayerAlpha(style.highlighted !== null);
    context.fillStyle = '#000000';
    context.fillRect(0, 0, canvasSize.width, canvasSize.height);
    context.restore();
    if (emphasised) {
      context.globalCompositeOperation = 'destination-out';
      fillShape(context, emphasised, '#000000');
      context.globalCompositeOperation = 'source-over';
    }
  }
  if (emphasised) {
    context.globalAlpha = HIGHLIGHT_FILL_ALPHA;
    fillShape(context, emphasised, emphasised.color);
    context.globalAlpha = 1;
  }
}

/** The outline over a wider black or white halo, so it reads on light, dark and busy pictures alike. */
function drawOutline(context: CanvasRenderingContext2D, item: OverlayItem, style: OverlayStyle): void {
  const emphasised = style.highlighted === item.regionIndex;
  const dimmed = style.highlighted !== null && !emphasised;
  const width = emphasised ? HIGHLIGHT_LINE_WIDTH_PX : OVERLAY_LINE_WIDTH_PX;
  context.globalAlpha = dimmed ? DIMMED_OUTLINE_ALPHA : 1;
  tracePath(context, item);
  context.strokeStyle = haloColor(item.color);
  context.lineWidth = width + 2 * HALO_PX;
  context.stroke();
  context.strokeStyle = item.color;
  context.lineWidth = width;
  context.stroke();
}

/** An opaque background in the region's colour, edged in its halo colour so it stands off the picture. */
function drawLabel(context: CanvasRenderingContext2D, item: OverlayItem, dimmed: boolean): void {
  if (!item.label) return;
  const { x, y, width, height, text } = item.label;
  context.globalAlpha = dimmed ? DIMMED_LABEL_ALPHA : 1;
  context.fillStyle = item.color;
  context.fillRect(x, y, width, height);
  context.strokeStyle = haloColor(item.color);
  context.lineWidth = 1;
  context.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
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
  context.globalAlpha = 1;
  context.globalCompositeOperation = 'source-over';
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (scene.size.width <= 0 || scene.size.height <= 0) return;
  // Draw in CSS pixels; the backing store is scaled for crisp lines on high-density screens.
  context.setTransform(backing.width / scene.size.width, 0, 0, backing.height / scene.size.height, 0, 0);
  context.lineJoin = 'round';

  // First, while the canvas is still empty: the fill layer's alpha is applied to the whole canvas.
  drawFills(context, scene.items, style, canvas);

  // The emphasised region last, so it is on top.
  const ordered = [...scene.items].sort(
    (a, b) => Number(a.regionIndex === style.highlighted) - Number(b.regionIndex === style.highlighted),
  );
  for (const item of ordered) drawOutline(context, item, style);

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
    context.lineDashOffset = 0;
  }
}

let measuringContext: CanvasRenderingContext2D | null = null;

export function measureLabel(text: string): number {
  measuringContext ??= document.createElement('canvas').getContext('2d');
  if (!measuringContext) return text.length * LABEL_FONT_PX * 0.6;
  measuringContext.font = LABEL_FONT;
  return measuringContext.measureText(text).width;
}
