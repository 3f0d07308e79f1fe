import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  chooseDevicePlan,
  DTYPE_PRESETS,
  type DtypePreset,
  RUNTIME_BUILD_BYTES,
  type RuntimeBuild,
  SUB_MODELS,
} from '../../../shared/device/policy';
import { presetNote } from '../../../shared/device/preset-note';
import {
  formatBytes,
  formatDuration,
  type ProgressSample,
  secondsLeft,
  summarizeDownloads,
} from '../../../shared/download-progress';
import { knownDownloadBytes, MODEL_CATALOG } from '../../../shared/model-catalog';
import { DEFAULT_MODEL_ID, describeModelSource, parseModelSource } from '../../../shared/model-source';
import type { LoadProgress } from '../../../shared/protocol';
import type { DownloadEstimate } from '../../model-files/download-size';
import {
  loadModel,
  modelSourceProblem,
  setDevicePreference,
  setDtypePreset,
  setModelSourceText,
} from '../../state/model-actions';
import { useAppStore } from '../../state/store';
import { SmallerChoiceOffer } from './SmallerChoiceOffer';
import { StoragePanel } from './StoragePanel';
import { useDeviceCapabilities, useDownloadEstimate } from './useDownloadEstimate';

const PHASE_TEXT: Record<LoadProgress['phase'], string> = {
  probing: 'Checking this device…',
  downloading: 'Downloading model files…',
  compiling: 'Preparing the model…',
  warming: 'Warming up the GPU (compiling shaders)…',
};

const PRESET_LABELS: Record<DtypePreset, string> = {
  auto: 'Recommended for this device',
  smallest: 'Smallest download',
  quality: 'Highest quality (full precision)',
};

const RUNTIME_NAMES: Record<RuntimeBuild, string> = {
  plain: 'CPU build',
  jspi: 'WebGPU build (JSPI)',
  asyncify: 'WebGPU build (asyncify)',
};

const CUSTOM_SOURCE = 'custom';

function estimateText(estimate: DownloadEstimate | 'checking'): string {
  if (estimate === 'checking') return 'Checking the download size…';
  switch (estimate.kind) {
    case 'cached':
      return 'Stored on this device: loads without downloading.';
    case 'bytes':
      return `Downloads ${estimate.published ? '≈ ' : ''}${formatBytes(estimate.bytes)} once, then works offline.`;
    case 'unknown':
      return 'Download size unknown.';
  }
}

