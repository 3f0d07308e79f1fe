/**
 * Points and boxes carry the space they are measured in, so a coordinate used in the wrong space
 * fails to compile: 'image' is the pixels of the picture the model saw, 'view' the CSS pixels of the
 * overlay on screen. Only the constructors below and the conversions in view.ts make them.
 */

export type Space = 'image' | 'view';

declare const space: unique symbol;
type InSpace<S extends Space> = { readonly [space]: S };

export type Point<S extends Space> = { readonly x: number; readonly y: number } & InSpace<S>;
/** Axis-aligned box: left, top, right, bottom. */
export type Box<S extends Space> = readonly [x1: number, y1: number, x2: number, y2: number] & InSpace<S>;

export type ImagePoint = Point<'image'>;
export type ViewPoint = Point<'view'>;
export type ImageBox = Box<'image'>;
export type ViewBox = Box<'view'>;

export const imagePoint = (x: number, y: number) => ({ x, y }) as ImagePoint;
export const viewPoint = (x: number, y: number) => ({ x, y }) as ViewPoint;
export const imageBox = (x1: number, y1: number, x2: number, y2: number) => [x1, y1, x2, y2] as unknown as ImageBox;
export const viewBox = (x1: number, y1: number, x2: number, y2: number) => [x1, y1, x2, y2] as unknown as ViewBox;

/** A box in the same space as the box or points it was computed from. */
export const boxInSameSpace = <S extends Space>(x1: number, y1: number, x2: number, y2: number) =>
  [x1, y1, x2, y2] as unknown as Box<S>;
