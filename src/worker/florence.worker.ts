import type { WorkerRequest, WorkerResponse } from '../shared/protocol';
import { TransformersEngine } from './engine/transformers-engine';
import { createRequestHandler } from './handler';

// The worker global, typed by what this entry uses (the project compiles against the DOM library).
const scope = self as unknown as {
  postMessage(response: WorkerResponse): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
};

const handle = createRequestHandler(new TransformersEngine(), (response) => scope.postMessage(response));
scope.addEventListener('message', (event) => {
  void handle(event.data);
});
