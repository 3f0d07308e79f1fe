import { getTask } from '../../core/florence/tasks';
import { useAppStore } from '../../state/store';

const formatMs = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

export function ResultsPanel() {
  const lastRun = useAppStore((state) => state.lastRun);
  const runStatus = useAppStore((state) => state.runStatus);
  if (!lastRun) {
    return (
      <section className="panel" aria-labelledby="results-heading">
        <h2 id="results-heading">Answer</h2>
        <p className="hint" data-testid="answer-placeholder">
          {runStatus === 'running' ? 'The model is thinking…' : 'Run a task to see its answer here.'}
        </p>
      </section>
    );
  }
  const { answer, output, elapsedMs } = lastRun;
  return (
    <section className="panel" aria-labelledby="results-heading">
      <h2 id="results-heading">Answer · {getTask(answer.task).label}</h2>
      {answer.regions.length === 0 ? (
        <p className="answer-text" data-testid="answer-text">
          {answer.text || <em>The model gave an empty answer.</em>}
        </p>
      ) : (
        <ol className="regions" data-testid="region-list">
          {answer.regions.map((region, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: regions have no identity beyond their order
            <li key={index}>
              <strong>{region.label || '(unlabelled)'}</strong>{' '}
              <span className="coords">[{region.box.map((value) => Math.round(value)).join(', ')}]</span>
            </li>
          ))}
        </ol>
      )}
      <p className="hint" data-testid="timing">
        {formatMs(elapsedMs)} · {output.generatedTokens} tokens · image {output.imageSize.width}×
        {output.imageSize.height}
      </p>
    </section>
  );
}
