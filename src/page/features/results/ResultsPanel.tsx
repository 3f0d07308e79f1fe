import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type FlorenceAnswer, toReferenceJson } from '../../../shared/florence/parse';
import { describeRegionGeometry } from '../../../shared/florence/regions';
import { answerAtThreshold, formatScore, hiddenCount, isShownAt } from '../../../shared/florence/score-threshold';
import { getTask, TASK_TOKENS } from '../../../shared/florence/tasks';
import { type CompletedRun, partialAnswer, shownRun, useAppStore } from '../../state/store';
import { hoverRegion, selectRegion, setMinScore, showAnswer } from '../../state/view-actions';

const formatMs = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

function CopyButton({ text, label, testId }: { text: string; label: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          },
          () => setCopied(false),
        );
      }}
      data-testid={testId}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

function AnswerTabs() {
  const { answers, shownTask } = useAppStore(
    useShallow((state) => ({ answers: state.answers, shownTask: state.shownTask })),
  );
  const kept = TASK_TOKENS.filter((task) => answers[task]);
  if (kept.length < 2) return null;
  return (
    <fieldset className="answer-tabs" data-testid="answer-tabs">
      <legend className="visually-hidden">Answers kept for this image</legend>
      {kept.map((task) => (
        <button
          type="button"
          key={task}
          aria-pressed={task === shownTask}
          onClick={() => showAnswer(task)}
          data-testid={`answer-tab-${task}`}
        >
          {getTask(task).label}
        </button>
      ))}
    </fieldset>
  );
}

function RegionList({ run, minScore }: { run: CompletedRun; minScore: number }) {
  const { hovered, selected } = useAppStore(
    useShallow((state) => ({ hovered: state.hoveredRegion, selected: state.selectedRegion })),
  );
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (selected === null) return;
    listRef.current?.querySelector(`[data-region-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <ol className="regions" ref={listRef} data-testid="region-list" onMouseLeave={() => hoverRegion(null)}>
      {run.answer.regions.map((region, index) =>
        isShownAt(region, minScore) ? (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: regions have no identity beyond their order
            key={index}
            value={index + 1}
            data-region-index={index}
            className={index === selected ? 'selected' : index === hovered ? 'hovered' : undefined}
          >
            <button
              type="button"
              aria-pressed={index === selected}
              onMouseEnter={() => hoverRegion(index)}
              onFocus={() => hoverRegion(index)}
              onBlur={() => hoverRegion(null)}
              onClick={() => selectRegion(index === selected ? null : index)}
            >
              <strong>{region.label || '(unlabelled)'}</strong>{' '}
              {region.score !== undefined && (
                <span className="score" data-testid="region-score">
                  {formatScore(region.score)}
                </span>
              )}{' '}
              <span className="coords">{describeRegionGeometry(region)}</span>
            </button>
          </li>
        ) : null,
      )}
    </ol>
  );
}

/** The confidence threshold: regions scored under it leave the overlay, the list and the copied JSON. */
function ScoreThreshold({ run, minScore }: { run: CompletedRun; minScore: number }) {
  const hidden = hiddenCount(run.answer.regions, minScore);
  return (
    <label className="field score-threshold">
      <span>
        Hide regions below {formatScore(minScore)}
        {hidden > 0 && (
          <span className="hint" data-testid="hidden-count">
            {' '}
            · {hidden} hidden
          </span>
        )}
      </span>
      <input
        type="range"
        min={0}
        max={1}
        step={0.01}
        value={minScore}
        onChange={(event) => setMinScore(Number(event.target.value))}
        data-testid="min-score"
      />
    </label>
  );
}

function PartialAnswer({ answer }: { answer: FlorenceAnswer }) {
  return (
    <section className="panel" aria-labelledby="results-heading" aria-busy="true">
      <h2 id="results-heading">Answering · {getTask(answer.task).label}…</h2>
      {answer.regions.length > 0 ? (
        <p className="hint" data-testid="partial-answer">
          {answer.regions.length} {answer.regions.length === 1 ? 'region' : 'regions'} so far: {answer.text}
        </p>
      ) : (
        <p className="answer-text streaming" data-testid="partial-answer">
          {answer.text}
        </p>
      )}
    </section>
  );
}

export function ResultsPanel() {
  const run = useAppStore(shownRun);
  const partial = useAppStore(partialAnswer);
  const runStatus = useAppStore((state) => state.runStatus);
  const minScore = useAppStore((state) => state.minScore);
  if (partial) return <PartialAnswer answer={partial} />;
  if (!run) {
    return (
      <section className="panel" aria-labelledby="results-heading">
        <h2 id="results-heading">Answer</h2>
        <p className="hint" data-testid="answer-placeholder">
          {runStatus === 'running' ? 'The model is thinking…' : 'Run a task to see its answer here.'}
        </p>
      </section>
    );
  }
  const { answer, output, elapsedMs } = run;
  // What is copied is what is shown: the regions the threshold hides are left out.
  const shown = answerAtThreshold(answer, minScore);
  const json = JSON.stringify(toReferenceJson(shown), null, 2);
  const scored = answer.regions.some((region) => region.score !== undefined);
  return (
    <section className="panel" aria-labelledby="results-heading">
      <AnswerTabs />
      <h2 id="results-heading">Answer · {getTask(answer.task).label}</h2>
      {answer.regions.length === 0 ? (
        <>
          <p className="answer-text" data-testid="answer-text">
            {answer.text || <em>The model gave an empty answer.</em>}
          </p>
          {answer.score !== undefined && (
            <p className="hint" data-testid="answer-score">
              Confidence {formatScore(answer.score)}
            </p>
          )}
        </>
      ) : (
        <>
          <p className="hint" data-testid="region-count">
            {answer.regions.length} {answer.regions.length === 1 ? 'region' : 'regions'} · hover or click to highlight
          </p>
          {scored && <ScoreThreshold run={run} minScore={minScore} />}
          <RegionList run={run} minScore={minScore} />
        </>
      )}
      {output.inputTruncated && (
        <p className="notice" role="status" data-testid="input-truncated">
          Your text was longer than the model can read: it used the first {output.inputTruncated.keptTokens} of{' '}
          {output.inputTruncated.originalTokens} tokens.
        </p>
      )}
      <div className="actions result-actions">
        {shown.text && <CopyButton text={shown.text} label="Copy text" testId="copy-text" />}
        <CopyButton text={json} label="Copy JSON" testId="copy-json" />
      </div>
      <details className="raw-output" data-testid="raw-output">
        <summary>Raw model output</summary>
        <dl>
          <dt>Prompt</dt>
          <dd data-testid="raw-prompt">{output.prompt}</dd>
          <dt>Generated</dt>
          <dd data-testid="raw-text">{output.rawText}</dd>
          <dt>Parsed (reference format)</dt>
          <dd>
            <pre>{json}</pre>
          </dd>
        </dl>
      </details>
      <p className="hint" data-testid="timing">
        {formatMs(elapsedMs)} · {output.generatedTokens} tokens · {output.quality === 'best' ? '3 beams' : 'greedy'} ·
        image {output.imageSize.width}×{output.imageSize.height}
      </p>
      <p className="hint" data-testid="stage-timings">
        {output.timings.visionCached
          ? 'Image features reused from an earlier task'
          : `vision encoder ${formatMs(output.timings.visionEncoderMs)}`}
        {' · '}text encoder {formatMs(output.timings.textEncoderMs)} · first token{' '}
        {formatMs(output.timings.firstTokenMs)} · {formatMs(output.timings.perTokenMs)} per token
      </p>
    </section>
  );
}
