import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CAPTIONS_TO_GROUND, getTask, TASKS, type TaskToken } from '../../../shared/florence/tasks';
import {
  cancelRun,
  runBlocker,
  runCaptionThenGround,
  runEveryTask,
  runSelectedTask,
  setQuality,
  setTask,
  setTaskText,
} from '../../state/run-actions';
import { effectiveQuality, useAppStore } from '../../state/store';
import { SmallerChoiceOffer } from '../model/SmallerChoiceOffer';
import { RegionEditor } from './RegionEditor';

function BatchStatus() {
  const batch = useAppStore((state) => state.batch);
  if (!batch) return null;
  return (
    <p className="hint" role="status" data-testid="batch-status">
      {batch.title}: {batch.done} of {batch.total} done
      {batch.current ? ` · now ${getTask(batch.current).label}` : ''}
    </p>
  );
}

export function TaskPanel() {
  const state = useAppStore(
    useShallow((s) => ({
      task: s.task,
      taskText: s.taskText,
      runStatus: s.runStatus,
      runError: s.runError,
      runNotice: s.runNotice,
      modelStatus: s.modelStatus,
      image: s.image,
      region: s.region,
      quality: effectiveQuality(s),
    })),
  );
  const [captionTask, setCaptionTask] = useState<TaskToken>(CAPTIONS_TO_GROUND[0] ?? '<CAPTION>');
  const spec = getTask(state.task);
  const blocker = runBlocker(useAppStore.getState());
  const running = state.runStatus === 'running';
  const canRunMore = state.modelStatus === 'ready' && state.image !== null && !running;
  return (
    <section className="panel" aria-labelledby="task-heading">
      <h2 id="task-heading">Task</h2>
      <label className="field">
        <span>What should the model do?</span>
        <select value={state.task} onChange={(event) => setTask(event.target.value as TaskToken)} data-testid="task">
          {[...TASKS.values()].map((task) => (
            <option key={task.token} value={task.token}>
              {task.label}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">{spec.description}</p>
      {spec.textInput && (
        <label className="field">
          <span>{spec.textInput.label}</span>
          <input
            type="text"
            value={state.taskText}
            placeholder={spec.textInput.placeholder}
            onChange={(event) => setTaskText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !blocker) void runSelectedTask();
            }}
            data-testid="task-input"
          />
        </label>
      )}
      {spec.input === 'region' && <RegionEditor />}
      <label className="field">
        <span>Answer quality</span>
        <select
          value={state.quality}
          onChange={(event) => setQuality(event.target.value === 'fast' ? 'fast' : 'best')}
          data-testid="quality"
        >
          <option value="best">Best (3 beams)</option>
          <option value="fast">Fast (greedy)</option>
        </select>
      </label>
      <p className="hint" data-testid="quality-hint">
        {state.quality === 'best'
          ? 'Decodes as the reference does, keeping the 3 likeliest answers at each step.'
          : 'Takes the likeliest token at each step: quicker, sometimes a different answer.'}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => void runSelectedTask()}
          disabled={blocker !== null}
          data-testid="run"
        >
          {running ? 'Running…' : 'Run'}
        </button>
        {running && (
          <button type="button" onClick={cancelRun} data-testid="cancel">
            Cancel
          </button>
        )}
      </div>
      {blocker && !running && (
        <p className="hint" data-testid="run-blocker">
          {blocker}
        </p>
      )}
      <BatchStatus />
      {state.runError && state.runStatus === 'error' && (
        <div className="error" role="alert" data-testid="run-error">
          <p>{state.runError.message}</p>
          {state.runError.smallerChoice !== undefined && <SmallerChoiceOffer next={state.runError.smallerChoice} />}
          {state.runError.detail && (
            <details>
              <summary>Details</summary>
              <code>{state.runError.detail}</code>
            </details>
          )}
        </div>
      )}
      {state.runNotice && (
        <p className="notice" role="status" data-testid="run-notice">
          {state.runNotice}
        </p>
      )}
      <div className="more-runs">
        <h3>More</h3>
        <div className="actions">
          <select
            value={captionTask}
            onChange={(event) => setCaptionTask(event.target.value as TaskToken)}
            aria-label="Caption to ground"
            data-testid="cascade-caption"
          >
            {CAPTIONS_TO_GROUND.map((token) => (
              <option key={token} value={token}>
                {getTask(token).label}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={() => void runCaptionThenGround(captionTask)}
            disabled={!canRunMore}
            data-testid="run-cascade"
          >
            then ground it
          </button>
        </div>
        <button type="button" onClick={() => void runEveryTask()} disabled={!canRunMore} data-testid="run-all">
          Run every task on this image
        </button>
      </div>
    </section>
  );
}
