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
import { effectiveQuality, runPhaseText, useAppStore } from '../../state/store';
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

/**
 * The task, its input and Run: the toolbar over the picture on wide screens, a bar fixed to the
 * bottom of the screen on a phone so Run stays in reach while drawing or reading.
 */
export function TaskBar() {
  const state = useAppStore(
    useShallow((s) => ({
      task: s.task,
      taskText: s.taskText,
      runStatus: s.runStatus,
      modelStatus: s.modelStatus,
      image: s.image,
      region: s.region,
    })),
  );
  const phase = useAppStore(runPhaseText);
  const spec = getTask(state.task);
  const blocker = runBlocker(useAppStore.getState());
  const running = state.runStatus === 'running';
  return (
    <section className="task-bar" aria-label="Task">
      <div className="task-bar-row">
        <label className="task-choice">
          <span className="visually-hidden">Task</span>
          <select
            value={state.task}
            onChange={(event) => setTask(event.target.value as TaskToken)}
            data-testid="task"
            title={spec.description}
          >
            {[...TASKS.values()].map((task) => (
              <option key={task.token} value={task.token}>
                {task.label}
              </option>
            ))}
          </select>
        </label>
        {spec.textInput && (
          <label className="task-text">
            <span className="visually-hidden">{spec.textInput.label}</span>
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
        {running ? (
          <button type="button" onClick={cancelRun} data-testid="cancel">
            Cancel
          </button>
        ) : null}
        <button
          type="button"
          className="primary run"
          onClick={() => void runSelectedTask()}
          disabled={blocker !== null}
          data-testid="run"
        >
          {running ? 'Running…' : 'Run'}
        </button>
      </div>
      {running && phase ? (
        <p className="hint task-bar-hint" role="status" data-testid="run-phase">
          {phase}
        </p>
      ) : (
        <p className="hint task-bar-hint" data-testid={blocker ? 'run-blocker' : 'task-description'}>
          {blocker ??
            (spec.input === 'region' && !state.region ? 'Drag on the image to draw the region.' : spec.description)}
        </p>
      )}
    </section>
  );
}

/** How the last run went: progress of a sequence, an error, or a notice; beside the answer. */
export function RunMessages() {
  const state = useAppStore(
    useShallow((s) => ({ runStatus: s.runStatus, runError: s.runError, runNotice: s.runNotice })),
  );
  return (
    <div className="run-messages" aria-live="polite">
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
    </div>
  );
}

/** What goes with a run besides the task: the region's edges, answer quality and more runs. */
export function TaskOptions() {
  const state = useAppStore(
    useShallow((s) => ({
      task: s.task,
      runStatus: s.runStatus,
      modelStatus: s.modelStatus,
      image: s.image,
      quality: effectiveQuality(s),
    })),
  );
  const [captionTask, setCaptionTask] = useState<TaskToken>(CAPTIONS_TO_GROUND[0] ?? '<CAPTION>');
  const spec = getTask(state.task);
  const canRunMore = state.modelStatus === 'ready' && state.image !== null && state.runStatus !== 'running';
  return (
    <section className="task-options" aria-label="Run options">
      {spec.input === 'region' && <RegionEditor />}
      <div className="options-row">
        <label className="field quality">
          <span>Answer quality</span>
          <select
            value={state.quality}
            onChange={(event) => setQuality(event.target.value === 'fast' ? 'fast' : 'best')}
            aria-describedby="quality-hint"
            data-testid="quality"
          >
            <option value="best">Best (3 beams)</option>
            <option value="fast">Fast (greedy)</option>
          </select>
          <span className="hint" id="quality-hint" data-testid="quality-hint">
            {state.quality === 'best'
              ? 'Decodes as the reference does, keeping the 3 likeliest answers at each step.'
              : 'Takes the likeliest token at each step: quicker, sometimes a different answer.'}
          </span>
        </label>
        <div className="more-runs">
          <span className="more-runs-title">More runs</span>
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
      </div>
    </section>
  );
}
