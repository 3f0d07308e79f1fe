import { describe, expect, it } from 'vitest';
import { buildPrompt, isTaskToken, processorTaskTables, TASK_TOKENS, TASKS } from './tasks';

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

  it('puts every task with an input in the processor table of prompts with input', () => {
    const tables = processorTaskTables();
    for (const task of TASKS.values()) {
      const table = task.input === 'none' ? tables.task_prompts_without_inputs : tables.task_prompts_with_input;
      expect(table[task.token]).toBe(task.prompt);
      expect(tables.tasks_answer_post_processing_type[task.token]).toBe(task.answerType);
    }
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
