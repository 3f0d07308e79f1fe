import type { ImageSize } from './bins';
import {
  type ImageBox,
  type ImagePoint,
  imagePoint,
  type ViewBox,
  type ViewPoint,
  viewBox,
  viewPoint,
} from './coordinates';

/**
 * How an image is placed inside a box on screen (CSS pixels), preserving its aspect ratio.
 * `scale` converts image pixels to CSS pixels.
 */
export interface ViewTransform {
  readonly scale: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

export function fitContain(image: ImageSize, container: ImageSize): ViewTransform {
  if (image.width <= 0 || image.height <= 0 || container.width <= 0 || container.height <= 0) {
    return { scale: 0, offsetX: 0, offsetY: 0 };
  }
  const scale = Math.min(container.width / image.width, container.height / image.height);
  return {
    scale,
    offsetX: (container.width - image.width * scale) / 2,
    offsetY: (container.height - image.height * scale) / 2,
  };
}

export function imageToView(point: ImagePoint, view: ViewTransform): ViewPoint {
  return viewPoint(view.offsetX + point.x * view.scale, view.offsetY + point.y * view.scale);
}

export function viewToImage(point: ViewPoint, view: ViewTransform): ImagePoint {
  if (view.scale === 0) return imagePoint(0, 0);
  return imagePoint((point.x - view.offsetX) / view.scale, (point.y - view.offsetY) / view.scale);
}

export function boxToView(box: ImageBox, view: ViewTransform): ViewBox {
  return viewBox(
    view.offsetX + box[0] * view.scale,
    view.offsetY + box[1] * view.scale,
    view.offsetX + box[2] * view.scale,
    view.offsetY + box[3] * view.scale,
  );
}

/**
 * The backing-store size of a canvas drawn at `cssSize` on a screen with `devicePixelRatio`,
 * so lines stay crisp on high-density displays.
 */
export function canvasBackingSize(cssSize: ImageSize, devicePixelRatio: number): ImageSize {
  const ratio = devicePixelRatio > 0 && Number.isFinite(devicePixelRatio) ? devicePixelRatio : 1;
  return {
    width: Math.max(1, Math.round(cssSize.width * ratio)),
    height: Math.max(1, Math.round(cssSize.height * ratio)),
  };
}

/**
 * How much to enlarge a small image on screen so its regions and labels can be seen: the longer
 * side is brought up to `minimumSide` CSS pixels. Images already that large are left at 1.
 */
export function enlargementFor(image: ImageSize, minimumSide = 320): number {
  const longer = Math.max(image.width, image.height);
  return longer > 0 && longer < minimumSide ? minimumSide / longer : 1;
}
