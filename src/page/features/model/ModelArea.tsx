import { useState } from 'react';
import { MODEL_CATALOG } from '../../../shared/model-catalog';
import { describeModelSource } from '../../../shared/model-source';
import { useAppStore } from '../../state/store';
import { ModelNotices, ModelPanel } from './ModelPanel';

/**
 * The model's place on the page: the whole panel until a model is ready (loading it is the first
 * thing to do), then a status chip that opens the panel for other choices and storage.
 */
export function ModelArea() {
  const modelStatus = useAppStore((state) => state.modelStatus);
  const loaded = useAppStore((state) => state.loadedModel);
  const [open, setOpen] = useState(false);
  if (modelStatus !== 'ready' || !loaded) return <ModelPanel />;
  const source = describeModelSource(loaded.source);
  const name = MODEL_CATALOG.find((model) => source.includes(model.id))?.label ?? source;
  return (
    <div className="model-area">
      <details className="model-chip" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary data-testid="model-info">
          <span className="status-dot" aria-hidden="true" />
          <span>
            Ready on {loaded.plan.device === 'webgpu' ? 'WebGPU' : 'WASM'}
            <span className="chip-model" title={source}>
              {' '}
              · {name}
            </span>
          </span>
          <span className="chip-action">{open ? 'Close' : 'Model & storage'}</span>
        </summary>
        <ModelPanel />
      </details>
      <ModelNotices />
    </div>
  );
}
