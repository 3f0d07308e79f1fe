import { describe, expect, it } from 'vitest';
import { regionDisplayLabel, runChipLabel, UNLABELLED } from './display-label';
import { getTask } from './tasks';

describe('regionDisplayLabel', () => {
  it('names an unlabelled segmentation region with the phrase that was asked', () => {
    expect(regionDisplayLabel({ label: '' }, getTask('<REFERRING_EXPRESSION_SEGMENTATION>'), '  the red kite ')).toBe(
      'the red kite',
    );
  });

  it('keeps the label the model gave', () => {
    expect(regionDisplayLabel({ label: 'kite' }, getTask('<OPEN_VOCABULARY_DETECTION>'), 'kite, bird')).toBe('kite');
  });

  it('says which region a region task outlined, and marks the rest unlabelled', () => {
    expect(regionDisplayLabel({ label: '' }, getTask('<REGION_TO_SEGMENTATION>'), '<loc_1><loc_2><loc_3><loc_4>')).toBe(
      'the drawn region',
    );
    expect(regionDisplayLabel({ label: '' }, getTask('<REGION_PROPOSAL>'), '')).toBe(UNLABELLED);
  });
});

describe('runChipLabel', () => {
  it('shows the text a run was given, and nothing for tasks without input', () => {
    expect(runChipLabel(getTask('<CAPTION_TO_PHRASE_GROUNDING>'), 'a cat and a dog')).toEqual({
      title: 'Phrase grounding',
      input: 'a cat and a dog',
    });
    expect(runChipLabel(getTask('<CAPTION>'), '')).toEqual({ title: 'Caption', input: null });
    expect(runChipLabel(getTask('<REGION_TO_CATEGORY>'), '<loc_1><loc_2><loc_3><loc_4>')).toEqual({
      title: 'Name a region',
      input: 'drawn region',
    });
  });
});
