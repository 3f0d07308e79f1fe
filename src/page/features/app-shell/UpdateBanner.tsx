import { useShallow } from 'zustand/react/shallow';
import { applyUpdate } from '../../pwa/register';
import { useAppStore } from '../../state/store';

export function UpdateBanner() {
  const { updateAvailable, busy } = useAppStore(
    useShallow((state) => ({
      updateAvailable: state.updateAvailable,
      busy: state.modelStatus === 'loading' || state.runStatus === 'running',
    })),
  );
  if (!updateAvailable) return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner">
      <span>A new version of Florence-2 Web is ready.</span>
      <button type="button" onClick={() => void applyUpdate()} disabled={busy} data-testid="apply-update">
        Reload to update
      </button>
      {busy && <span className="hint">Available once the current download or run finishes.</span>}
    </div>
  );
}
