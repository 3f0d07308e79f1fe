import { useShallow } from 'zustand/react/shallow';
import { chooseDevicePlan } from '../../../shared/device/policy';
import { describeSmallerChoice, type ModelChoice } from '../../../shared/model-catalog';
import { currentModelChoice, loadModelChoice } from '../../state/model-actions';
import { useAppStore } from '../../state/store';
import { useDeviceCapabilities } from './useDownloadEstimate';

/** After a model did not fit in memory: names the next smaller choice and loads it on request. */
export function SmallerChoiceOffer({ next }: { next: ModelChoice | null }) {
  const current = useAppStore(useShallow((state) => currentModelChoice(state)));
  const devicePreference = useAppStore((state) => state.devicePreference);
  const capabilities = useDeviceCapabilities();
  if (!next) {
    return (
      <p data-testid="smaller-choice">
        This is already the smallest choice. Close other tabs and apps to free memory, then try again.
      </p>
    );
  }
  const smaller = describeSmallerChoice(
    current,
    next,
    capabilities ? (preset) => chooseDevicePlan(capabilities, devicePreference, preset).dtypes : undefined,
  );
  return (
    <p data-testid="smaller-choice">
      Try a smaller choice: {smaller.description}.{' '}
      <button type="button" onClick={() => void loadModelChoice(next)} data-testid="load-smaller-choice">
        Load the smaller choice
      </button>
    </p>
  );
}
