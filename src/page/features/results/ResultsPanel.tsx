import { Fragment, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { regionDisplayLabel, runChipLabel } from '../../../shared/florence/display-label';
import { type FlorenceAnswer, toReferenceJson } from '../../../shared/florence/parse';
import { describeRegionGeometry } from '../../../shared/florence/regions';
import { answerAtThreshold, formatScore, hiddenCount, isShownAt } from '../../../shared/florence/score-threshold';
import { getTask, TASK_TOKENS } from '../../../shared/florence/tasks';
import { formatRunSummary, STAGE_SEPARATOR, stageLines } from '../../../shared/run-stages';
import { type CompletedRun, partialAnswer, runPhaseText, shownRun, useAppStore } from '../../state/store';
import { hoverRegion, selectRegion, setMinScore, showAnswer } from '../../state/view-actions';

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

/**
 * The answers kept for this image, one chip each with the input it ran with. One tab stop: the
 * arrow keys, Home and End move between chips (the WAI-ARIA tabs pattern).
 */
function AnswerTabs() {
  const { answers, shownTask } = useAppStore(
    useShallow((state) => ({ answers: state.answers, shownTask: state.shownTask })),
  );
  const listRef = useRef<HTMLDivElement>(null);
  const kept = TASK_TOKENS.filter((task) => answers[task]);
  if (kept.length < 2) return null;
  const moveTo = (index: number) => {
    const task = kept[(index + kept.length) % kept.length];
    if (!task) return;
    showAnswer(task);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-testid="answer-tab-${task}"]`)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = kept.indexOf(shownTask ?? kept[0] ?? '<CAPTION>');
    const target =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? current + 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? current - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? kept.length - 1
              : null;
    if (target === null) return;
    event.preventDefault();
    moveTo(target);
  };
  return (
    <div
      className="answer-tabs"
      role="tablist"
      aria-label="Answers kept for this image"
      ref={listRef}
      onKeyDown={onKeyDown}
      data-testid="answer-tabs"
    >
      {kept.map((task) => {
        const chip = runChipLabel(getTask(task), answers[task]?.input ?? '');
        const selected = task === shownTask;
        return (
          <button
            type="button"
            role="tab"
            key={task}
            aria-selected={selected}
            tabIndex={selected ? 0 : -1}
            onClick={() => showAnswer(task)}
            data-testid={`answer-tab-${task}`}
          >
            {chip.title}
            {chip.input && (
              // The space stays outside: the span is an inline block, which would swallow it.
              <>
                {' '}
                <span className="chip-input" data-testid="chip-input">
                  · {chip.input}
                </span>
              </>
            )}
          </button>
        );
      })}
    </div>
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
              <strong>{regionDisplayLabel(region, getTask(run.answer.task), run.input)}</strong>{' '}
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

/**
 * Brings a newly arrived answer into view when it is out of sight (on a phone it is below the
 * picture); switching between kept answers does not scroll.
 */
function useAnswerArrivalScroll(run: CompletedRun | null) {
  const answers = useAppStore((state) => state.answers);
  const sectionRef = useRef<HTMLElement>(null);
  const seenAnswers = useRef(answers);
  useEffect(() => {
    if (answers === seenAnswers.current) return;
    seenAnswers.current = answers;
    const section = sectionRef.current;
    if (!run || !section) return;
    const top = section.getBoundingClientRect().top;
    if (top >= 0 && top < window.innerHeight * 0.6) return;
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    section.scrollIntoView({ block: 'start', behavior: reduceMotion ? 'auto' : 'smooth' });
  }, [answers, run]);
  return sectionRef;
}

export function ResultsPanel() {
  const run = useAppStore(shownRun);
  const partial = useAppStore(partialAnswer);
  const runStatus = useAppStore((state) => state.runStatus);
  const phaseText = useAppStore(runPhaseText);
  const minScore = useAppStore((state) => state.minScore);
  const sectionRef = useAnswerArrivalScroll(run);
  if (partial) return <PartialAnswer answer={partial} />;
  if (!run) {
    return (
      <section className="panel results" aria-labelledby="results-heading">
        <h2 id="results-heading">Answer</h2>
        <p className="hint" data-testid="answer-placeholder">
          {runStatus === 'running' ? (phaseText ?? 'The model is thinking…') : 'Run a task to see its answer here.'}
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
    <section className="panel results" aria-labelledby="results-heading" ref={sectionRef} data-testid="results">
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
        {formatRunSummary({
          elapsedMs,
          generatedTokens: output.generatedTokens,
          quality: output.quality,
          imageSize: output.imageSize,
        })}
      </p>
      <p className="hint" data-testid="stage-timings">
        {stageLines(output.timings).map((stage, index) => (
          <Fragment key={stage.key}>
            {index > 0 && STAGE_SEPARATOR}
            <span data-stage={stage.key} title={stage.description}>
              {stage.text}
            </span>
          </Fragment>
        ))}
      </p>
    </section>
  );
}
