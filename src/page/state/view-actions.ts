import { isShownAt } from '../../shared/florence/score-threshold';
import type { TaskToken } from '../../shared/florence/tasks';
import { useAppStore } from './store';

const { setState, getState } = useAppStore;

export function showAnswer(task: TaskToken): void {
  setState({ shownTask: task, hoveredRegion: null, selectedRegion: null });
}

export function hoverRegion(hoveredRegion: number | null): void {
  if (getState().hoveredRegion !== hoveredRegion) setState({ hoveredRegion });
}

export function selectRegion(selectedRegion: number | null): void {
  setState({ selectedRegion });
}

export function setShowLabels(showLabels: boolean): void {
  setState({ showLabels });
}

export function setShowFills(showFills: boolean): void {
  setState({ showFills });
}

export function setMinScore(minScore: number): void {
  const { answers, shownTask, hoveredRegion, selectedRegion } = getState();
  const regions = (shownTask ? answers[shownTask]?.answer.regions : undefined) ?? [];
  // A highlighted region the threshold hides is no longer highlighted.
  const stillShown = (index: number | null) =>
    index === null || !regions[index] || isShownAt(regions[index], minScore) ? index : null;
  setState({ minScore, hoveredRegion: stillShown(hoveredRegion), selectedRegion: stillShown(selectedRegion) });
}
