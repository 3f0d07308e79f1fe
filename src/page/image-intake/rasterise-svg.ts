/**
 * Turns an SVG file into a PNG without running it. An SVG shown through an <img> is a static
 * picture: browsers run none of its scripts and fetch none of its external resources, and the CSP's
 * img-src allows nothing but this origin, blob: and data:. The model then reads the PNG.
 */

/** Longest side of the raster: well above the model's 768 px input, far below a memory problem. */
const MAX_SIDE = 4096;
/** For an SVG with no size of its own. */
const DEFAULT_SIDE = 1024;

export async function rasteriseSvg(file: File): Promise<File> {
  const url = URL.createObjectURL(new Blob([file], { type: 'image/svg+xml' }));
  try {
    const picture = new Image();
    picture.src = url;
    await picture.decode();
    let width = picture.naturalWidth || DEFAULT_SIDE;
    let height = picture.naturalHeight || (picture.naturalWidth ? width : DEFAULT_SIDE);
    const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    width = Math.max(1, Math.round(width * scale));
    height = Math.max(1, Math.round(height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    // Drawings are usually made for a white page; a transparent background would read as black.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(picture, 0, 0, width, height);
    const png = await canvas.convertToBlob({ type: 'image/png' });
    return new File([png], file.name, { type: 'image/png', lastModified: file.lastModified });
  } finally {
    URL.revokeObjectURL(url);
  }
}
