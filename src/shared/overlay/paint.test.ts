import { describe, expect, it } from 'vitest';
import { viewBox } from '../geometry/coordinates';
import { contrastRatio, relativeLuminance } from './contrast';
import { LABEL_COLORS, type OverlayItem } from './layout';
import {
  DIMMED_FILL_ALPHA,
  FILL_ALPHA,
  fillLayerAlpha,
  fillLayerItems,
  HIGHLIGHT_FILL_ALPHA,
  haloColor,
} from './paint';

const item = (regionIndex: number, x1: number, y1: number, x2: number, y2: number): OverlayItem => ({
  regionIndex,
  color: '#e6194b',
  textColor: '#000000',
  shape: { kind: 'rect', rect: viewBox(x1, y1, x2, y2) },
  bounds: viewBox(x1, y1, x2, y2),
  label: null,
});

describe('overlay paint', () => {
  it('computes WCAG relative luminance', () => {
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 6);
    expect(relativeLuminance('#000000')).toBe(0);
    // Pure primaries: the channel is 1, so the luminance is its coefficient.
    expect(relativeLuminance('#ff0000')).toBeCloseTo(0.2126, 6);
    expect(relativeLuminance('#0000ff')).toBeCloseTo(0.0722, 6);
    // 128/255 = 0.501961; ((0.501961 + 0.055) / 1.055)^2.4 = 0.527925^2.4 = e^(2.4 × -0.638801) = 0.215861.
    expect(relativeLuminance('#808080')).toBeCloseTo(0.215861, 5);
  });

  it('computes WCAG contrast ratios, either way round', () => {
    // (1 + 0.05) / (0 + 0.05)
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 6);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 6);
    // (0.215861 + 0.05) / 0.05 and 1.05 / (0.215861 + 0.05)
    expect(contrastRatio('#808080', '#000000')).toBeCloseTo(5.31722, 4);
    expect(contrastRatio('#ffffff', '#808080')).toBeCloseTo(3.94943, 4);
    expect(contrastRatio('#4363d8', '#4363d8')).toBe(1);
  });

  it('puts a black halo under light outlines and a white one under dark outlines', () => {
    // Red: 0.2626 / 0.05 = 5.25 against black, 1.05 / 0.2626 = 4.00 against white.
    expect(haloColor('#ff0000')).toBe('#000000');
    // Blue: 1.05 / 0.1222 = 8.59 against white, 0.1222 / 0.05 = 2.44 against black.
    expect(haloColor('#0000ff')).toBe('#ffffff');
    expect(haloColor('#808080')).toBe('#000000');
    expect(haloColor('#ffff00')).toBe('#000000');
    expect(haloColor('#111111')).toBe('#ffffff');
  });

  it('gives every label colour a halo it contrasts with by at least sqrt(21)', () => {
    // Against white the ratio is 1.05 / (L + 0.05), against black (L + 0.05) / 0.05: their product is
    // 21 whatever L is, so the larger is at least sqrt(21) = 4.5826, over WCAG's 3:1 for graphics.
    for (const color of LABEL_COLORS) {
      expect(contrastRatio(color, haloColor(color)), color).toBeGreaterThanOrEqual(4.5825);
    }
  });

  it('keeps fills light, the highlighted fill clearly stronger and the others dimmer meanwhile', () => {
    expect(FILL_ALPHA).toBeGreaterThanOrEqual(0.1);
    expect(FILL_ALPHA).toBeLessThanOrEqual(0.15);
    expect(HIGHLIGHT_FILL_ALPHA).toBeGreaterThanOrEqual(2 * FILL_ALPHA);
    expect(HIGHLIGHT_FILL_ALPHA).toBeLessThan(1);
    expect(DIMMED_FILL_ALPHA).toBeLessThan(FILL_ALPHA);
    expect(fillLayerAlpha(false)).toBe(FILL_ALPHA);
    expect(fillLayerAlpha(true)).toBe(DIMMED_FILL_ALPHA);
  });

  it('lays fills down largest first, without the highlighted region, and none when fills are off', () => {
    const small = item(0, 10, 10, 20, 20); // area 100
    const large = item(1, 0, 0, 100, 100); // area 10 000
    const medium = item(2, 0, 0, 50, 50); // area 2 500
    const sameAsMedium = item(3, 50, 50, 100, 100); // area 2 500, after medium in the scene
    const items = [small, large, medium, sameAsMedium];
    expect(fillLayerItems(items, null, true).map((it) => it.regionIndex)).toEqual([1, 2, 3, 0]);
    expect(fillLayerItems(items, 1, true).map((it) => it.regionIndex)).toEqual([2, 3, 0]);
    expect(fillLayerItems(items, null, false)).toEqual([]);
    expect(fillLayerItems(items, 0, false)).toEqual([]);
  });
});
