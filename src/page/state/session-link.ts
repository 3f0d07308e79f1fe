/**
 * The store's link to the model session: the store follows the session's state and notices, and
 * actions reach the model through `modelSession()`.
 */
import {
  type ModelSession,
  ModelSessionError,
  type NoticeCode,
  type SessionError,
  type SessionEvent,
} from '../session/model-session';
import { useAppStore } from './store';

const { setState } = useAppStore;

let session: ModelSession | null = null;

/** Notices about recovery during a load are shown by the model panel's status, not as run notices. */
const LOAD_NOTICES: ReadonlySet<NoticeCode> = new Set<NoticeCode>(['repairing', 'moving-to-wasm']);

function follow(event: SessionEvent): void {
  if (event.kind === 'state') {
    const { status, model, error, progress } = event.state;
    setState({
      modelStatus: status === 'disposed' ? 'idle' : status,
      loadedModel: model,
      modelError: error,
      loadProgress: progress,
    });
    return;
  }
  if (LOAD_NOTICES.has(event.notice.code)) return;
  const kept = event.notice.code === 'restarted' ? ' Earlier answers are kept.' : '';
  setState({ runNotice: `${event.notice.message}${kept}` });
}

/** Makes `created` the app's way to the model; the store follows it from now on. */
export function connectModelSession(created: ModelSession): void {
  session?.dispose();
  session = created;
  created.subscribe(follow);
}

export function modelSession(): ModelSession {
  if (!session) throw new Error('connectModelSession was not called at start-up');
  return session;
}

/** An error from the session (or anything else thrown) as the session reports errors. */
export function asSessionError(error: unknown): SessionError {
  if (error instanceof ModelSessionError) return error.error;
  return { code: 'internal', message: 'Something unexpected went wrong.', detail: String(error) };
}
