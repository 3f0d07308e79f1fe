/**
 * A `fetch` that answers the OpenAI API's chat-completions and models routes on this device, so the
 * official `openai` client works unchanged:
 *
 *   new OpenAI({ baseURL: 'https://florence.local/v1', apiKey: 'unused', fetch: openAIFetch(florence), dangerouslyAllowBrowser: true })
 *
 * Any base URL works: only the path's end (`/chat/completions`, `/models`) is read. Nothing is sent
 * anywhere, except that an http(s) image URL is fetched by this page. How a message maps to a task is
 * in src/shared/hosted-apis/openai.ts.
 */
import { getTask } from '../../shared/florence/tasks';
import {
  type CompletionIdentity,
  chatChunk,
  chatCompletion,
  chatContent,
  finishReason,
  modelList,
  openAIError,
  readChatRequest,
  sseEvent,
} from '../../shared/hosted-apis/openai';
import { asFlorence2Error, Florence2Error } from './errors';
import type { Florence2, PreparedRun } from './florence2';
import { imageOfRequest } from './image-input';

type FetchInput = string | URL | Request;
type FetchFunction = (input: FetchInput, init?: RequestInit) => Promise<Response>;

const JSON_HEADERS = { 'content-type': 'application/json', 'x-should-retry': 'false' };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

// Every error says `x-should-retry: false`: the client's own retries would run the model again for
// the same failure.
function errorResponse(error: unknown): Response {
  const failure = asFlorence2Error(error);
  const { status, body } = openAIError(failure.code, failure.message, failure.field ?? null);
  return json(status, body);
}

function routeError(code: 'not-found' | 'method-not-allowed', message: string): Response {
  const { status, body } = openAIError(code, message);
  return json(status, body);
}

const abortError = () => new DOMException('The request was aborted.', 'AbortError');

let completions = 0;

function identityFor(model: string): CompletionIdentity {
  completions++;
  return {
    id: `chatcmpl-local-${Date.now().toString(36)}-${completions}`,
    created: Math.floor(Date.now() / 1000),
    model,
  };
}

export function openAIFetch(florence: Florence2): FetchFunction {
  return async (input, init = {}) => {
    const request = new Request(input, init);
    const signal = init.signal ?? (input instanceof Request ? input.signal : undefined);
    if (signal?.aborted) throw abortError();
    const path = new URL(request.url).pathname.replace(/\/+$/, '');
    if (path.endsWith('/models')) {
      if (request.method !== 'GET') return routeError('method-not-allowed', 'Use GET for /models.');
      return json(200, modelList(Math.floor(Date.now() / 1000)));
    }
    if (!path.endsWith('/chat/completions')) {
      return routeError(
        'not-found',
        `Unknown route ${request.method} ${path}: this fetch serves /chat/completions and /models.`,
      );
    }
    if (request.method !== 'POST') return routeError('method-not-allowed', 'Use POST for /chat/completions.');
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return errorResponse(new Florence2Error('invalid-request', 'The request body is not valid JSON.'));
    }
    const chat = readChatRequest(body);
    if (!chat.ok) return errorResponse(Florence2Error.fromProblem(chat));
    const identity = identityFor(chat.model);
    const image = imageOfRequest(chat.image);
    const runOptions = { taskInput: chat.taskInput, ...(signal ? { signal } : {}) };
    if (!chat.stream) {
      try {
        await florence.ensureModel(chat.model, signal);
        const answer = await florence.run(chat.task, image, runOptions);
        return json(
          200,
          chatCompletion(
            identity,
            chatContent(answer),
            finishReason(answer, answer.output.generatedTokens),
            answer.output.generatedTokens,
          ),
        );
      } catch (error) {
        if (signal?.aborted) throw abortError();
        return errorResponse(error);
      }
    }
    return streamed(florence, chat.model, chat.task, image, runOptions, identity, signal);
  };
}

/**
 * A streamed answer. Problems found before the model starts (an image that cannot be fetched, does
 * not decode from base64 or is too large; a model that will not load) are an error response, as
 * OpenAI's are. Once the stream has begun, a failure (bytes that are no image, found by the worker's
 * decoder) ends it with an error event, which the client raises too.
 */
async function streamed(
  florence: Florence2,
  model: string,
  task: Parameters<Florence2['run']>[0],
  image: Blob | string,
  runOptions: { taskInput: string; signal?: AbortSignal },
  identity: CompletionIdentity,
  signal: AbortSignal | undefined,
): Promise<Response> {
  let prepared: PreparedRun;
  try {
    prepared = await florence.prepare(task, image, runOptions);
    await florence.ensureModel(model, signal);
  } catch (error) {
    if (signal?.aborted) throw abortError();
    return errorResponse(error);
  }
  const encoder = new TextEncoder();
  const textTask = getTask(task).answerType === 'pure_text';
  let sent = '';
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  // Once the reader has gone (cancelled, or the stream ended), nothing more is written.
  let open = true;
  const send = (data: unknown) => {
    if (open) controller?.enqueue(encoder.encode(sseEvent(data)));
  };
  const end = (error?: unknown) => {
    if (!open) return;
    open = false;
    signal?.removeEventListener('abort', stop);
    if (error) controller?.error(error);
    else controller?.close();
  };
  const stopRun = new AbortController();
  const stop = () => stopRun.abort();
  signal?.addEventListener('abort', stop, { once: true });
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      send(chatChunk(identity, { role: 'assistant', content: '' }, null));
    },
    cancel() {
      open = false;
      stop();
    },
  });
  const onToken = (text: string) => {
    // Text tasks stream as they are generated; a delta is sent only while the text grows at its end.
    if (!textTask || !text.startsWith(sent) || text.length === sent.length) return;
    send(chatChunk(identity, { content: text.slice(sent.length) }, null));
    sent = text;
  };
  void florence
    .runPrepared(prepared, { signal: stopRun.signal, onToken })
    .then((answer) => {
      const content = chatContent(answer);
      const rest = textTask && content.startsWith(sent) ? content.slice(sent.length) : textTask ? '' : content;
      if (rest) send(chatChunk(identity, { content: rest }, null));
      send(chatChunk(identity, {}, finishReason(answer, answer.output.generatedTokens)));
      send('[DONE]');
      end();
    })
    .catch((error: unknown) => {
      if (stopRun.signal.aborted) {
        end(abortError());
        return;
      }
      const failure = asFlorence2Error(error);
      send(openAIError(failure.code, failure.message).body);
      end();
    });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  });
}
