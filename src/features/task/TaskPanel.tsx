import { useShallow } from 'zustand/react/shallow';
import { getTask, TASKS, type TaskToken } from '../../core/florence/tasks';
import { cancelRun, runBlocker, runSelectedTask, setTask, setTaskInput } from '../../state/actions';
import { useAppStore } from '../../state/store';

export function TaskPanel() {
  const state = useAppStore(
    useShallow((s) => ({
      task: s.task,
      taskInput: s.taskInput,
      runStatus: s.runStatus,
      runError: s.runError,
      modelStatus: s.modelStatus,
      image: s.image,
    })),
  );
  const spec = getTask(state.task);
  const blocker = runBlocker(useAppStore.getState());
  const running = state.runStatus === 'running';
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
      {spec.input === 'text' && (
        <label className="field">
          <span>Text</span>
          <input
            type="text"
            value={state.taskInput}
            onChange={(event) => setTaskInput(event.target.value)}
            data-testid="task-input"
          />
        </label>
      )}
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
      {state.runError && state.runStatus === 'error' && (
        <div className="error" role="alert" data-testid="run-error">
          <p>{state.runError.message}</p>
          {state.runError.detail && (
            <details>
              <summary>Details</summary>
              <code>{state.runError.detail}</code>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
