import { useEffect, useState } from 'react';
import { probeCapabilities } from '../../../shared/device/capabilities';
import {
  chooseDevicePlan,
  type DeviceCapabilities,
  type DevicePreference,
  type DtypePreset,
} from '../../../shared/device/policy';
import { DEFAULT_MODEL_ID, parseModelSource } from '../../../shared/model-source';
import { type DownloadEstimate, estimateDownload } from '../../model-files/download-size';

let capabilities: Promise<DeviceCapabilities> | null = null;

/** What this browser offers, probed once per page. */
export function deviceCapabilities(): Promise<DeviceCapabilities> {
  capabilities ??= probeCapabilities(window);
  return capabilities;
}

/** The device capabilities once known (null while probing). */
export function useDeviceCapabilities(): DeviceCapabilities | null {
  const [found, setFound] = useState<DeviceCapabilities | null>(null);
  useEffect(() => {
    let current = true;
    void deviceCapabilities().then((result) => {
      if (current) setFound(result);
    });
    return () => {
      current = false;
    };
  }, []);
  return found;
}
// The last size found per settings, so an offline moment does not forget it.
const lastKnownSizes = new Map<string, DownloadEstimate>();

/** What loading would download with these settings, worked out before anything is downloaded. */
const PROBE_AFTER_TYPING_PAUSE_MS = 400;

export function useDownloadEstimate(
  sourceText: string,
  devicePreference: DevicePreference,
  dtypePreset: DtypePreset,
  refreshKey: unknown,
): DownloadEstimate | 'checking' {
  const [estimate, setEstimate] = useState<DownloadEstimate | 'checking'>('checking');
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey re-checks after a load stores files
  useEffect(() => {
    const parsed = parseModelSource(sourceText || DEFAULT_MODEL_ID, window.location.href);
    if (!parsed.ok) {
      setEstimate({ kind: 'unknown' });
      return;
    }
    const abort = new AbortController();
    setEstimate('checking');
    // Probed once typing pauses: every prefix of a URL being typed is a URL too ("http://host:418"
    // on the way to ":4181"), and asking each of them for the model's files would contact hosts the
    // person never meant.
    const probe = setTimeout(() => {
      void deviceCapabilities()
        .then((found) =>
          estimateDownload(parsed.source, chooseDevicePlan(found, devicePreference, dtypePreset).dtypes, abort.signal),
        )
        .then((result) => {
          if (abort.signal.aborted) return;
          const key = `${sourceText}|${devicePreference}|${dtypePreset}`;
          if (result.kind === 'bytes') lastKnownSizes.set(key, result);
          setEstimate(result.kind === 'unknown' ? (lastKnownSizes.get(key) ?? result) : result);
        });
    }, PROBE_AFTER_TYPING_PAUSE_MS);
    return () => {
      clearTimeout(probe);
      abort.abort();
    };
  }, [sourceText, devicePreference, dtypePreset, refreshKey]);
  return estimate;
}
