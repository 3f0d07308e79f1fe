/**
 * The person's model choices, turned into model session calls. Components never reach the session
 * or the worker themselves.
 */
import type { DevicePreference, DtypePreset } from '../../shared/device/policy';
import { MODEL_CATALOG, type ModelChoice } from '../../shared/model-catalog';
import { DEFAULT_MODEL_ID, parseModelSource } from '../../shared/model-source';
import type { ModelLoadRequest } from '../../shared/protocol';
import { cancelRun } from './run-actions';
import { florence2 } from './session-link';
import { type AppState, useAppStore } from './store';
import { readUrlSettings } from './url-settings';

const { setState, getState } = useAppStore;

export function applyUrlSettings(search: string): void {
  const settings = readUrlSettings(search);
  setState({
    modelSourceText: settings.modelSourceText ?? '',
    devicePreference: settings.devicePreference ?? 'auto',
    dtypePreset: settings.dtypePreset ?? 'auto',
  });
}

/**
 * Uses the deployment's own copy of a catalogue model (public/models/<id>/, see `npm run
 * fetch-model`) when it has one and no source was asked for, so no request goes to the Hub.
 */
export async function preferSelfHostedModel(): Promise<void> {
  if (getState().modelSourceText || readUrlSettings(window.location.search).modelSourceText) return;
  for (const model of MODEL_CATALOG) {
    const folder = `./models/${model.id}`;
    const response = await fetch(`${folder}/config.json`, { method: 'HEAD' }).catch(() => null);
    // A host that answers every path with its index page is not serving a model.
    if (response?.ok && response.headers.get('content-type')?.includes('json')) {
      if (!getState().modelSourceText) setState({ modelSourceText: folder });
      return;
    }
  }
}

/** A failed load's error is about the choices it was made with: a new choice clears it. */
function withoutStaleError(): Pick<AppState, 'modelStatus' | 'modelError'> | Record<string, never> {
  return getState().modelStatus === 'error' ? { modelStatus: 'idle', modelError: null } : {};
}

export function setModelSourceText(modelSourceText: string): void {
  setState({ modelSourceText, ...withoutStaleError() });
}

export function setDevicePreference(devicePreference: DevicePreference): void {
  setState({ devicePreference, ...withoutStaleError() });
}

export function setDtypePreset(dtypePreset: DtypePreset): void {
  setState({ dtypePreset, ...withoutStaleError() });
}

/** Why the source typed cannot be loaded, or null when it can (an empty field loads the default model). */
export function modelSourceProblem(modelSourceText: string): string | null {
  const parsed = parseModelSource(modelSourceText, window.location.href);
  return parsed.ok ? null : parsed.message;
}

/** The model and weights now chosen; `modelId` null when the source is a folder URL. */
export function currentModelChoice(state = getState()): ModelChoice {
  const parsed = parseModelSource(state.modelSourceText || DEFAULT_MODEL_ID, window.location.href);
  const modelId = parsed.ok && parsed.source.kind === 'hub' ? parsed.source.modelId : null;
  return { modelId, dtypePreset: state.dtypePreset };
}

/** Switches to a choice that needs less memory (offered after one did not fit) and loads it. */
export async function loadModelChoice(choice: ModelChoice): Promise<void> {
  if (choice.modelId && choice.modelId !== currentModelChoice().modelId) setState({ modelSourceText: choice.modelId });
  setState({ dtypePreset: choice.dtypePreset });
  await loadModel();
}

/** The benchmark's settings from the URL, sent only when present. */
function benchmarkSettings(): Pick<ModelLoadRequest, 'wasmThreads' | 'referenceDemo'> {
  const { wasmThreads, referenceDemo } = readUrlSettings(window.location.search);
  return { ...(wasmThreads ? { wasmThreads } : {}), ...(referenceDemo ? { referenceDemo } : {}) };
}

/** Loads the model now chosen; how it went is in the store (the session's state). */
export async function loadModel(): Promise<void> {
  const { modelSourceText, dtypePreset, devicePreference, modelStatus } = getState();
  if (modelStatus === 'loading') return;
  const parsed = parseModelSource(modelSourceText || DEFAULT_MODEL_ID, window.location.href);
  if (!parsed.ok) {
    setState({ modelStatus: 'error', modelError: { code: 'invalid-request', message: parsed.message } });
    return;
  }
  // A new model replaces the old one's worker: nothing it was running is shown.
  cancelRun();
  await florence2()
    .load({ source: parsed.source, devicePreference, dtypePreset, ...benchmarkSettings() })
    .catch(() => {
      // The failure is in the session's state, which the store shows.
    });
}

/** Retries a load that failed for want of a network as soon as the network returns. */
export function watchConnectivity(): void {
  window.addEventListener('online', () => {
    const { modelStatus, modelError } = getState();
    if (modelStatus === 'error' && modelError?.code === 'network') void loadModel();
  });
}
