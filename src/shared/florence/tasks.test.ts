import { describe, expect, it } from 'vitest';
import reference from './reference-task-tables.json';
import { buildPrompt, CAPTIONS_TO_GROUND, isTaskToken, processorTaskTables, TASK_TOKENS, TASKS } from './tasks';

describe('task registry', () => {
  it('has all 15 Florence-2 tasks, each once', () => {
    expect(TASKS.size).toBe(15);
    expect(new Set(TASK_TOKENS).size).toBe(15);
  });

  it('gives polygon tasks room for long masks', () => {
    for (const task of TASKS.values()) {
      if (task.answerType === 'polygons') expect(task.maxNewTokens).toBeGreaterThanOrEqual(1024);
    }
  });

  it('has exactly the reference processor’s 15 tasks, prompts and answer types', () => {
    expect([...TASK_TOKENS].sort()).toEqual(Object.keys(reference.tasks_answer_post_processing_type).sort());
    const { source: _source, ...tables } = reference;
    expect(processorTaskTables()).toEqual(tables);
  });

  it('sends the reference prompts, with the input spliced where the reference formats it', () => {
    for (const [token, prompt] of Object.entries(reference.task_prompts_without_inputs)) {
      if (!isTaskToken(token)) throw new Error(`${token} is not in the registry`);
      expect(buildPrompt(token)).toBe(prompt);
    }
    for (const [token, prompt] of Object.entries(reference.task_prompts_with_input)) {
      if (!isTaskToken(token)) throw new Error(`${token} is not in the registry`);
      expect(buildPrompt(token, 'a red car')).toBe(prompt.replace('{input}', 'a red car'));
    }
  });

  it('words every text task’s field, and offers only captions for grounding', () => {
    for (const task of TASKS.values()) {
      expect(Boolean(task.textInput), task.token).toBe(task.input === 'text');
    }
    expect(CAPTIONS_TO_GROUND).toEqual(['<CAPTION>', '<DETAILED_CAPTION>']);
  });

  it('splices the input into the prompt', () => {
    expect(buildPrompt('<CAPTION>')).toBe('What does the image describe?');
    expect(buildPrompt('<CAPTION_TO_PHRASE_GROUNDING>', 'a red car')).toBe(
      'Locate the phrases in the caption: a red car',
    );
    expect(buildPrompt('<REGION_TO_CATEGORY>', '<loc_1><loc_2><loc_3><loc_4>')).toBe(
      'What is the region <loc_1><loc_2><loc_3><loc_4>?',
    );
  });

  it('recognises task tokens', () => {
    expect(isTaskToken('<OD>')).toBe(true);
    expect(isTaskToken('<od>')).toBe(false);
    expect(isTaskToken(42)).toBe(false);
  });
});
