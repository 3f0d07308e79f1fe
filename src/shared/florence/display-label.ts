/**
 * What a region is called on screen. The reference leaves segmentation regions unlabelled (the
 * answer is only a polygon), but the person typed what to outline, so that phrase names it.
 */
import type { Region } from './parse';
import type { TaskSpec } from './tasks';

export const UNLABELLED = '(unlabelled)';

export function regionDisplayLabel(region: Pick<Region, 'label'>, task: TaskSpec, input: string): string {
  if (region.label) return region.label;
  if (task.input === 'text' && input.trim()) return input.trim();
  if (task.input === 'region') return 'the drawn region';
  return UNLABELLED;
}

/** How an answer chip names its run: the task, and the input it ran with when it had one. */
export function runChipLabel(task: TaskSpec, input: string): { readonly title: string; readonly input: string | null } {
  if (task.input === 'text' && input.trim()) return { title: task.label, input: input.trim() };
  if (task.input === 'region') return { title: task.label, input: 'drawn region' };
  return { title: task.label, input: null };
}
