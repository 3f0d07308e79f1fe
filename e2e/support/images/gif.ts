/**
 * Writes animated GIF files without any image library: a four-colour palette, every frame full size.
 */
import type { Rgb } from './png';

const MIN_CODE_SIZE = 2; // four palette entries
const CLEAR_CODE = 1 << MIN_CODE_SIZE;
const END_CODE = CLEAR_CODE + 1;
const CODE_BITS = MIN_CODE_SIZE + 1;

/**
 * LZW data a decoder reads without ever growing its code size: a clear code before every second
 * pixel keeps the string table at two entries past the end code. Larger than real LZW, but exact.
 */
function lzwData(indices: Uint8Array): Buffer {
  const bytes: number[] = [];
  let buffer = 0;
  let count = 0;
  const write = (code: number) => {
    buffer |= code << count;
    count += CODE_BITS;
    while (count >= 8) {
      bytes.push(buffer & 0xff);
      buffer >>= 8;
      count -= 8;
    }
  };
  indices.forEach((index, position) => {
    if (position % 2 === 0) write(CLEAR_CODE);
    write(index);
  });
  write(END_CODE);
  if (count > 0) bytes.push(buffer & 0xff);
  const blocks: Buffer[] = [Buffer.from([MIN_CODE_SIZE])];
  for (let start = 0; start < bytes.length; start += 255) {
    const part = bytes.slice(start, start + 255);
    blocks.push(Buffer.from([part.length, ...part]));
  }
  blocks.push(Buffer.from([0]));
  return Buffer.concat(blocks);
}

/** An animated GIF that loops for ever; frame `f`'s pixel (x, y) is `palette[paint(f, x, y)]`. */
export function encodeAnimatedGif(
  width: number,
  height: number,
  palette: readonly [Rgb, Rgb, Rgb, Rgb],
  frameCount: number,
  paint: (frame: number, x: number, y: number) => number,
  delayCentiseconds = 50,
): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen[4] = 0x80 | (MIN_CODE_SIZE - 1); // a global colour table of 2^(1+1) entries
  const loopForever = Buffer.from([0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0'), 3, 1, 0, 0, 0]);
  const frames: Buffer[] = [];
  for (let frame = 0; frame < frameCount; frame++) {
    const control = Buffer.from([0x21, 0xf9, 4, 0x04, 0, 0, 0, 0]); // disposal: leave in place
    control.writeUInt16LE(delayCentiseconds, 4);
    const descriptor = Buffer.alloc(10);
    descriptor[0] = 0x2c;
    descriptor.writeUInt16LE(width, 5);
    descriptor.writeUInt16LE(height, 7);
    const indices = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) indices[y * width + x] = paint(frame, x, y);
    frames.push(control, descriptor, lzwData(indices));
  }
  return Buffer.concat([
    Buffer.from('GIF89a', 'ascii'),
    screen,
    Buffer.from(palette.flat()),
    loopForever,
    ...frames,
    Buffer.from([0x3b]),
  ]);
}