function LoadStatus() {
  const progress = useAppStore((state) => state.loadProgress);
  const firstSample = useRef<ProgressSample | null>(null);
  const summary = progress ? summarizeDownloads(progress.files) : null;
  const now = performance.now();
  if (summary && summary.loaded > 0 && !firstSample.current)
    firstSample.current = { atMs: now, loaded: summary.loaded };
  if (!progress || !summary) return <p data-testid="model-status">Starting…</p>;
  const left =
    firstSample.current && summary.fraction !== null
      ? secondsLeft(firstSample.current, { atMs: now, loaded: summary.loaded }, summary.total)
      : null;
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
          <p className="hint" data-testid="download-summary">
            {formatBytes(summary.loaded)}
            {summary.fraction !== null && ` of ${formatBytes(summary.total)}`} · {summary.filesDone}/{summary.fileCount}{' '}
            files{left !== null && left > 0 && ` · about ${formatDuration(left)} left`}
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

/** What the person must know about the loaded model even while its panel is folded away. */
export function ModelNotices() {
  const loaded = useAppStore((state) => state.loadedModel);
  if (!loaded) return null;
  return (
    <>
      {loaded.fallback && (
        <p className="notice" role="status" data-testid="device-fallback">
          WebGPU failed, so the model now runs on WASM (slower, but it works). Reason: {loaded.fallback.reason}
        </p>
      )}
      {loaded.storageProblem === 'full-disk' && (
        <p className="notice" role="status" data-testid="storage-problem">
          This device is out of storage space, so the model could not be kept: it will be downloaded again next time.
          Free up space or delete other models (Model, then Storage) to use it offline.
        </p>
      )}
      {loaded.storageProblem === 'repaired' && (
        <p className="notice" role="status" data-testid="storage-problem">
          A damaged copy of the model on this device was removed and downloaded again.
        </p>
      )}
    </>
  );
}

function LoadedModelInfo() {
  const loaded = useAppStore((state) => state.loadedModel);
  if (!loaded) return null;
  return (
    <div data-testid="model-details">
      <p data-testid="model-status">
        Ready on <strong data-testid="model-device">{loaded.plan.device === 'webgpu' ? 'WebGPU' : 'WASM'}</strong>{' '}
        <span className="hint" data-testid="device-reason">
          ({loaded.plan.reason})
        </span>
      </p>
      <p className="hint source" title={describeModelSource(loaded.source)}>
        {describeModelSource(loaded.source)} · loaded in {(loaded.loadMs / 1000).toFixed(1)} s
      </p>
      <p className="hint" data-testid="model-runtime" data-runtime={loaded.plan.runtime}>
        ONNX Runtime {RUNTIME_NAMES[loaded.plan.runtime]} ({formatBytes(RUNTIME_BUILD_BYTES[loaded.plan.runtime])}) ·{' '}
        {loaded.plan.wasmThreads} CPU {loaded.plan.wasmThreads === 1 ? 'thread' : 'threads'}
      </p>
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

/** What the chosen weights mean on this device: what is quantized, and what that can change. */
function PresetNoteText() {
  const { devicePreference, dtypePreset } = useAppStore(
    useShallow((state) => ({ devicePreference: state.devicePreference, dtypePreset: state.dtypePreset })),
  );
  const capabilities = useDeviceCapabilities();
  if (!capabilities) return null;
  const note = presetNote(chooseDevicePlan(capabilities, devicePreference, dtypePreset), dtypePreset, capabilities);
  return (
    <p className="hint" data-testid="preset-note">
      <span data-testid="preset-summary">{note.summary[0]?.toUpperCase() + note.summary.slice(1)}.</span>
      {note.qualityWarning && <> {note.qualityWarning}</>}
      {note.deviceNote && <> {note.deviceNote}</>}
    </p>
  );
}

/** What can be done when the model's host could not be reached (and the browser is not offline). */
function UnreachableHostHelp({ host, onUseFolderUrl }: { host: string; onUseFolderUrl: () => void }) {
  const modelSourceText = useAppStore((state) => state.modelSourceText);
  const parsed = parseModelSource(modelSourceText, window.location.href);
  const hubId = parsed.ok && parsed.source.kind === 'hub' ? parsed.source.modelId : DEFAULT_MODEL_ID;
  return (
    <ul className="load-remedies" data-testid="load-remedies">
      <li>
        <button type="button" onClick={() => void loadModel()} data-testid="retry-load">
          Retry
        </button>{' '}
        if the connection or {host} was down for a moment.
      </li>
      <li>
        <button type="button" className="link" onClick={onUseFolderUrl} data-testid="use-folder-url">
          Use a folder URL instead
        </button>
        : a copy of the model on a server you can reach.
      </li>
      <li data-testid="self-host-hint">
        Or serve the model with this app: on a machine with internet, run <code>npm run fetch-model -- {hubId}</code>,
        then build and deploy (README, “Self-hosting: your own copy of the model”).
      </li>
    </ul>
  );
}

function LoadError({
  estimate,
  onUseFolderUrl,
}: {
  estimate: DownloadEstimate | 'checking';
  onUseFolderUrl: () => void;
}) {
  const modelError = useAppStore((state) => state.modelError);
  if (!modelError) return null;
  const offline = modelError.code === 'network' && !navigator.onLine;
  const size = estimate !== 'checking' && estimate.kind === 'bytes' ? ` of ${formatBytes(estimate.bytes)}` : '';
  return (
    <div className="error" role="alert" data-testid="model-error">
      {offline ? (
        <p data-testid="offline-message">
          You are offline, and this model is not on this device yet. It needs a one-time download{size}. Loading starts
          by itself when the connection returns.
        </p>
      ) : (
        <p>{modelError.message}</p>
      )}
      {!offline && modelError.unreachableHost && (
        <UnreachableHostHelp host={modelError.unreachableHost} onUseFolderUrl={onUseFolderUrl} />
      )}
      {modelError.smallerChoice !== undefined && <SmallerChoiceOffer next={modelError.smallerChoice} />}
      {modelError.detail && (
        <details>
          <summary>Details</summary>
          <code>{modelError.detail}</code>
        </details>
      )}
    </div>
  );
}

export function ModelPanel() {
  const { modelSourceText, devicePreference, dtypePreset, modelStatus } = useAppStore(
    useShallow((state) => ({
      modelSourceText: state.modelSourceText,
      devicePreference: state.devicePreference,
      dtypePreset: state.dtypePreset,
      modelStatus: state.modelStatus,
    })),
  );
  const estimate = useDownloadEstimate(modelSourceText, devicePreference, dtypePreset, modelStatus);
  const capabilities = useDeviceCapabilities();
  // Published sizes, shown in the options themselves before anything is chosen or downloaded.
  const publishedSize = (modelId: string, preset: DtypePreset): string => {
    if (!capabilities) return '';
    const bytes = knownDownloadBytes(modelId, chooseDevicePlan(capabilities, devicePreference, preset).dtypes);
    return bytes === null ? '' : ` · ≈ ${formatBytes(bytes)}`;
  };
  const loading = modelStatus === 'loading';
  const sourceId = modelSourceText.trim() || DEFAULT_MODEL_ID;
  const inCatalog = MODEL_CATALOG.some((model) => model.id === sourceId);
  const [wantsCustom, setWantsCustom] = useState(!inCatalog);
  const catalogChoice = wantsCustom || !inCatalog ? CUSTOM_SOURCE : sourceId;
  const customField = useRef<HTMLInputElement>(null);
  // Checked as it is typed: a source that cannot be loaded is said so under the field.
  const sourceProblem = modelSourceProblem(modelSourceText);
  const chooseFolderUrl = () => {
    // The source typed so far stays, selected, so typing replaces it (and clears the error).
    setWantsCustom(true);
    requestAnimationFrame(() => {
      customField.current?.focus();
      customField.current?.select();
    });
  };

  return (
    <section className="panel" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <label className="field">
        <span>Model</span>
        <select
          value={catalogChoice}
          onChange={(event) => {
            const custom = event.target.value === CUSTOM_SOURCE;
            setWantsCustom(custom);
            setModelSourceText(custom ? '' : event.target.value);
            if (custom) requestAnimationFrame(() => customField.current?.focus());
          }}
          disabled={loading}
          data-testid="model-choice"
        >
          {MODEL_CATALOG.map((model) => (
            <option key={model.id} value={model.id}>
              {model.label}
              {publishedSize(model.id, dtypePreset)}
            </option>
          ))}
          <option value={CUSTOM_SOURCE}>Other: a Hub id or a folder URL…</option>
        </select>
      </label>
      {catalogChoice === CUSTOM_SOURCE && (
        <label className="field">
          <span>Hub id (owner/name) or URL of a model folder</span>
          <input
            ref={customField}
            type="text"
            value={modelSourceText}
            placeholder="/models/Florence-2-base-ft"
            onChange={(event) => setModelSourceText(event.target.value)}
            disabled={loading}
            aria-invalid={sourceProblem !== null || undefined}
            aria-describedby={sourceProblem === null ? undefined : 'model-source-error'}
            data-testid="model-source"
          />
        </label>
      )}
      {catalogChoice === CUSTOM_SOURCE && sourceProblem !== null && (
        <p className="field-error" id="model-source-error" data-testid="model-source-error">
          {sourceProblem}
        </p>
      )}
      <div className="field-row">
        <label className="field">
          <span>Weights</span>
          <select
            value={dtypePreset}
            onChange={(event) => setDtypePreset(event.target.value as DtypePreset)}
            disabled={loading}
            data-testid="dtype-preset"
          >
            {DTYPE_PRESETS.map((preset) => (
              <option key={preset} value={preset}>
                {PRESET_LABELS[preset]}
                {inCatalog ? publishedSize(sourceId, preset) : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Device</span>
          <select
            value={devicePreference}
            onChange={(event) => setDevicePreference(event.target.value as typeof devicePreference)}
            disabled={loading}
            data-testid="device-preference"
          >
            <option value="auto">Automatic</option>
            <option value="webgpu">WebGPU</option>
            <option value="wasm">WASM (CPU)</option>
          </select>
        </label>
      </div>
      <PresetNoteText />
      {!loading && (
        <p className="hint" data-testid="download-estimate">
          {estimateText(estimate)}
        </p>
      )}
      <button
        type="button"
        // The first thing to do until a model is ready; a reload after that is not.
        className={modelStatus === 'ready' ? undefined : 'primary'}
        onClick={() => void loadModel()}
        disabled={loading || sourceProblem !== null}
        data-testid="load-model"
      >
        {modelStatus === 'error' ? 'Retry loading' : modelStatus === 'ready' ? 'Reload model' : 'Load model'}
      </button>
      <div aria-live="polite">
        {modelStatus === 'idle' && (
          <p data-testid="model-status" className="hint">
            Not loaded. The model runs on this device; your images are never uploaded.
          </p>
        )}
        {loading && <LoadStatus />}
        {modelStatus === 'ready' && <LoadedModelInfo />}
        {modelStatus === 'error' && <LoadError estimate={estimate} onUseFolderUrl={chooseFolderUrl} />}
      </div>
      <StoragePanel />
    </section>
  );
}
