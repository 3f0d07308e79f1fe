import { useShallow } from 'zustand/react/shallow';
import { SUB_MODELS } from '../../core/device/policy';
import { formatBytes, summarizeDownloads } from '../../core/download-progress';
import { DEFAULT_MODEL_ID, describeModelSource } from '../../core/model-source';
import { loadModel, setDevicePreference, setModelSourceText } from '../../state/actions';
import { useAppStore } from '../../state/store';
import type { LoadProgress } from '../../worker/protocol';

const PHASE_TEXT: Record<LoadProgress['phase'], string> = {
  probing: 'Checking this device…',
  downloading: 'Downloading model files…',
  compiling: 'Preparing the model…',
  warming: 'Warming up the GPU (compiling shaders)…',
};

function LoadStatus() {
  const progress = useAppStore((state) => state.loadProgress);
  if (!progress) return <p data-testid="model-status">Starting…</p>;
  const summary = summarizeDownloads(progress.files);
  return (
    <div>
      <p data-testid="model-status">{PHASE_TEXT[progress.phase]}</p>
      {progress.files.length > 0 && (
        <>
          <progress
            max={1}
            value={summary.fraction ?? undefined}
            aria-label="Model download"
            data-testid="model-progress"
          />
          <p className="hint">
            {formatBytes(summary.loaded)}
            {summary.fraction !== null && ` of ${formatBytes(summary.total)}`} · {summary.filesDone}/{summary.fileCount}{' '}
            files
          </p>
          <ul className="file-progress" data-testid="file-progress">
            {progress.files.map((file) => (
              <li key={file.file}>
                <span>{file.file}</span>
                <span>
                  {file.done ? '✓ ' : ''}
                  {formatBytes(file.loaded)}
                  {file.total > 0 ? ` / ${formatBytes(file.total)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function LoadedModelInfo() {
  const loaded = useAppStore((state) => state.loadedModel);
  if (!loaded) return null;
  return (
    <div data-testid="model-info">
      <p data-testid="model-status">
        Ready on <strong data-testid="model-device">{loaded.plan.device === 'webgpu' ? 'WebGPU' : 'WASM'}</strong>{' '}
        <span className="hint" data-testid="device-reason">
          ({loaded.plan.reason})
        </span>
      </p>
      <p className="hint source" title={describeModelSource(loaded.source)}>
        {describeModelSource(loaded.source)} · loaded in {(loaded.loadMs / 1000).toFixed(1)} s
      </p>
      {loaded.fallback && (
        <p className="notice" role="status" data-testid="device-fallback">
          WebGPU failed, so the model now runs on WASM (slower, but it works). Reason: {loaded.fallback.reason}
        </p>
      )}
      <dl className="dtypes" data-testid="dtype-table" aria-label="Weight precision of each sub-model">
        {SUB_MODELS.map((subModel) => (
          <div key={subModel}>
            <dt>{subModel}</dt>
            <dd data-testid={`dtype-${subModel}`}>{loaded.plan.dtypes[subModel]}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function ModelPanel() {
  const { modelSourceText, devicePreference, modelStatus, modelError } = useAppStore(
    useShallow((state) => ({
      modelSourceText: state.modelSourceText,
      devicePreference: state.devicePreference,
      modelStatus: state.modelStatus,
      modelError: state.modelError,
    })),
  );
  const loading = modelStatus === 'loading';
  return (
    <section className="panel" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <label className="field">
        <span>Source (Hub id or folder URL)</span>
        <input
          type="text"
          value={modelSourceText}
          placeholder={DEFAULT_MODEL_ID}
          onChange={(event) => setModelSourceText(event.target.value)}
          disabled={loading}
          data-testid="model-source"
        />
      </label>
      <label className="field">
        <span>Device</span>
        <select
          value={devicePreference}
          onChange={(event) => setDevicePreference(event.target.value as typeof devicePreference)}
          disabled={loading}
          data-testid="device-preference"
        >
          <option value="auto">Automatic (WebGPU if available)</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM (CPU)</option>
        </select>
      </label>
      <button type="button" onClick={() => void loadModel()} disabled={loading} data-testid="load-model">
        {modelStatus === 'error' ? 'Retry loading' : modelStatus === 'ready' ? 'Reload model' : 'Load model'}
      </button>
      <div aria-live="polite">
        {modelStatus === 'idle' && (
          <p data-testid="model-status" className="hint">
            Not loaded. The model is downloaded once, then runs on this device.
          </p>
        )}
        {loading && <LoadStatus />}
        {modelStatus === 'ready' && <LoadedModelInfo />}
        {modelStatus === 'error' && modelError && (
          <div className="error" role="alert" data-testid="model-error">
            <p>{modelError.message}</p>
            {modelError.detail && (
              <details>
                <summary>Details</summary>
                <code>{modelError.detail}</code>
              </details>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
