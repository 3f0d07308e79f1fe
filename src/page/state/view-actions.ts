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
