import { useCallback, useEffect, useState } from 'react';
import { formatBytes } from '../../../shared/download-progress';
import {
  type CachedModel,
  deleteCachedModel,
  listCachedModels,
  requestPersistentStorage,
  type StorageState,
  storageState,
} from '../../model-files/storage';
import { useAppStore } from '../../state/store';

/** Models kept on this device, the space they use, and deleting them. */
export function StoragePanel() {
  const modelStatus = useAppStore((state) => state.modelStatus);
  const [models, setModels] = useState<CachedModel[]>([]);
  const [storage, setStorage] = useState<StorageState | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const [cached, state] = await Promise.all([listCachedModels().catch(() => []), storageState()]);
    setModels(cached);
    setStorage(state);
  }, []);

  useEffect(() => {
    // Refresh whenever a load settles: it may have added files.
    if (modelStatus !== 'loading') void refresh();
  }, [modelStatus, refresh]);

  const remove = async (model: CachedModel) => {
    const deleted = await deleteCachedModel(model.folderUrl);
    setMessage(`Deleted ${deleted} files (${formatBytes(model.bytes)}).`);
    await refresh();
  };

  const persist = async () => {
    const granted = await requestPersistentStorage();
    setMessage(
      granted ? 'Models will be kept until you delete them.' : 'The browser did not grant persistent storage.',
    );
    await refresh();
  };

  return (
    <details className="storage" data-testid="storage-panel">
      <summary>
        Storage on this device
        {models.length > 0 && ` · ${models.length} ${models.length === 1 ? 'model' : 'models'}`}
      </summary>
      {storage && storage.usage !== null && storage.quota !== null && (
        <p className="hint" data-testid="storage-usage">
          {formatBytes(storage.usage)} used of {formatBytes(storage.quota)} available to this app.
        </p>
      )}
      {storage && (
        <p className="hint">
          {storage.persisted ? (
            'Kept permanently: the browser will not evict the models to free space.'
          ) : (
            <>
              The browser may evict models when space runs low.{' '}
              <button type="button" className="link" onClick={() => void persist()} data-testid="persist-storage">
                Keep them permanently
              </button>
            </>
          )}
        </p>
      )}
      {models.length === 0 ? (
        <p className="hint">No model is stored yet.</p>
      ) : (
        <ul className="cached-models">
          {models.map((model) => (
            <li key={model.folderUrl} data-testid="cached-model">
              <span className="source" title={model.folderUrl}>
                {model.folderUrl}
              </span>
              <span>
                {formatBytes(model.bytes)} · {model.files} files{' '}
                <button type="button" onClick={() => void remove(model)} data-testid="delete-model">
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {message && (
        <p className="hint" role="status" data-testid="storage-message">
          {message}
        </p>
      )}
    </details>
  );
}
