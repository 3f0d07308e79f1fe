/**
 * The only code that draws on the overlay canvas: a pure function of the scene and the pixel ratio.
 */
import { canvasBackingSize } from '../core/geometry/view';
import { LABEL_FONT_PX, type OverlayScene } from '../core/overlay/layout';

export const OVERLAY_LINE_WIDTH_PX = 2;
export const LABEL_FONT = `600 ${LABEL_FONT_PX}px system-ui, sans-serif`;

export function drawOverlay(canvas: HTMLCanvasElement, scene: OverlayScene, devicePixelRatio: number): void {
  const backing = canvasBackingSize(scene.size, devicePixelRatio);
  if (canvas.width !== backing.width) canvas.width = backing.width;
  if (canvas.height !== backing.height) canvas.height = backing.height;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, canvas.width, canvas.height);
  // Draw in CSS pixels; the backing store is scaled for crisp lines on high-density screens.
  context.setTransform(backing.width / scene.size.width, 0, 0, backing.height / scene.size.height, 0, 0);

  context.lineWidth = OVERLAY_LINE_WIDTH_PX;
  context.lineJoin = 'round';
  for (const box of scene.boxes) {
    const [x1, y1, x2, y2] = box.rect;
    context.strokeStyle = box.color;
    context.strokeRect(x1, y1, x2 - x1, y2 - y1);
  }
  context.font = LABEL_FONT;
  context.textBaseline = 'middle';
  for (const box of scene.boxes) {
    if (!box.label) continue;
    const { x, y, width, height, text } = box.label;
    context.fillStyle = box.color;
    context.fillRect(x, y, width, height);
    context.fillStyle = '#ffffff';
    context.fillText(text, x + 4, y + height / 2, width - 8);
  }
}

let measuringContext: CanvasRenderingContext2D | null = null;

export function measureLabel(text: string): number {
  measuringContext ??= document.createElement('canvas').getContext('2d');
  if (!measuringContext) return text.length * LABEL_FONT_PX * 0.6;
  measuringContext.font = LABEL_FONT;
  return measuringContext.measureText(text).width;
}
