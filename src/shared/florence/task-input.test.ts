import { describe, expect, it } from 'vitest';
import { imageBox } from '../geometry/coordinates';
import { sanitizeUserText, taskInputFor, vocabularyInput } from './task-input';
import { getTask } from './tasks';

const image = { width: 640, height: 480 };

describe('task input', () => {
  it('needs nothing for tasks without input', () => {
    expect(taskInputFor(getTask('<OD>'), { text: 'ignored', region: null, imageSize: image })).toEqual({
      ok: true,
      input: '',
    });
  });

  it('asks for text until there is some', () => {
    const grounding = getTask('<CAPTION_TO_PHRASE_GROUNDING>');
    expect(taskInputFor(grounding, { text: '   ', region: null, imageSize: image })).toMatchObject({ ok: false });
    expect(taskInputFor(grounding, { text: ' a red  car ', region: null, imageSize: image })).toEqual({
      ok: true,
      input: 'a red car',
    });
  });

  it('joins open-vocabulary classes with <and>', () => {
    expect(vocabularyInput('car, wheel ,, yellow building')).toBe('car<and>wheel<and>yellow building');
    expect(
      taskInputFor(getTask('<OPEN_VOCABULARY_DETECTION>'), { text: 'car, wheel', region: null, imageSize: image }),
    ).toEqual({ ok: true, input: 'car<and>wheel' });
  });

  it('keeps typed markup from becoming task or location tokens', () => {
    expect(sanitizeUserText('<OD> a cat<loc_5>')).toBe('OD a cat loc_5');
    expect(vocabularyInput('<and>car')).toBe('and car');
  });

  it('writes a region as location tokens, corners in any order, clamped to the image', () => {
    const category = getTask('<REGION_TO_CATEGORY>');
    expect(taskInputFor(category, { text: '', region: imageBox(576, 384, 64, 144), imageSize: image })).toEqual({
      ok: true,
      input: '<loc_100><loc_300><loc_900><loc_800>',
    });
    expect(taskInputFor(category, { text: '', region: imageBox(-10, -10, 700, 500), imageSize: image })).toEqual({
      ok: true,
      input: '<loc_0><loc_0><loc_999><loc_999>',
    });
  });

  it('asks for a region until a usable one exists', () => {
    const category = getTask('<REGION_TO_CATEGORY>');
    for (const region of [null, imageBox(10, 10, 10, 50), imageBox(700, 10, 800, 50)]) {
      expect(taskInputFor(category, { text: '', region, imageSize: image })).toMatchObject({ ok: false });
    }
  });
});
