/**
 * The store's link to the model: the app reaches it through the library's Florence-2 instance (one
 * path to the model for the app and every other caller), and the store follows its session's state
 * and notices.
 */
import { isErrorCode } from '../../shared/protocol';
import { Florence2Error } from '../library/errors';
import type { Florence2 } from '../library/florence2';
import { ModelSessionError, type NoticeCode, type SessionError, type SessionEvent } from '../session/model-session';
import { useAppStore } from './store';

const { setState } = useAppStore;

let instance: Florence2 | null = null;

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
export function connectFlorence2(created: Florence2): void {
  instance?.dispose();
  instance = created;
  created.subscribe(follow);
}

export function florence2(): Florence2 {
  if (!instance) throw new Error('connectFlorence2 was not called at start-up');
  return instance;
}

// The library's own codes are about callers' requests, which the app checks before it runs.
/** An error from the model (or anything else thrown) as the store shows errors. */
export function asSessionError(error: unknown): SessionError {
  if (error instanceof ModelSessionError) return error.error;
  if (error instanceof Florence2Error) {
    return {
      code: isErrorCode(error.code) ? error.code : 'invalid-request',
      message: error.message,
      ...(error.detail === undefined ? {} : { detail: error.detail }),
      ...(error.smallerChoice === undefined ? {} : { smallerChoice: error.smallerChoice }),
    };
  }
  return { code: 'internal', message: 'Something unexpected went wrong.', detail: String(error) };
}
